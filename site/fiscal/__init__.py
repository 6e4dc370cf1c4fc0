"""fiscal."""
