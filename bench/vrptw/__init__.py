"""VRPTW quality benchmark on the Solomon and Gehring & Homberger instances."""
