"""Resolving and reopening, and the scores written (or removed) with them."""
