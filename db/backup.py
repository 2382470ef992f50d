"""A consistent copy of a live SQLite database: SQLite's online backup API.

Copying the file itself is not safe while the bot runs (WAL mode: recent commits live in the
``-wal`` file, and a copy taken mid-checkpoint can be torn). ``sqlite3.Connection.backup``
copies pages under SQLite's own locking: the copy is one committed state, taken while writers
carry on (a write during a step makes the backup restart the remaining pages, so it uses small
steps and finishes under load).

A backup holds every member's record: it is written readable by its owner only (0600), and a
folder it creates is 0700.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

PAGES_PER_STEP = 256


class BackupError(Exception):
    """The backup could not be made; the message says why (no partial file is left)."""


def _private_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each 0700 (mkdir's ``mode`` only sets the
    last one)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700)


def backup_sqlite(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` (replaced atomically) and check it; the check's answer."""
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    if target.resolve() == source.resolve():
        raise BackupError("The backup file must not be the database itself.")
    partial = target.with_name(target.name + ".partial")
    try:
        _private_folders(target.parent)
        partial.unlink(missing_ok=True)
        # Created 0600 before SQLite opens it (SQLite keeps an existing file's mode).
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise BackupError(f"Cannot write {target}: {error.strerror or error}.") from None
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
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Cannot write {target}: {error.strerror or error}.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return verdict
