"""The app's pages: each reads widgets, calls the planner and renders."""
