"""Booking: free windows, no double booking, customer self-service."""
