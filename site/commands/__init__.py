"""CLI command groups of the opengov command, one module per area."""
