"""Tools for the project's developers (commit hooks), not for the office."""
