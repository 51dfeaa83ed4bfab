"""Benchmarks; never run by CI tests."""
