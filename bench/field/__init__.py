"""Generated field days from Solomon instances: skills, lunch, homes, windows, priorities."""
