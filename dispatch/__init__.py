"""Field after-sales dispatch backend."""
