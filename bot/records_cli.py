"""``python -m bot export | import | backup``: a server's record from the command line.

These run beside (or without) the bot: export streams from the database into a file of any
size, import writes everything in one transaction or nothing, backup copies a live SQLite
database consistently. Each prints what it did and returns an exit code (0 done, 1 refused).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import SystemClock
from bot.domain.errors import AuguryError
from bot.domain.words import plural
from bot.services.core.context import ServiceContext
from bot.services.records.export import ExportFormat, ExportScope, RecordsExporter
from bot.services.records.formats import DISCORD_ID_MAX, one_line
from bot.services.records.importing import RecordsImporter
from bot.services.records.readers import read_import_file
from bot.settings import Settings
from db.backup import BackupError, backup_sqlite
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade


async def open_database(settings: Settings) -> AsyncEngine:
    """Connect and bring the schema up to date (a fresh SQLite file gets its folder)."""
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    return engine


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser("export", help="write a server's record to a CSV or JSON file")
    export.add_argument("--guild", type=int, required=True, help="the server (guild) id")
    export.add_argument("--format", choices=[f.value for f in ExportFormat], default="json")
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    export.add_argument("--member", type=int, help="only this member's record (a user id)")
    imp = sub.add_parser(
        "import", help="import Augury JSON, Fatebook CSV or PredictionBook JSON into a server"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--guild", type=int, required=True, help="the server (guild) id")
    imp.add_argument("--dry-run", action="store_true", help="report what would be imported")
    imp.add_argument(
        "--member",
        action="append",
        default=[],
        metavar="NAME=ID",
        help="treat the forecaster NAME in the file as the Discord member ID (repeatable)",
    )
    backup = sub.add_parser("backup", help="copy the live SQLite database consistently")
    backup.add_argument("file", type=Path)


async def run_export(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """Written to ``OUT.partial`` first, renamed at the end: a failed export leaves no half
    file under the name asked for. A path that cannot be written is one line, exit 1."""
    partial = args.out.with_name(args.out.name + ".partial")
    if args.out.is_dir():
        print(f"--out {args.out} is a folder: give a file name in it.", file=sys.stderr)
        return 1
    engine = await open_database(settings)
    try:
        ctx = ServiceContext(create_session_factory(engine), SystemClock())
        try:
            with partial.open("wb") as sink:
                count = await RecordsExporter(ctx).export(
                    ExportScope(args.guild, args.member), ExportFormat(args.format), sink
                )
            partial.replace(args.out)
        except OSError as error:
            partial.unlink(missing_ok=True)
            print(f"Cannot write {args.out}: {error.strerror or error}.", file=sys.stderr)
            return 1
    finally:
        await engine.dispose()
    print(f"Exported {plural(count, 'prediction')} to {args.out}", file=out)
    return 0


def parse_members(pairs: list[str]) -> dict[str, int]:
    members: dict[str, int] = {}
    for pair in pairs:
        name, _, user_id = pair.rpartition("=")
        digits = user_id.strip()
        if not name.strip() or not digits.isdecimal() or not 0 < int(digits) <= DISCORD_ID_MAX:
            raise ValueError(f"--member {pair!r} is not NAME=DISCORD_ID")
        members[" ".join(name.split())] = int(digits)
    return members


def _guild_ok(guild_id: int) -> bool:
    return 0 < guild_id <= DISCORD_ID_MAX


async def run_import(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """Read and check the whole file before the database is opened; every refusal is one
    line on stderr and exit 1, with nothing written."""
    if not _guild_ok(args.guild):
        print(f"--guild {args.guild} is not a Discord server id.", file=sys.stderr)
        return 1
    try:
        members = parse_members(args.member)
        record = read_import_file(args.file, members)
    except OSError as error:
        print(f"Cannot read {args.file}: {error.strerror or error}.", file=sys.stderr)
        return 1
    except (ValueError, AuguryError) as error:
        print(" ".join(str(error).split()), file=sys.stderr)
        return 1
    engine = await open_database(settings)
    try:
        ctx = ServiceContext(create_session_factory(engine), SystemClock())
        report = await RecordsImporter(ctx).apply(args.guild, record, dry_run=args.dry_run)
    except AuguryError as error:  # the record's own checks (records_checks)
        print(" ".join(str(error).split()), file=sys.stderr)
        return 1
    except SQLAlchemyError as error:  # rolled back: nothing was written
        print(
            f"Nothing was imported: the database refused it ({type(error).__name__}: "
            f"{one_line(str(error.orig if isinstance(error, DBAPIError) else error))[:120]}).",
            file=sys.stderr,
        )
        return 1
    finally:
        await engine.dispose()
    for line in report.lines():
        print(line, file=out)
    return 0


def run_backup(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    path = settings.sqlite_path()
    if path is None:
        print(
            "DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. "
            "`pg_dump --format=custom --file augury.dump DBNAME` "
            "(the README's 'Backup and restore' says how to restore it).",
            file=sys.stderr,
        )
        return 1
    try:
        verdict = backup_sqlite(path, args.file)
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"Backed up {path} to {args.file} (integrity check: {verdict})", file=out)
    return 0
