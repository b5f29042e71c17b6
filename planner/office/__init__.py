"""The planner served to a whole office: accounts, roles, the audit log, community views.

Nothing here imports Streamlit: the CLI (``planner users``) and the app share it.
"""
