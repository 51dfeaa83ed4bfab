"""Dispatch backlog: requests waiting for a visit, carried over at day end."""
