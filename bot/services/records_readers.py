"""Reading an import file: which format it is, and Augury's own JSON export."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.domain.errors import AuguryError
from bot.domain.text import REASON_MAX, STATEMENT_MAX
from bot.domain.vocabulary import Outcome, Status, Visibility, VoteSource
from bot.services.records_foreign import parse_fatebook_csv, parse_predictionbook
from bot.services.records_formats import (
    MAX_PERMILLE,
    MIN_PERMILLE,
    ImportedEvent,
    ImportedPrediction,
    ImportedRecord,
    MalformedFile,
    Outsider,
    Person,
    Problems,
    clean_tags,
    parse_time,
)


def clean_reason(value: object, where: str) -> str | None:
    """A vote's reason from a file: text up to the form's limit, or nothing."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > REASON_MAX:
        raise ValueError(f"{where}: a reason is text of at most {REASON_MAX} characters")
    return value


def detect_and_parse(
    data: bytes, filename: str, members: dict[str, int] | None = None
) -> ImportedRecord:
    """Augury or PredictionBook JSON, or Fatebook CSV, by content."""
    text = data.decode("utf-8-sig", errors="strict")
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise MalformedFile([f"line {error.lineno}: not valid JSON ({error.msg})"]) from None
        if isinstance(document, dict) and document.get("format") == "augury":
            return parse_augury(document)
        return parse_predictionbook(document, members or {})
    return parse_fatebook_csv(text, members or {})


# --- Augury ----------------------------------------------------------------------------------


def parse_augury(document: dict[str, Any]) -> ImportedRecord:
    problems = Problems()
    if document.get("version") != 1:
        raise MalformedFile([f"version {document.get('version')!r} is not one this bot reads (1)"])
    try:
        source_guild = int(document["guild_id"])
    except (KeyError, TypeError, ValueError):
        raise MalformedFile(["`guild_id` is missing or not a number"]) from None
    outsiders = {
        str(o.get("key")): Outsider(f"augury:{source_guild}:{o.get('key')}", o.get("name"))
        for o in document.get("outside_forecasters") or []
        if isinstance(o, dict)
    }

    def who(value: Any, where: str) -> Person:
        if isinstance(value, str) and value in outsiders:
            return outsiders[value]
        try:
            user_id = int(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"{where} `{value}` is neither a Discord id nor a listed outsider"
            ) from None
        if user_id <= 0:
            raise ValueError(f"{where} `{value}` is not a Discord id")
        return user_id

    predictions: list[ImportedPrediction] = []
    items = document.get("predictions")
    if not isinstance(items, list):
        raise MalformedFile(["`predictions` is missing or not a list"])
    for index, item in enumerate(items, start=1):
        where = f"prediction {index}"
        try:
            predictions.append(_augury_prediction(item, source_guild, who, where))
        except (ValueError, KeyError, TypeError, AuguryError) as error:
            problems.add(where, str(error).strip("'\""))
    problems.check()
    zones: dict[int, str] = {}
    for user_id, zone in (document.get("member_timezones") or {}).items():
        if isinstance(zone, str) and str(user_id).isdigit():
            zones[int(user_id)] = zone
    settings = document.get("settings")
    return ImportedRecord(
        "augury",
        predictions,
        source_guild,
        settings if isinstance(settings, dict) else None,
        zones,
        outsiders=list(outsiders.values()),
    )


def _augury_prediction(
    item: Any, source_guild: int, who: Callable[[Any, str], Person], where: str
) -> ImportedPrediction:
    if not isinstance(item, dict):
        raise ValueError("is not an object")

    def opt_time(value: Any, what: str) -> datetime | None:
        return None if value is None else parse_time(value, what)

    number = int(item["number"])
    if (
        not isinstance(item.get("statement"), str)
        or not 0 < len(item["statement"]) <= STATEMENT_MAX
    ):
        raise ValueError(f"the statement must be text of 1–{STATEMENT_MAX} characters")
    discord = item.get("discord") or {}
    ids = tuple(
        None if discord.get(k) is None else int(discord[k])
        for k in ("channel_id", "message_id", "thread_id")
    )
    reminders = item.get("reminders")
    prediction = ImportedPrediction(
        key=f"augury:{source_guild}:{number}",
        number=number,
        statement=str(item["statement"]),
        details=item.get("details"),
        author=who(item["author"], "author"),
        created_at=parse_time(item["created_at"], "created_at"),
        resolves_at=parse_time(item["resolves_at"], "resolves_at"),
        closes_at=parse_time(item["closes_at"], "closes_at"),
        status=Status(item["status"]),
        visibility=Visibility(item["visibility"]),
        edited_at=opt_time(item.get("edited_at"), "edited_at"),
        outcome=None if item.get("outcome") is None else Outcome(item["outcome"]),
        resolved_at=opt_time(item.get("resolved_at"), "resolved_at"),
        resolver=None if item.get("resolver") is None else who(item["resolver"], "resolver"),
        resolution_note=item.get("resolution_note"),
        resolution_source=item.get("resolution_source"),
        source_message_url=item.get("source_message_url"),
        claimant=None if item.get("claimant") is None else who(item["claimant"], "claimant"),
        tags=clean_tags(list(item.get("tags") or [])),
        discord_ids=ids,  # type: ignore[arg-type]
        reminders=None
        if not isinstance(reminders, dict)
        else (
            opt_time(reminders.get("next_at"), "reminders.next_at"),
            int(reminders.get("sent") or 0),
            opt_time(reminders.get("close_warning_at"), "reminders.close_warning_at"),
        ),
    )
    for n, event in enumerate(item.get("vote_history") or [], start=1):
        permille = event.get("permille")
        if permille is not None and not MIN_PERMILLE <= int(permille) <= MAX_PERMILLE:
            raise ValueError(f"vote {n}: permille {permille} is outside 10–990")
        prediction.events.append(
            ImportedEvent(
                parse_time(event["created_at"], f"vote {n} time"),
                who(event["forecaster"], f"vote {n} forecaster"),
                None if permille is None else int(permille),
                VoteSource(event["source"]),
                clean_reason(event.get("reason"), f"vote {n} reason"),
            )
        )
    prediction.votes = [
        (
            who(v["forecaster"], "vote forecaster"),
            int(v["permille"]),
            VoteSource(v["source"]),
            parse_time(v["updated_at"], "vote time"),
        )
        for v in item.get("votes") or []
    ]
    prediction.follows = [
        (who(f["member"], "follower"), bool(f["following"])) for f in item.get("follows") or []
    ]
    prediction.edits = [
        (
            who(e["editor"], "editor"),
            str(e["field"]),
            e.get("old"),
            e.get("new"),
            parse_time(e["at"], "edit time"),
        )
        for e in item.get("edits") or []
    ]
    return prediction
