"""Persistence: models, engine and session setup, migrations. Nothing above writes SQL."""
