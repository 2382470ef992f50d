"""Write the upgrade fixture of a release: its schema, with realistic rows in every table.

Run it AT THE RELEASE'S TAG (it imports that release's ``db`` package from the working
directory), from a checkout with its own venv; see tests/upgrades/README.md:

    python /path/to/make_fixture.py OUT_DIR [--postgres postgresql+asyncpg://…/scratch_db]

It writes ``OUT_DIR/augury.db`` (SQLite) and, with ``--postgres`` (an EMPTY database it may
fill), loads the same rows there and writes ``OUT_DIR/postgresql.sql`` (``pg_dump --inserts``).
It fails when a table of the release's models holds no row, so a later release that adds a
table must add rows for it here before cutting its fixture.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path.cwd()))  # the release's checkout, not this file's

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.vocabulary import Outcome, ReminderKind, Status, Visibility, VoteSource
from db import models as m
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade

GUILD = 1_000_000_000_000_001  # the server whose record the upgrade test shows
OTHER_GUILD = 1_000_000_000_000_002  # a server the bot left (reminders paused)
AUTHOR = 2_000_000_000_000_001
MOD = 2_000_000_000_000_003
MEMBERS = [2_000_000_000_000_100 + i for i in range(12)]
CHANNEL = 3_000_000_000_000_001
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
FAR = datetime(2030, 6, 30, 12, 0, tzinfo=UTC)
PREDICTIONS = 30  # 0…9 resolved, 10 cancelled, the rest open


def statement(n: int) -> str:
    return f"Upgrade fixture prediction {n}: the bridge opens by phase {n}"


def build_rows() -> list[Any]:
    """Every row of the fixture, parents before children (explicit ids, so they are stable)."""
    rows: list[Any] = [
        m.GuildSettings(
            guild_id=GUILD,
            prediction_channel_id=CHANNEL,
            moderator_role_id=4_000_000_000_000_001,
            timezone="Europe/Berlin",
            default_visibility=Visibility.HIDDEN_UNTIL_VOTE,
            reminder_interval_hours=48,
            reminder_count=2,
            close_warning=False,
            archive_on_resolve=False,
            reaction_keycaps="2,4,6,8",
            leaderboard_min_resolved=3,
            voters_follow=True,
            last_number=PREDICTIONS,
        ),
        m.GuildSettings(guild_id=OTHER_GUILD, last_number=0),
        m.UserSettings(user_id=AUTHOR, timezone="America/New_York", notify_where="dm"),
        m.UserSettings(user_id=MEMBERS[0], muted=True, dm_failed_at=T0),
        m.MemberName(guild_id=GUILD, user_id=AUTHOR, display_name="Ada Author", seen_at=T0),
        m.MemberName(guild_id=GUILD, user_id=MEMBERS[0], display_name="Bo Voter", seen_at=T0),
        m.ReminderPause(guild_id=OTHER_GUILD, paused_at=T0),
        m.Tag(id=1, guild_id=GUILD, name="science"),
        m.Tag(id=2, guild_id=GUILD, name="sport"),
        m.OutsideForecaster(id=1, guild_id=GUILD, name="Fatebook Fay", created_at=T0),
        m.OutsideForecaster(id=2, guild_id=GUILD, name=None, created_at=T0),  # forgotten
    ]
    for n in range(1, PREDICTIONS + 1):
        rows.extend(prediction_rows(n))
    return rows


def prediction_rows(n: int) -> list[Any]:
    created = T0 + timedelta(hours=n)
    resolved = n <= 10
    cancelled = n == 11
    status = Status.RESOLVED if resolved else Status.CANCELLED if cancelled else Status.OPEN
    outcome = (Outcome.YES if n % 3 else Outcome.NO) if resolved else None
    resolves_at = created + timedelta(days=7) if resolved else FAR
    resolved_at = resolves_at + timedelta(hours=1) if resolved else None
    rows: list[Any] = [
        m.Prediction(
            id=n,
            guild_id=GUILD,
            number=n,
            author_id=AUTHOR,
            statement=statement(n),
            details=f"Details of {n}, with **markdown** and ünïcode" if n % 2 else None,
            created_at=created,
            resolves_at=resolves_at,
            closes_at=resolves_at,
            status=status,
            visibility=Visibility.VISIBLE if n % 4 else Visibility.HIDDEN_UNTIL_CLOSE,
            edited_at=created + timedelta(minutes=5) if n % 5 == 0 else None,
            outcome=outcome,
            resolved_at=resolved_at,
            resolver_id=MOD if resolved else None,
            resolution_note="Opened on time" if resolved else None,
            resolution_source="https://example.org/bridge" if resolved else None,
            channel_id=CHANNEL,
            message_id=5_000_000_000_000_000 + n,
            thread_id=6_000_000_000_000_000 + n,
            source_message_url=None,
            claimant_id=MEMBERS[1] if n == 12 else None,
            next_reminder_at=None if resolved or cancelled else FAR,
            reminders_sent=1 if resolved else 0,
            close_warning_at=None if resolved or cancelled else FAR - timedelta(days=1),
            render_pending=False,
            render_version=3,
            community_permille=612.5 if resolved else None,
            community_brier=0.15 if resolved else None,
            community_log=-0.49 if resolved else None,
        ),
        m.Follower(prediction_id=n, user_id=AUTHOR, following=True),
        m.Follower(prediction_id=n, user_id=MEMBERS[2], following=n % 2 == 0),
        m.ImportKey(guild_id=GUILD, key=f"fatebook:{n}", prediction_id=n),
    ]
    voters = [(AUTHOR, VoteSource.AUTHOR)] + [
        (member, list(VoteSource)[1 + i % 5]) for i, member in enumerate(MEMBERS)
    ]
    voters.append((-1, VoteSource.IMPORTED))  # the outside forecaster's vote
    for i, (user, source) in enumerate(voters):
        permille = 100 + (37 * (n + i)) % 800
        when = created + timedelta(minutes=10 + i)
        rows.append(
            m.Vote(
                prediction_id=n,
                user_id=user,
                permille=permille,
                source=source,
                updated_at=when,
                reason="Base rates" if i == 1 else None,
            )
        )
        rows.append(
            m.VoteEvent(
                prediction_id=n, user_id=user, permille=permille, source=source, created_at=when
            )
        )
        if resolved and user > 0:
            yes = outcome == Outcome.YES
            p = permille / 1000
            rows.append(
                m.Score(
                    prediction_id=n,
                    guild_id=GUILD,
                    user_id=user,
                    permille=permille,
                    outcome=yes,
                    brier=round((p - yes) ** 2, 6),
                    log_score=-0.5 - i / 100,
                    time_brier=round((p - yes) ** 2 * 0.9, 6),
                    relative_brier=round((p - yes) ** 2 - 0.15, 6),
                    resolved_at=resolved_at,
                )
            )
    # A retracted forecast: its event has no probability.
    rows.append(
        m.VoteEvent(
            prediction_id=n,
            user_id=MEMBERS[-1] + 1,
            permille=None,
            source=VoteSource.SLASH,
            created_at=created + timedelta(hours=2),
        )
    )
    if n % 5 == 0:
        rows.append(
            m.PredictionEdit(
                prediction_id=n,
                editor_id=AUTHOR,
                field="statement",
                old_value=f"Old statement {n}",
                new_value=statement(n),
                created_at=created + timedelta(minutes=5),
            )
        )
    rows.append(m.PredictionTag(prediction_id=n, tag_id=1 + n % 2))
    if resolved:
        rows.extend(reminder_rows(n, resolves_at, resolved_at))
    return rows


def reminder_rows(n: int, due: datetime, resolved_at: datetime | None) -> list[Any]:
    """A sent reminder with its queued DM, a given-up attempt and the result DM, all done."""
    assert resolved_at is not None
    delivery_id = n
    return [
        m.ReminderDelivery(
            id=delivery_id,
            prediction_id=n,
            kind=ReminderKind.DUE,
            sequence=0,
            channel_id=CHANNEL,
            message_id=7_000_000_000_000_000 + n,
            late=n % 2 == 0,
            sent_at=due,
        ),
        m.ReminderMessage(
            delivery_id=delivery_id, user_id=AUTHOR, queued_at=due, sent_at=due + timedelta(1)
        ),
        m.ReminderAttempt(
            prediction_id=n,
            guild_id=GUILD,
            kind=ReminderKind.MODERATOR,
            sequence=1,
            due_at=due + timedelta(days=1),
            late=False,
            scheduled_at=due + timedelta(days=1),
            failures=5,
            claim_token=None,
            claimed_until=None,
            parts_sent=0,
            channel_id=CHANNEL,
            message_id=None,
            last_error="403 Missing Access",
            gave_up_at=due + timedelta(days=2),
        ),
        m.ResultMessage(
            prediction_id=n,
            user_id=AUTHOR,
            queued_at=resolved_at,
            sent_at=resolved_at + timedelta(minutes=1),
        ),
    ]


async def fill(engine: AsyncEngine) -> dict[str, int]:
    """Migrate ``engine``'s empty database to this release's head and add the rows."""
    await upgrade(engine)
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        for row in build_rows():  # one flush per row keeps parents before children
            session.add(row)
            await session.flush()
    counts = {}
    async with sessions() as session:
        for table in m.Base.metadata.sorted_tables:
            counts[table.name] = await session.scalar(select(func.count()).select_from(table)) or 0
    empty = [name for name, count in counts.items() if not count]
    if empty:
        raise SystemExit(f"tables without rows: {', '.join(empty)}: add rows for them here")
    return counts


async def write_sqlite(sqlite_file: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite+aiosqlite:///{sqlite_file}")
    counts = await fill(engine)
    await engine.dispose()
    return counts


async def write_postgres(url: str) -> None:
    engine = create_engine(url)
    await fill(engine)
    await engine.dispose()


def main(out: Path, postgres: str | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    sqlite_file = out / "augury.db"
    sqlite_file.unlink(missing_ok=True)
    counts = asyncio.run(write_sqlite(sqlite_file))
    print(f"{sqlite_file}: {counts}")
    if postgres:
        asyncio.run(write_postgres(postgres))
        dump = subprocess.run(
            ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "--dbname", libpq(postgres)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (out / "postgresql.sql").write_text(dump, encoding="utf-8")
        print(f"{out / 'postgresql.sql'}: {len(dump)} characters")


def libpq(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--postgres", help="an empty PostgreSQL database to fill and dump")
    arguments = parser.parse_args()
    main(arguments.out, arguments.postgres)
