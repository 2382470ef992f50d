"""SQLite serves one process: a lock file beside the database, held while the bot runs.

A second process on the same file would receive the same gateway events and run the same
reminder loop, so it is refused at start. The lock is an OS file lock (``filelock``): it is
released when the process ends in any way, a crash included, so a stale file never blocks a
restart.
"""

from __future__ import annotations

from pathlib import Path

from filelock import AcquireReturnProxy, FileLock, Timeout


class SQLiteInUse(Exception):
    """Another process holds the database's lock file."""


def hold_sqlite_lock(database: Path) -> AcquireReturnProxy[FileLock]:
    """The acquired lock (a context manager that releases it); raises :class:`SQLiteInUse`."""
    lock = FileLock(f"{database}.lock", timeout=0)
    try:
        return lock.acquire()
    except Timeout:
        raise SQLiteInUse(
            f"Another Augury process is already using {database}. SQLite serves one process; "
            "to run several processes, use PostgreSQL: "
            "DATABASE_URL=postgresql+asyncpg://user:password@host:5432/augury"
        ) from None
