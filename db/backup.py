"""A consistent copy of a live SQLite database: SQLite's online backup API.

Copying the file itself is not safe while the bot runs (WAL mode: recent commits live in the
``-wal`` file, and a copy taken mid-checkpoint can be torn). ``sqlite3.Connection.backup``
copies pages under SQLite's own locking: the copy is one committed state, taken while writers
carry on (a write during a step makes the backup restart the remaining pages, so it uses small
steps and finishes under load).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGES_PER_STEP = 256


class BackupError(Exception):
    """The backup could not be made; the message says why (no partial file is left)."""


def backup_sqlite(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` (replaced atomically) and check it; the check's answer."""
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    if target.resolve() == source.resolve():
        raise BackupError("The backup file must not be the database itself.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=PAGES_PER_STEP)
                verdict = str(dst.execute("PRAGMA integrity_check").fetchone()[0])
                if verdict != "ok":
                    raise BackupError(f"The copy failed its integrity check: {verdict}")
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        partial.replace(target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"SQLite refused the backup: {error}") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return verdict
