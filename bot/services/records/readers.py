"""Reading an import file: which format it is, and Augury's own JSON export.

An import file is untrusted input. It is read with caps (:data:`MAX_IMPORT_BYTES`; a CSV is
streamed row by row, never held whole), JSON numbers must be finite, nesting shallow enough to
parse, and every field has the type the format says; what the fields *mean* (lengths, ranges,
dates) is checked afterwards by :mod:`bot.services.records.checks`, with the slash commands'
rules. Every failure is a :class:`MalformedFile` with a one-line message.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from bot.domain.errors import AuguryError
from bot.domain.vocabulary import Outcome, Status, Visibility, VoteSource
from bot.services.records.foreign import parse_fatebook_csv, parse_predictionbook
from bot.services.records.formats import (
    MAX_IMPORT_BYTES,
    ImportedEvent,
    ImportedPrediction,
    ImportedRecord,
    MalformedFile,
    Outsider,
    Person,
    Problems,
    clean_tags,
    discord_id,
    one_line,
    parse_time,
    payload_of,
    permille_of,
    prediction_number,
)


def read_import_file(path: Path, members: dict[str, int] | None = None) -> ImportedRecord:
    """The file at ``path``, parsed; over :data:`MAX_IMPORT_BYTES` it is refused unread."""
    with path.open("rb") as stream:
        return read_import(stream, members)


def read_import(stream: BinaryIO, members: dict[str, int] | None = None) -> ImportedRecord:
    """Sniff the first bytes: JSON (Augury or PredictionBook) or Fatebook CSV (streamed)."""
    head = stream.read(4096)
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if start[:1] in (b"{", b"["):
        rest = stream.read(MAX_IMPORT_BYTES + 1 - len(head))
        data = head + rest
        if len(data) > MAX_IMPORT_BYTES:
            raise too_large()
        return detect_and_parse(data, "", members)
    capped = _Capped(stream, head)
    text = io.TextIOWrapper(capped, encoding="utf-8-sig", errors="strict", newline="")  # type: ignore[type-var]
    try:
        return parse_fatebook_csv(text, members or {})
    except UnicodeDecodeError:
        raise MalformedFile(["the file is not UTF-8 text"]) from None


def too_large() -> MalformedFile:
    return MalformedFile(
        [
            f"the file is larger than {MAX_IMPORT_BYTES / (1024 * 1024):g} MiB, the import "
            "limit: split it (by date or by question) and import the parts"
        ]
    )


class _Capped(io.RawIOBase):
    """The stream, ``head`` first, refusing to give more than :data:`MAX_IMPORT_BYTES`."""

    def __init__(self, stream: BinaryIO, head: bytes) -> None:
        self._stream = stream
        self._head = head
        self._given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            chunk, self._head = self._head[: len(buffer)], self._head[len(buffer) :]
        else:
            chunk = self._stream.read(len(buffer))
        self._given += len(chunk)
        if self._given > MAX_IMPORT_BYTES:
            raise too_large()
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:30]} is too large")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number this format allows")


def load_json(data: bytes) -> Any:
    """JSON without NaN or Infinity, with the nesting and number sizes Python can hold."""
    try:
        text = data.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        raise MalformedFile(["the file is not UTF-8 text"]) from None
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as error:
        raise MalformedFile([f"line {error.lineno}: not valid JSON ({error.msg})"]) from None
    except RecursionError:
        raise MalformedFile(["the JSON is nested too deeply to be an export"]) from None
    except ValueError as error:  # NaN, Infinity, 1e999, an integer of 5,000 digits
        raise MalformedFile([f"not valid JSON: {one_line(str(error))[:80]}"]) from None


def detect_and_parse(
    data: bytes, filename: str, members: dict[str, int] | None = None
) -> ImportedRecord:
    """Augury or PredictionBook JSON, or Fatebook CSV, by content."""
    if len(data) > MAX_IMPORT_BYTES:
        raise too_large()
    stripped = data.removeprefix(codecs.BOM_UTF8).lstrip()
    if stripped[:1] in (b"{", b"["):
        document = load_json(data)
        try:
            if isinstance(document, dict) and document.get("format") == "augury":
                return parse_augury(document)
            return parse_predictionbook(document, members or {})
        except RecursionError:
            raise MalformedFile(["the JSON is nested too deeply to be an export"]) from None
    return read_import(io.BytesIO(data), members)


def text_field(value: Any, what: str) -> str | None:
    """A free-text field: text or nothing (its length and characters are checked later)."""
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"{what} is not text")


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} is not a list")
    return value


# --- Augury ----------------------------------------------------------------------------------


def parse_augury(document: dict[str, Any]) -> ImportedRecord:
    problems = Problems()
    if document.get("version") != 1:
        raise MalformedFile([f"version {document.get('version')!r} is not one this bot reads (1)"])
    try:
        source_guild = discord_id(document.get("guild_id"), "`guild_id`")
    except ValueError as error:
        raise MalformedFile([str(error)]) from None
    outsiders: dict[str, Outsider] = {}
    listed = document.get("outside_forecasters")
    if listed is not None and not isinstance(listed, list):
        raise MalformedFile(["`outside_forecasters` is not a list"])
    for n, entry in enumerate(listed or [], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            problems.add(f"outside forecaster {n}", "is not an object with a text `key`")
            continue
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            problems.add(f"outside forecaster {n}", "the name is not text")
            continue
        outsiders[entry["key"]] = Outsider(f"augury:{source_guild}:{entry['key']}", name)

    def who(value: Any, where: str) -> Person:
        if isinstance(value, str) and value in outsiders:
            return outsiders[value]
        try:
            return discord_id(value, where)
        except ValueError:
            shown = one_line(str(value))[:30]
            raise ValueError(
                f"{where} `{shown}` is neither a Discord id nor a listed outsider"
            ) from None

    predictions: list[ImportedPrediction] = []
    items = document.get("predictions")
    if not isinstance(items, list):
        raise MalformedFile(["`predictions` is missing or not a list"])
    numbers: dict[int, int] = {}
    for index, item in enumerate(items, start=1):
        where = f"prediction {index}"
        try:
            prediction = _augury_prediction(item, source_guild, who, where)
        except (ValueError, KeyError, TypeError, AttributeError, AuguryError) as error:
            problems.add(where, str(error).strip("'\""))
            continue
        assert prediction.number is not None
        if prediction.number in numbers:
            problems.add(
                where,
                f"number {prediction.number} is also prediction {numbers[prediction.number]}'s",
            )
        numbers.setdefault(prediction.number, index)
        predictions.append(prediction)
    zones = document.get("member_timezones")
    if zones is not None and not isinstance(zones, dict):
        problems.add("member_timezones", "is not an object")
    settings = document.get("settings")
    if settings is not None and not isinstance(settings, dict):
        problems.add("settings", "is not an object")
    problems.check()
    return ImportedRecord(
        "augury",
        predictions,
        source_guild,
        settings,
        # Counted for the report, never written: see records_import.
        {n: str(zone) for n, zone in enumerate((zones or {}).values())},
        outsiders=list(outsiders.values()),
    )


def _augury_prediction(
    item: Any, source_guild: int, who: Callable[[Any, str], Person], where: str
) -> ImportedPrediction:
    item = _object(item, "it")

    def opt_time(value: Any, what: str) -> datetime | None:
        return None if value is None else parse_time(value, what)

    number = prediction_number(item.get("number"))
    statement = text_field(item.get("statement"), "the statement")
    if statement is None:
        raise ValueError("the statement is missing")
    discord = _object(item.get("discord") or {}, "`discord`")
    ids = tuple(
        None if discord.get(k) is None else discord_id(discord[k], k)
        for k in ("channel_id", "message_id", "thread_id")
    )
    reminders = item.get("reminders")
    sent = 0 if not isinstance(reminders, dict) else reminders.get("sent") or 0
    if isinstance(sent, bool) or not isinstance(sent, int) or not 0 <= sent <= 1000:
        raise ValueError("reminders.sent is not a count 0–1000")
    prediction = ImportedPrediction(
        key=f"augury:{source_guild}:{number}",
        number=number,
        statement=statement,
        details=text_field(item.get("details"), "details"),
        author=who(item.get("author"), "author"),
        created_at=parse_time(item.get("created_at"), "created_at"),
        resolves_at=parse_time(item.get("resolves_at"), "resolves_at"),
        closes_at=parse_time(item.get("closes_at"), "closes_at"),
        status=Status(str(item.get("status"))),
        visibility=Visibility(str(item.get("visibility"))),
        edited_at=opt_time(item.get("edited_at"), "edited_at"),
        outcome=None if item.get("outcome") is None else Outcome(item["outcome"]),
        resolved_at=opt_time(item.get("resolved_at"), "resolved_at"),
        resolver=None if item.get("resolver") is None else who(item["resolver"], "resolver"),
        resolution_note=text_field(item.get("resolution_note"), "resolution_note"),
        resolution_source=text_field(item.get("resolution_source"), "resolution_source"),
        source_message_url=text_field(item.get("source_message_url"), "source_message_url"),
        claimant=None if item.get("claimant") is None else who(item["claimant"], "claimant"),
        tags=clean_tags(_list(item.get("tags"), "tags")),
        discord_ids=ids,  # type: ignore[arg-type]
        reminders=None
        if not isinstance(reminders, dict)
        else (
            opt_time(reminders.get("next_at"), "reminders.next_at"),
            sent,
            opt_time(reminders.get("close_warning_at"), "reminders.close_warning_at"),
        ),
        # A file from before kinds has none of these: yes/no.
        kind=text_field(item.get("kind"), "the kind") or "yes_no",
        kind_spec=payload_of(item.get("kind_spec"), "kind_spec"),
        outcome_value=payload_of(item.get("outcome_value"), "outcome_value"),
    )
    for n, raw in enumerate(_list(item.get("vote_history"), "vote_history"), start=1):
        event = _object(raw, f"vote {n}")
        permille, forecast = _forecast(event, f"vote {n}", retraction=True)
        prediction.events.append(
            ImportedEvent(
                parse_time(event.get("created_at"), f"vote {n} time"),
                who(event.get("forecaster"), f"vote {n} forecaster"),
                permille,
                VoteSource(str(event.get("source"))),
                text_field(event.get("reason"), f"vote {n} reason"),
                forecast,
            )
        )
    votes = [_object(v, "a vote") for v in _list(item.get("votes"), "votes")]
    prediction.votes = []
    for v in votes:
        permille, forecast = _forecast(v, "vote", retraction=False)
        prediction.votes.append(
            (
                who(v.get("forecaster"), "vote forecaster"),
                permille,
                VoteSource(str(v.get("source"))),
                parse_time(v.get("updated_at"), "vote time"),
                forecast,
            )
        )
    follows = [_object(f, "a follow") for f in _list(item.get("follows"), "follows")]
    prediction.follows = [
        (who(f.get("member"), "follower"), f.get("following") is True) for f in follows
    ]
    edits = [_object(e, "an edit") for e in _list(item.get("edits"), "edits")]
    prediction.edits = [
        (
            who(e.get("editor"), "editor"),
            text_field(e.get("field"), "an edit's field") or "",
            text_field(e.get("old"), "an edit's old value"),
            text_field(e.get("new"), "an edit's new value"),
            parse_time(e.get("at"), "edit time"),
        )
        for e in edits
    ]
    return prediction


def _forecast(entry: dict[str, Any], what: str, *, retraction: bool) -> tuple[int | None, Any]:
    """A forecast as a file keeps it: a yes/no per-mille, or another kind's ``forecast``
    payload (never both); neither is a retraction, where the history allows one."""
    permille, forecast = entry.get("permille"), entry.get("forecast")
    if forecast is not None:
        if permille is not None:
            raise ValueError(f"{what} has both a permille and a forecast")
        return None, payload_of(forecast, f"{what}'s forecast")
    if permille is None and retraction:
        return None, None
    return permille_of(permille, what), None
