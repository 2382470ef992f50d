"""Persistence: models (typed with the domain's vocabulary), engine, migrations."""

from db import bot_state, models  # noqa: F401 - every table on Base.metadata whatever is imported
