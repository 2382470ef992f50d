"""``python -m bot migrate --to REVISION``: move the schema to a given migration, usually back
to an earlier release's. A step that drops data is listed first and runs only with ``--yes``."""

from __future__ import annotations

import contextlib
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from db.downgrade import ancestors, current_revision, downgrade_losses, known_revision
from db.engine import create_engine
from db.migrate import downgrade, upgrade
from db.single_process import SQLiteInUse, hold_sqlite_lock

REFUSED = 1


async def migrate_to(settings: Settings, revision: str, yes: bool, out: TextIO) -> int:
    """Exit code: 0 done (or nothing to do), 1 refused (unknown revision, or data would be
    dropped without ``--yes``): nothing was changed then."""
    if not known_revision(revision):
        print(
            f"Unknown revision {revision!r}: give a migration's revision, e.g. 0009, as in the "
            "CHANGELOG's Upgrading notes (or 'base' for an empty database).",
            file=out,
        )
        return REFUSED
    engine = create_engine(settings.database_url)
    try:
        current = await current_revision(engine)
        if current == revision:
            print(f"The database is already at {revision}.", file=out)
            return 0
        if revision not in ancestors(current):
            await upgrade(engine, revision)
            print(f"Migrated the database from {current or 'empty'} to {revision}.", file=out)
            return 0
        path = settings.sqlite_path()
        with contextlib.ExitStack() as running:
            if path is not None:  # the bot must not run on a schema going away under it
                try:
                    running.enter_context(hold_sqlite_lock(path))
                except SQLiteInUse:
                    print(
                        f"The bot is running on {path}. Stop the bot, then go back: nothing "
                        "was changed.",
                        file=out,
                    )
                    return REFUSED
            return await _go_back(engine, current or "base", revision, yes, out)
    finally:
        await engine.dispose()


async def _go_back(engine: AsyncEngine, current: str, revision: str, yes: bool, out: TextIO) -> int:
    """List what going back drops; go back when nothing is lost or ``yes`` says so."""
    lost = await downgrade_losses(engine, revision)
    if lost and not yes:
        print(f"Going back from {current} to {revision} would drop:", file=out)
        for line in lost:
            print(f"  {line}", file=out)
        print(
            "Nothing was changed. Stop the bot, back up (python -m bot backup FILE, or "
            "pg_dump on PostgreSQL), then run this again with --yes.",
            file=out,
        )
        return REFUSED
    for line in lost:
        print(f"Dropping {line}", file=out)
    await downgrade(engine, revision)
    print(
        f"The database went back from {current} to {revision}. Start the release that "
        "matches it (see CHANGELOG.md); a newer one would migrate it forward again.",
        file=out,
    )
    return 0
