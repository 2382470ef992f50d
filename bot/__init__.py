"""Augury: a self-hosted Discord bot for community forecasting."""
