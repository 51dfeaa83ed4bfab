"""Staff alerts domain."""
