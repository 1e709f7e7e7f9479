"""`specfirst proxy`: forwards real traffic to a server and validates both directions against the spec."""
