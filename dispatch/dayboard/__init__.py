"""The dispatcher's day board: one region's day as the console draws it (owner of its data)."""
