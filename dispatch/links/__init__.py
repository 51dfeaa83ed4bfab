"""Links domain."""
