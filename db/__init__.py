"""Persistence: models (typed with the domain's vocabulary), engine, migrations."""
