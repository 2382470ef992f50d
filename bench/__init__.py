"""Benchmarks: scripts that print their figures (no timing assertions live in tests)."""
