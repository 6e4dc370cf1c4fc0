"""CLI commands of each area, registered on ``opengov`` in cli.py."""
