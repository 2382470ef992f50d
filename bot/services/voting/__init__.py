"""Voting: every path to a vote, the group-committed writer, and reading the vote history."""
