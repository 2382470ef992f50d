"""The bot's answer to an interaction, however it came: the callback, a follow-up, or an edit
of the deferred "thinking…" message (the e2e flows read only the first two)."""

from __future__ import annotations

from typing import Any

from tests.fakediscord import FakeDiscord

JSON = dict[str, Any]


def _bodies(fake: FakeDiscord, payload: JSON) -> list[JSON]:
    bodies = []
    for request in fake.requests:
        if payload["token"] not in request.path or request.status >= 300 or not request.json:
            continue
        body = request.json.get("data") or {} if "/callback" in request.path else request.json
        bodies.append(body)
    return bodies


async def embeds_answering(fake: FakeDiscord, payload: JSON) -> list[JSON]:
    """Dispatch ``payload``; the embeds of the bot's answer."""
    await fake.dispatch("INTERACTION_CREATE", payload)

    def found() -> list[JSON] | None:
        return next((list(b["embeds"]) for b in _bodies(fake, payload) if b.get("embeds")), None)

    embeds: list[JSON] = await fake.wait_for(found, 10, message="for an answer with an embed")
    return embeds


async def text_answering(fake: FakeDiscord, payload: JSON) -> str:
    """Dispatch ``payload``; the text of the bot's answer."""
    await fake.dispatch("INTERACTION_CREATE", payload)

    def found() -> str | None:
        return next((str(b["content"]) for b in _bodies(fake, payload) if b.get("content")), None)

    text: str = await fake.wait_for(found, 10, message="for an answer with text")
    return text
