"""Domain rules in plain Python: no Flask, no database; inputs come as arguments."""
