"""Service functions: the logic between views/CLI and storage. They take a Session."""
