"""The string sweep: every text the bot showed members, read from what the fake Discord
received, checked against the house rules for member-facing words (issue 23).

What is read: message contents, embeds (title, description, fields, footer, author), buttons,
select menus (placeholders, options), modals (titles, labels, placeholders) and autocomplete
choices, in channel posts, thread posts, DMs, interaction answers, follow-ups and edits.
Command definitions (names and descriptions in the command picker) are not: Discord shows them
as plain text, where a mention cannot be.

The rules, each offender reported with where it was sent (all of them at once):
- **plural**: no "(s)" plural hacks ("1 forecaster", "2 forecasters").
- **internal word**: no "modal", "slash", "per mille"/"permille", exception class names
  (``InvalidInput``, ``ValueError``…), ``None`` or ``null`` shown as a value.
- **command**: where Discord renders mentions (message content, embed descriptions and field
  values), a command is named as a mention (``</vote:123>``) whose id is a synced command's.
  The one exception is an example of what to type: code that shows options
  (`` `/vote prediction:3 probability:70` ``), as a mention cannot carry options. A bare
  `` `/vote` `` in code, or ``/vote`` in plain text, is an offence. Where Discord shows
  mentions raw (embed titles, field names, footers, button and select labels, modal labels,
  autocomplete choices), a mention is the offence and ``/vote`` is how a command is named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tests.fakediscord import FakeDiscord, RecordedRequest

#: Requests that carry what members read (the bot's messages and interaction answers).
_SENDS = re.compile(
    r"^/(channels/\d+/messages(/\d+)?|channels/\d+/threads|interactions/\d+/[^/]+/callback"
    r"|webhooks/\d+/[^/]+(/messages/[^/]+)?)$"
)
_MENTION = re.compile(r"</([\w -]+):(\d+)>")
_CODE_BLOCK = re.compile(r"```.*?```", re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_PLURAL_HACK = re.compile(r"\w\(s\)")
_INTERNAL = re.compile(
    r"\b(modals?|slash|per[ -]?mille|[A-Z][A-Za-z]*(?:Error|Exception)|InvalidInput|NotFound"
    r"|null)\b|\bNone\b(?!\s+(?:of|yet|at|so|here)\b)",
)


@dataclass(frozen=True)
class Offence:
    rule: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.where}: {self.text!r}"


#: A text and whether Discord renders mentions in it (message content, embed descriptions and
#: field values do; titles, field names, footers, labels and choices show them raw).
Text = tuple[str, bool]


def _component_texts(components: Iterable[Any]) -> Iterator[Text]:
    for component in components or ():
        if not isinstance(component, dict):
            continue
        for key in ("label", "placeholder", "title"):
            if isinstance(component.get(key), str):
                yield component[key], False
        if isinstance(component.get("content"), str):  # a text display renders markdown
            yield component["content"], True
        for option in component.get("options") or ():
            if isinstance(option, dict):
                yield from (
                    (str(option[k]), False) for k in ("label", "description") if option.get(k)
                )
        inner = component.get("component")
        yield from _component_texts([inner] if isinstance(inner, dict) else [])
        yield from _component_texts(component.get("components") or ())


def _embed_texts(embeds: Iterable[Any]) -> Iterator[Text]:
    for embed in embeds or ():
        if not isinstance(embed, dict):
            continue
        if embed.get("title"):
            yield str(embed["title"]), False
        if embed.get("description"):
            yield str(embed["description"]), True
        for entry in embed.get("fields") or ():
            if entry.get("name"):
                yield str(entry["name"]), False
            if entry.get("value"):
                yield str(entry["value"]), True
        for part in ("footer", "author"):
            value = embed.get(part) or {}
            yield from ((str(value[k]), False) for k in ("text", "name") if value.get(k))


def message_texts(body: Any) -> Iterator[Text]:
    """Every member-facing string of one message, modal or autocomplete answer."""
    if not isinstance(body, dict):
        return
    data = body.get("data") if isinstance(body.get("data"), dict) else None
    if data is not None and "type" in body:  # an interaction callback
        body = data
    message = body.get("message") if isinstance(body.get("message"), dict) else None
    if message is not None:  # a forum post: the thread and its first message
        yield from message_texts(message)
    if isinstance(body.get("content"), str) and body["content"]:
        yield body["content"], True
    if isinstance(body.get("title"), str) and "components" in body:  # a modal
        yield body["title"], False
    yield from _embed_texts(body.get("embeds") or ())
    yield from _component_texts(body.get("components") or ())
    for choice in body.get("choices") or ():
        if isinstance(choice, dict) and choice.get("name"):
            yield str(choice["name"]), False


def sent_texts(requests: Iterable[RecordedRequest]) -> Iterator[tuple[str, str, bool]]:
    """(where, text, whether mentions render there) for everything the bot sent members."""
    for request in requests:
        if request.method not in {"POST", "PATCH"} or not _SENDS.match(request.path):
            continue
        where = f"{request.method} {request.path}"
        for text, renders in message_texts(request.json):
            yield where, text, renders


def _command_ids(fake: FakeDiscord) -> dict[str, str]:
    """Top-level command name → id, over every scope the bot synced."""
    return {
        str(command["name"]): str(command["id"])
        for commands in fake.state.commands.values()
        for command in commands
        if command.get("type", 1) == 1
    }


def offences_in(
    text: str, where: str, commands: dict[str, str], *, mentions_render: bool = True
) -> list[Offence]:
    found: list[Offence] = []
    if _PLURAL_HACK.search(text):
        found.append(Offence("plural", where, text))
    if not mentions_render and _MENTION.search(text):
        found.append(Offence("mention where Discord shows it raw", where, text))
    for match in _MENTION.finditer(text):
        top = match[1].split(" ")[0]
        if commands.get(top) != match[2]:
            found.append(Offence("mention of no synced command", where, match[0]))
    plain = _MENTION.sub(" ", text)
    plain = _CODE_BLOCK.sub(" ", plain)
    spans = []
    for span in _CODE_SPAN.findall(plain):
        inner = span.strip("`")
        if inner.startswith("/") and ":" not in inner:  # a command named as code, no options
            spans.append(span)
    plain_words = _CODE_SPAN.sub(" ", plain)
    internal = _INTERNAL.search(plain_words)
    if internal:
        found.append(Offence(f"internal word {internal[0]!r}", where, text))
    names = "|".join(re.escape(name) for name in sorted(commands, key=len, reverse=True))
    if names and mentions_render:
        bare = re.compile(rf"(?<![\w/<:.])/({names})\b")
        for span in spans:
            if span.strip("`")[1:].split(" ")[0] in commands:
                found.append(Offence("command as code, not a mention", where, span))
        for match in bare.finditer(plain_words):
            found.append(Offence("command as plain text, not a mention", where, match[0]))
    return found


def offences(fake: FakeDiscord, *, after: int = 0) -> list[Offence]:
    """Every offence in what the bot sent since request ``after``; each text checked once."""
    commands = _command_ids(fake)
    seen: set[str] = set()
    found: list[Offence] = []
    for where, text, renders in sent_texts(r for r in fake.requests if r.index >= after):
        if text in seen:
            continue
        seen.add(text)
        found.extend(offences_in(text, where, commands, mentions_render=renders))
    return found


def assert_member_texts_clean(fake: FakeDiscord, *, after: int = 0) -> None:
    """The sweep, as an assertion that lists every offender."""
    found = offences(fake, after=after)
    assert not found, f"{len(found)} member-facing texts break the rules:\n" + "\n".join(
        str(offence) for offence in found
    )


def mentions_sent(fake: FakeDiscord) -> set[str]:
    """The command mentions the bot sent (a sweep that finds none read nothing)."""
    return {
        match[0] for _, text, _ in sent_texts(fake.requests) for match in _MENTION.finditer(text)
    }


def assert_stands_on_its_own(fake: FakeDiscord, content: str, statement: str, posted: Any) -> None:
    """A DM read out of context: it names the server and the statement, links the prediction's
    message, and says how to stop such messages (the /notifications mention)."""
    notifications = _command_ids(fake)["notifications"]
    assert f"**{fake.state.world.guild_name}**" in content, content
    assert f"> {statement}" in content, content
    assert f"/{posted.channel_id}/{posted.message_id}" in content, content
    assert f"</notifications:{notifications}>" in content, content
