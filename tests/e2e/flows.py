"""Steps the end-to-end scenarios share: start the bot quickly, create, vote, read the database.

Everything waits on what the fake Discord received (a request, a log line, a database row),
never on a fixed sleep. Nothing is shared between tests: each test gets its own fake, its own
process and its own SQLite file.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord, RecordedRequest
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import ComponentType, MessageFlag, ResponseType

JSON = dict[str, Any]

# Short timings so a scenario takes seconds: discord.py waits GUILD_READY_TIMEOUT for more
# servers before "ready", votes are re-rendered at most every VOTE_RENDER_SECONDS, and the
# reminder scheduler looks for due reminders every REMINDER_POLL_SECONDS.
FAST_ENV: Mapping[str, str] = {
    "GUILD_READY_TIMEOUT": "0.1",
    "VOTE_RENDER_SECONDS": "0.2",
    "REMINDER_POLL_SECONDS": "0.2",
    "LOG_LEVEL": "INFO",
}
READY_LOG = r"Augury is ready as"
DEFAULT_KEYCAPS = (1, 3, 5, 7, 9)
JUMP_URL = re.compile(
    r"https://discord\.com/channels/(?P<guild>\d+)/(?P<channel>\d+)/(?P<message>\d+)"
)
VOTE_BUTTON = re.compile(r"^augury:myvote:(?P<id>\d+)$")  # My vote: there in every state
#: Interaction responses that carry the bot's answer itself (a message or a modal).
ANSWERS = (ResponseType.CHANNEL_MESSAGE_WITH_SOURCE, ResponseType.MODAL)


def keycap(tens: int) -> str:
    """The keycap emoji for 0–9 (tens of percent), as a member's client sends it."""
    return f"{tens}\ufe0f\u20e3"


# --- the process ---------------------------------------------------------------------------


async def launch(bot: BotProcess, **env: str) -> None:
    """Start ``python -m bot`` with the fast settings (plus ``env``) and wait until ready."""
    bot.extra_env.update(FAST_ENV)
    bot.extra_env.update(env)
    await bot.start()
    await until_ready(bot)


async def until_ready(bot: BotProcess) -> None:
    """Identified, commands synced, and the guild received (``on_ready`` logged)."""
    await bot.wait_ready()
    await bot.wait_for_log(READY_LOG)


async def relaunch(bot: BotProcess, *, kill: bool = False) -> None:
    """Stop (SIGTERM, or SIGKILL with ``kill``) and start again on the same database."""
    await bot.restart(kill=kill)
    await until_ready(bot)


# --- interactions and the bot's answers ----------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What the bot answered an interaction with: a message (its text) or a modal."""

    request: RecordedRequest
    text: str
    ephemeral: bool
    modal: JSON | None


def _answer_of(request: RecordedRequest) -> Answer:
    body = request.json or {}
    if "/callback" in request.path:
        data = body.get("data") or {}
        modal = data if body.get("type") == ResponseType.MODAL else None
        flags = int(data.get("flags") or 0)
        ephemeral = bool(flags & MessageFlag.EPHEMERAL)
        return Answer(request, str(data.get("content") or ""), ephemeral, modal)
    flags = int(body.get("flags") or 0)
    return Answer(
        request, str(body.get("content") or ""), bool(flags & MessageFlag.EPHEMERAL), None
    )


def find_answer(fake: FakeDiscord, payload: JSON) -> Answer | None:
    """The bot's answer with content, if it arrived: a message or modal in the callback, or
    the follow-up after a deferral (an ephemeral error after a defer is a follow-up too)."""
    callback = f"/interactions/{payload['id']}/{payload['token']}/callback"
    followup = re.compile(rf"^/webhooks/\d+/{re.escape(payload['token'])}$")
    for request in fake.requests:
        if request.method != "POST" or request.status >= 300:
            continue
        if request.path == callback and (request.json or {}).get("type") in ANSWERS:
            return _answer_of(request)
        if followup.match(request.path):
            return _answer_of(request)
    return None


async def answer(fake: FakeDiscord, payload: JSON, timeout: float = 8.0) -> Answer:  # noqa: ASYNC109
    """Wait for the bot's answer to ``payload`` (already dispatched)."""
    found: Answer = await fake.wait_for(
        lambda: find_answer(fake, payload),
        timeout,
        message=f"for the answer to interaction {payload['id']} ({payload.get('data')})",
    )
    return found


async def send(fake: FakeDiscord, payload: JSON, timeout: float = 8.0) -> Answer:  # noqa: ASYNC109
    """Dispatch an interaction and wait for the bot's answer."""
    await fake.dispatch("INTERACTION_CREATE", payload)
    return await answer(fake, payload, timeout)


def modal_inputs(modal: JSON) -> dict[str, JSON]:
    """The text inputs of a modal by label (in a Label component or a legacy action row)."""
    inputs: dict[str, JSON] = {}
    for row in modal.get("components") or []:
        if row.get("type") == ComponentType.LABEL and isinstance(row.get("component"), dict):
            inputs[str(row.get("label"))] = row["component"]
        for component in row.get("components") or []:
            if component.get("type") == ComponentType.TEXT_INPUT:
                inputs[str(component.get("label"))] = component
    return inputs


# --- predictions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    """A prediction as the bot posted it."""

    prediction_id: int
    number: int
    channel_id: str
    message_id: str
    thread_id: str | None
    reply: str


def prediction_id_of(message: JSON) -> int:
    """The prediction id, from the custom_id of the My vote button on its message."""
    for row in message.get("components") or []:
        for component in row.get("components") or []:
            match = VOTE_BUTTON.match(str(component.get("custom_id", "")))
            if match:
                return int(match["id"])
    raise LookupError(f"no My vote button on message {message['id']}: {message.get('components')}")


def custom_ids(message: JSON) -> list[str]:
    return [
        str(component.get("custom_id"))
        for row in message.get("components") or []
        for component in row.get("components") or []
    ]


def bot_reactions(message: JSON) -> list[str]:
    """The emojis the bot itself reacted with, in order."""
    return [r["emoji"]["name"] for r in message.get("reactions") or [] if r.get("me")]


async def posted_from(
    fake: FakeDiscord, reply: str, *, keycaps: int = len(DEFAULT_KEYCAPS)
) -> Posted:
    """The prediction the bot's "Posted prediction #n: <link>" reply points to.

    Waits until the bot has added ``keycaps`` reactions, so later requests are the test's.
    """
    link = JUMP_URL.search(reply)
    number = re.search(r"prediction \*\*#(\d+)\*\*", reply)
    if link is None or number is None:
        raise AssertionError(f"the reply does not link the new prediction: {reply!r}")
    message_id = link["message"]
    if keycaps:
        await fake.wait_for(
            lambda: len(bot_reactions(fake.message(message_id))) >= keycaps,
            message=f"for {keycaps} keycap reactions on {message_id}",
        )
    message = fake.message(message_id)
    thread = message.get("thread")
    return Posted(
        prediction_id=prediction_id_of(message),
        number=int(number[1]),
        channel_id=link["channel"],
        message_id=message_id,
        thread_id=str(thread["id"]) if thread else None,
        reply=reply,
    )


async def predict(
    fake: FakeDiscord,
    statement: str,
    resolves: str,
    *options: JSON,
    user: str = "alice",
    channel_id: str | None = None,
    keycaps: int = len(DEFAULT_KEYCAPS),
) -> Posted:
    """``/predict`` and wait until it is posted (and its keycaps added)."""
    payload = fake.slash(
        "predict",
        p.option("statement", statement),
        p.option("resolves", resolves),
        *options,
        user=user,
        channel_id=channel_id,
    )
    reply = await send(fake, payload)
    return await posted_from(fake, reply.text, keycaps=keycaps)


async def track_as(
    fake: FakeDiscord, source_id: str, *, user: str = "alice", kind: str = "Yes/no"
) -> tuple[JSON, Answer]:
    """ "Track as prediction" on a message, then the kind's button in the private choice that
    follows: the click (its record holds the form) and the bot's answer to it."""
    menu = fake.message_command("Track as prediction", source_id, user=user)
    asked = await send(fake, menu)
    if asked.modal is not None or not asked.ephemeral:
        raise AssertionError(f"Track as prediction did not ask for a kind: {asked.text!r}")
    record = fake.state.interactions[str(menu["id"])]
    message = fake.state.message(str(record.original_id))
    chosen = next(
        c for row in message["components"] for c in row["components"] if c.get("label") == kind
    )
    click = fake.click(message["id"], chosen["custom_id"], user=user)
    return click, await send(fake, click)


# --- votes ---------------------------------------------------------------------------------


async def open_vote_modal(fake: FakeDiscord, message_id: str, who: str) -> JSON:
    """Click Vote as ``who``; returns the click payload (its record holds the modal)."""
    message = fake.message(message_id)
    click = fake.click(message_id, f"augury:vote:{prediction_id_of(message)}", user=who)
    opened = await send(fake, click)
    if opened.modal is None:
        raise AssertionError(f"Vote did not open a modal for {who}: {opened.text!r}")
    return click


def vote_submit(fake: FakeDiscord, click: JSON, who: str, value: str) -> JSON:
    """The modal submit that answers the modal opened by ``click``."""
    record = fake.state.interactions[str(click["id"])]
    return fake.submit_modal({"probability": value}, user=who, record=record)


async def vote_by_modal(fake: FakeDiscord, message_id: str, who: str, value: str) -> Answer:
    """Vote button → modal → submit; returns the bot's confirmation."""
    click = await open_vote_modal(fake, message_id, who)
    return await send(fake, vote_submit(fake, click, who, value))


async def react(
    fake: FakeDiscord, message_id: str, emoji: str, who: str, *, add: bool = True
) -> None:
    """A member adds (or removes) a reaction, as the gateway reports it."""
    if add:
        await fake.dispatch("MESSAGE_REACTION_ADD", fake.reaction_add(message_id, emoji, user=who))
    else:
        await fake.dispatch(
            "MESSAGE_REACTION_REMOVE", fake.reaction_remove(message_id, emoji, user=who)
        )


# --- the public message ---------------------------------------------------------------------


def embed_of(message: JSON) -> JSON:
    embeds = message.get("embeds") or []
    if not embeds:
        raise AssertionError(f"message {message.get('id')} has no embed")
    return dict(embeds[0])


def field(embed: JSON, name: str) -> str:
    for entry in embed.get("fields") or []:
        if entry.get("name") == name:
            return str(entry.get("value"))
    names = [entry.get("name") for entry in embed.get("fields") or []]
    raise AssertionError(f"embed has no field {name!r}; has {names}")


def forecast(message: JSON) -> str:
    """The "Community forecast" field of a prediction message."""
    return field(embed_of(message), "Community forecast")


def edit_path(channel_id: str, message_id: str) -> str:
    return rf"^/channels/{channel_id}/messages/{message_id}$"


async def wait_for_render(
    fake: FakeDiscord,
    posted: Posted,
    check: Callable[[JSON], bool],
    *,
    after: int,
    timeout: float = 8.0,  # noqa: ASYNC109
) -> RecordedRequest:
    """The first successful edit of the prediction message (after ``after``) passing ``check``."""
    return await fake.wait_for_request(
        lambda r: r.status == 200 and check(r.json or {}),
        timeout,
        method="PATCH",
        path=edit_path(posted.channel_id, posted.message_id),
        after=after,
    )


def shows(count: int, median: str | None = None) -> Callable[[JSON], bool]:
    """An edit check: the community forecast shows ``count`` forecasters (and the median)."""

    def check(body: JSON) -> bool:
        text = forecast(body)
        if count == 0:
            return text == "No forecasts yet."
        people = "forecaster" if count == 1 else "forecasters"
        ok = f"{count} {people}" in text
        return ok and (median is None or f"**{median}** median" in text)

    return check


# --- the database ---------------------------------------------------------------------------


@contextlib.contextmanager
def database(path: Path) -> Iterator[sqlite3.Connection]:
    """A read connection to the bot's SQLite file (fine while the bot runs: WAL)."""
    connection = sqlite3.connect(path, timeout=10)
    connection.row_factory = sqlite3.Row
    try:
        yield connection
    finally:
        connection.close()


def votes(path: Path, prediction_id: int) -> dict[int, int]:
    """user id → current vote in per mille."""
    with database(path) as db:
        rows = db.execute(
            "SELECT user_id, permille FROM votes WHERE prediction_id = ?", (prediction_id,)
        ).fetchall()
    return {int(row["user_id"]): int(row["permille"]) for row in rows}


def prediction_row(path: Path, prediction_id: int) -> dict[str, Any]:
    with database(path) as db:
        row = db.execute("SELECT * FROM predictions WHERE id = ?", (prediction_id,)).fetchone()
    if row is None:
        raise AssertionError(f"no prediction {prediction_id} in the database")
    return dict(row)


#: The prediction columns that hold a moment still to come (SQLite: naive UTC text).
FUTURE_COLUMNS = ("resolves_at", "closes_at", "next_reminder_at", "close_warning_at")
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def come_due(path: Path, prediction_id: int, *, ago: float = 0.0) -> None:
    """Move a prediction's future dates back together so its resolution date is now (or
    ``ago`` seconds before): what the time until then passing leaves behind. The bot reads the
    real clock, so its scheduler then finds the reminder due at its next poll, without the test
    waiting for that time."""
    now = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=ago)
    with database(path) as db:
        row = db.execute(
            f"SELECT {', '.join(FUTURE_COLUMNS)} FROM predictions WHERE id = ?", (prediction_id,)
        ).fetchone()
        if row is None:
            raise AssertionError(f"no prediction {prediction_id} in the database")
        shift = datetime.fromisoformat(row["resolves_at"]) - now
        moved = {
            column: (datetime.fromisoformat(row[column]) - shift).strftime(SQLITE_TIME)
            for column in FUTURE_COLUMNS
            if row[column] is not None
        }
        assignments = ", ".join(f"{column} = :{column}" for column in moved)
        db.execute(
            f"UPDATE predictions SET {assignments} WHERE id = :id", {**moved, "id": prediction_id}
        )
        db.commit()


def integrity(path: Path) -> str:
    with database(path) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


# --- the bot's log ----------------------------------------------------------------------------


def log_problems(bot: BotProcess) -> list[str]:
    """ERROR lines and tracebacks in the bot's output (an unhandled error somewhere)."""
    return [
        line
        for line in bot.log_text().splitlines()
        if " ERROR " in line or line.startswith("Traceback")
    ]


def assert_log_clean(bot: BotProcess) -> None:
    problems = log_problems(bot)
    assert not problems, (
        "the bot logged errors:\n" + "\n".join(problems) + "\n" + bot.log_text()[-3000:]
    )
