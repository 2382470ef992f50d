"""An imported record checked by the same rules as the slash commands, before anything is written.

The readers (:mod:`bot.services.records.readers`, :mod:`bot.services.records.foreign`) check
that fields have the right type; this checks what they mean, reusing the rules members meet:
free text is cleaned and limited by :mod:`bot.domain.text` (``/predict``'s statement and
details, ``/resolve``'s note and source, a vote's reason), probabilities by
:mod:`bot.forecasting.probability`'s range, tags by :mod:`bot.domain.tags`, server settings by
:mod:`bot.services.core.server_config` (time zone, keycaps, ranges, and ``/augury
moderator-role``'s refusal of @everyone). Dates must be plausible: not before
:data:`EARLIEST`, at most :data:`~bot.forecasting.dates.MAX_YEARS_AHEAD` years ahead
(``/predict``'s limit), and a prediction is not resolved (or due) before it was created.
A question's kind must be known; its setup, every forecast and its answer are checked by the
kind's own rules (:meth:`~bot.domain.kinds.QuestionKind.check_spec`, ``validate``,
``load_outcome``) and kept in the kind's canonical form.
Problems are collected, so a bad file is reported whole; the record's text is replaced by its
cleaned form.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.domain.errors import AuguryError, InvalidInput
from bot.domain.kinds import AnyKind, StoredOutcome, kind_for
from bot.domain.text import (
    DETAILS_MAX,
    NOTE_MAX,
    REASON_MAX,
    SOURCE_MAX,
    clean_details,
    clean_optional,
    clean_statement,
)
from bot.domain.vocabulary import Outcome, Status
from bot.forecasting.dates import MAX_YEARS_AHEAD
from bot.services.core.server_config import checked_guild_changes
from bot.services.records.formats import (
    MAX_IMPORT_FORECASTS,
    SERVER_SETTINGS,
    ImportedPrediction,
    ImportedRecord,
    Outsider,
    Problems,
    discord_id,
)

#: No forecasting site predates this; an earlier date is a broken file (year 1, epoch 0).
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
#: An outside forecaster's name is stored in 100 characters (``outside_forecasters.name``).
NAME_MAX = 100
#: An edit's field name (``prediction_edits.field``), and a source message link.
FIELD_MAX = 32
URL_MAX = 200


def check_record(record: ImportedRecord, guild_id: int, now: datetime) -> ImportedRecord:
    """``record`` with its text cleaned and its settings checked, or :class:`MalformedFile`."""
    problems = Problems()
    forecasts = sum(len(p.events) + len(p.votes or ()) for p in record.predictions)
    if forecasts > MAX_IMPORT_FORECASTS:
        problems.add("the file", f"has {forecasts} forecasts; one import takes at most "
                     f"{MAX_IMPORT_FORECASTS}: split it")  # fmt: skip
        problems.check()
    latest = _years_later(now, MAX_YEARS_AHEAD)
    cleaned: list[ImportedPrediction] = []
    for index, item in enumerate(record.predictions, start=1):
        where = f"prediction {item.number or index}"
        try:
            cleaned.append(_check_prediction(item, latest))
        except (ValueError, AuguryError) as error:
            problems.add(where, str(error))
    names: dict[str, Outsider] = {}
    for outsider in record.outsiders:
        try:
            names[outsider.key] = _check_outsider(outsider)
        except (ValueError, AuguryError) as error:
            problems.add(f"outside forecaster {outsider.name!r:.40}", str(error))
    for item in cleaned:
        for person in _people(item):
            if isinstance(person, Outsider) and person.key not in names:
                try:
                    names[person.key] = _check_outsider(person)
                except (ValueError, AuguryError) as error:
                    problems.add(f"forecaster {person.name!r:.40}", str(error))
    settings = None
    if record.settings is not None:
        try:
            settings = _check_settings(record.settings, guild_id, record.source_guild_id)
        except (ValueError, AuguryError) as error:
            problems.add("settings", str(error))
    problems.check()
    renamed = [_renamed(item, names) for item in cleaned]
    return replace(
        record,
        predictions=renamed,
        settings=settings,
        outsiders=[names[o.key] for o in record.outsiders],
    )


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _plausible(moment: datetime | None, what: str, latest: datetime) -> None:
    if moment is not None and not EARLIEST <= moment <= latest:
        raise ValueError(
            f"{what} {moment:%Y-%m-%d} is not a plausible date "
            f"({EARLIEST:%Y} to {MAX_YEARS_AHEAD} years from now)"
        )


def _check_prediction(item: ImportedPrediction, latest: datetime) -> ImportedPrediction:
    for moment, what in (
        (item.created_at, "created_at"),
        (item.resolves_at, "the resolution date"),
        (item.closes_at, "closes_at"),
        (item.resolved_at, "resolved_at"),
        (item.edited_at, "edited_at"),
    ):
        _plausible(moment, what, latest)
    if item.resolves_at < item.created_at:
        raise ValueError("the resolution date is before the prediction was created")
    if item.resolved_at is not None and item.resolved_at < item.created_at:
        raise ValueError("it was resolved before it was created")
    if (item.status == Status.RESOLVED) != (
        item.outcome is not None and item.resolved_at is not None
    ):
        raise ValueError("a resolved prediction needs an outcome and a resolution time, and "
                         "only a resolved one has them")  # fmt: skip
    if item.outcome is not None and item.outcome not in tuple(Outcome):
        raise ValueError("the outcome is not YES, NO or AMBIGUOUS")
    for n, event in enumerate(item.events, start=1):
        _plausible(event.when, f"forecast {n}'s time", latest)
    events = [
        replace(e, reason=clean_optional(e.reason, REASON_MAX, f"forecast {n}'s reason"))
        for n, e in enumerate(item.events, start=1)
    ]
    for _, _, _, when, _ in item.votes or ():
        _plausible(when, "a vote's time", latest)
    edits = []
    for who, field, old, new, at in item.edits:
        _plausible(at, "an edit's time", latest)
        if not field or len(field) > FIELD_MAX or not field.replace("_", "").isalnum():
            raise ValueError(f"an edit's field is not a field name of at most {FIELD_MAX} letters")
        edits.append(
            (
                who,
                field,
                clean_optional(old, DETAILS_MAX, "edit's old value"),
                clean_optional(new, DETAILS_MAX, "edit's new value"),
                at,
            )
        )
    item = _check_kind(replace(item, events=events))
    return replace(
        item,
        statement=clean_statement(item.statement),
        details=clean_details(item.details),
        resolution_note=clean_optional(item.resolution_note, NOTE_MAX, "resolution note"),
        resolution_source=clean_optional(item.resolution_source, SOURCE_MAX, "resolution source"),
        source_message_url=clean_optional(item.source_message_url, URL_MAX, "source message link"),
        edits=edits,
    )


def _check_kind(item: ImportedPrediction) -> ImportedPrediction:
    """The question's kind, setup, forecasts and answer by the kind's rules, canonical."""
    try:
        kind = kind_for(item.kind).check_spec(item.kind_spec)
    except InvalidInput as error:
        raise ValueError(str(error)) from None
    events = []
    for n, event in enumerate(item.events, start=1):
        permille, forecast = _checked_forecast(kind, event.permille, event.forecast, f"vote {n}")
        events.append(replace(event, permille=permille, forecast=forecast))
    votes = None
    if item.votes is not None:
        votes = []
        for who, permille, source, when, payload in item.votes:
            if permille is None and payload is None:
                raise ValueError("a current vote has no forecast")
            checked = _checked_forecast(kind, permille, payload, "a current vote")
            votes.append((who, checked[0], source, when, checked[1]))
    return replace(
        item,
        kind=kind.name,
        kind_spec=kind.spec_of(),
        events=events,
        votes=votes,
        outcome_value=_checked_outcome(kind, item.outcome, item.outcome_value),
    )


def _checked_forecast(
    kind: AnyKind, permille: int | None, payload: Any, what: str
) -> tuple[int | None, Any]:
    """A forecast as stored, checked like one typed in (None and None: a retraction)."""
    if permille is None and payload is None:
        return None, None
    try:
        forecast = kind.validate(kind.load_forecast(permille, payload))
    except InvalidInput as error:
        raise ValueError(f"{what}: {error}") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError):
        raise ValueError(f"{what} is not a {kind.title} forecast") from None
    stored = kind.store_forecast(forecast)
    return stored.permille, stored.payload


def _checked_outcome(kind: AnyKind, outcome: Outcome | None, value: Any) -> Any:
    """The answer kept beside an ANSWERED outcome, loaded by the kind; nothing otherwise."""
    if outcome != Outcome.ANSWERED:
        if value is not None:
            raise ValueError("only an ANSWERED outcome has an `outcome_value`")
        if outcome in (Outcome.YES, Outcome.NO) and not kind.per_mille:
            raise ValueError(f"a {kind.title} question is not resolved YES or NO")
        return None
    if kind.per_mille:
        raise ValueError(f"a {kind.title} question is resolved YES, NO or AMBIGUOUS")
    stored = StoredOutcome(Outcome.ANSWERED, value)
    try:
        again = kind.store_outcome(kind.load_outcome(stored))
    except InvalidInput as error:
        raise ValueError(f"the outcome: {error}") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError):
        again = None
    if again != stored:
        raise ValueError(f"the outcome is not an answer a {kind.title} question can have")
    return again.payload


def _check_outsider(outsider: Outsider) -> Outsider:
    if outsider.name is None:
        return outsider
    name = clean_optional(" ".join(outsider.name.split()), NAME_MAX, "forecaster's name")
    return Outsider(outsider.key, name)


def _people(item: ImportedPrediction) -> list[Any]:
    people: list[Any] = [item.author, item.resolver, item.claimant]
    people += [e.who for e in item.events] + [v[0] for v in item.votes or ()]
    return people + [f[0] for f in item.follows] + [e[0] for e in item.edits]


def _renamed(item: ImportedPrediction, names: dict[str, Outsider]) -> ImportedPrediction:
    """Outsiders replaced by their checked (cleaned) selves."""

    def of(person: Any) -> Any:
        return names.get(person.key, person) if isinstance(person, Outsider) else person

    return replace(
        item,
        author=of(item.author),
        resolver=of(item.resolver),
        claimant=of(item.claimant),
        events=[replace(e, who=of(e.who)) for e in item.events],
        votes=None if item.votes is None else [(of(w), p, s, t, f) for w, p, s, t, f in item.votes],
        follows=[(of(w), f) for w, f in item.follows],
        edits=[(of(w), f, o, n, t) for w, f, o, n, t in item.edits],
    )


_BOOLEANS = {"close_warning", "archive_on_resolve", "voters_follow"}
_IDS = {"prediction_channel_id", "moderator_role_id"}


def _check_settings(
    settings: dict[str, Any], guild_id: int, source_guild_id: int | None
) -> dict[str, Any]:
    """The file's server settings by ``/augury``'s rules. Channel and role ids from another
    server's export name nothing here and are left out; @everyone (either server's) is refused
    by the rule ``/augury moderator-role`` uses (:mod:`bot.services.core.server_config`)."""
    values: dict[str, Any] = {}
    for name in SERVER_SETTINGS:
        value = settings.get(name)
        if value is None:
            continue
        if name in _BOOLEANS and not isinstance(value, bool):
            raise ValueError(f"`{name}` is not true or false")
        if name in _IDS:
            value = discord_id(value, f"`{name}`")
            everyone = name == "moderator_role_id" and value in (guild_id, source_guild_id)
            if everyone:
                value = guild_id  # refused by checked_guild_changes, as /augury refuses it
            elif source_guild_id != guild_id:
                continue
        elif isinstance(value, bool) and name not in _BOOLEANS:
            raise ValueError(f"`{name}` is not a {name.replace('_', ' ')}")
        values[name] = value
    return checked_guild_changes(values, guild_id)
