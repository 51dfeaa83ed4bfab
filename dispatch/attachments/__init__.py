"""Photos, videos and documents on requests, visits and complaints (INT-16)."""
