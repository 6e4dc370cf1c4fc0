"""The staff home page: what needs doing, drawn from every feature's services."""
