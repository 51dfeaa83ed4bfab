"""Customer opinions and suggestions, routed to the responsible department (FUP-8, FUP-11)."""
