"""Seasons (issue 21): starting and ending them, the recap's data and its once-only claim,
and earned roles with their paced, claimed queue of role changes."""
