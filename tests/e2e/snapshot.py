"""Checked-in JSON snapshots: compared in tests, rewritten with ``UPDATE_SNAPSHOTS=1``."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshots"
UPDATE_ENV = "UPDATE_SNAPSHOTS"
# Ids differ on every run (and between Discord and the fake): they never belong in a snapshot.
ID_KEYS = frozenset({"id", "application_id", "guild_id", "version"})


def without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in ID_KEYS}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def render(value: Any) -> str:
    """Pretty-printed, sorted keys, non-ASCII kept readable, trailing newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def check_snapshot(name: str, value: Any) -> None:
    """Compare ``value`` with ``snapshots/<name>``; fail with a unified diff if they differ.

    With ``UPDATE_SNAPSHOTS=1`` the file is (re)written instead and the check passes.
    """
    path = SNAPSHOT_DIR / name
    actual = render(value)
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        raise AssertionError(
            f"no snapshot {path.relative_to(SNAPSHOT_DIR.parent)}; "
            f"create it with {UPDATE_ENV}=1 and review it"
        )
    expected = path.read_text(encoding="utf-8")
    if actual == expected:
        return
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"snapshots/{name} (checked in)",
            tofile=f"{name} (sent by the bot now)",
        )
    )
    raise AssertionError(
        f"{name} changed. If the change is intended, regenerate with "
        f"`{UPDATE_ENV}=1 .venv/bin/pytest tests/e2e/test_startup.py` and commit it.\n{diff}"
    )
