"""The commands and forms work for any registered kind (issue #19's command surface).

A toy kind sketched here ("pick one colour", with its options) is voted on with /vote's
``forecast`` and ``probability``, from the Vote button's form, shown in the message by its
rendering, and resolved with /resolve (autocompleted with its options) and from the message's
Resolve button (a select of its options). Nothing outside this file knows the toy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

import discord
import pytest

from bot.domain.errors import InvalidInput
from bot.domain.kinds import (
    AnyKind,
    PointScore,
    QuestionKind,
    StoredForecast,
    StoredOutcome,
    register,
    unregister,
)
from bot.domain.kinds.base import Payload
from bot.domain.vocabulary import Outcome
from bot.rendering.community import KindRendering, forget_rendering, register_rendering
from bot.services.core.dto import PredictionInfo
from bot.services.predictions.service import NewPrediction
from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, predict, prediction_message, track, uid
from tests.fakediscord import payloads as p


class Colour(QuestionKind[str, str]):
    """Pick one of the question's colours."""

    name: ClassVar[str] = "toy_colour"
    title: ClassVar[str] = "colour"
    spec_fields: ClassVar[tuple[str, ...]] = ("options",)
    outcome_help: ClassVar[str] = "The outcome is one of the colours."

    def __init__(self, options: tuple[str, ...] = ()) -> None:
        self.options = options

    def parse_spec(self, fields: Mapping[str, str]) -> Payload | None:
        return {"options": [o.strip() for o in fields.get("options", "").split("|")]}

    def bind(self, spec: Payload | None) -> Colour:
        return Colour(tuple(spec["options"])) if spec else self

    def spec_of(self) -> Payload | None:
        return {"options": list(self.options)}

    def parse_forecast(self, text: str) -> str:
        return self.validate(text.strip().lower())

    def validate(self, forecast: object) -> str:
        if forecast not in self.options:
            raise InvalidInput(f"Pick one of {', '.join(self.options)}.")
        return str(forecast)

    def store_forecast(self, forecast: str) -> StoredForecast:
        return StoredForecast(None, {"pick": forecast})

    def load_forecast(self, permille: int | None, payload: Payload | None) -> str:
        return str(payload["pick"])

    def describe_forecast(self, forecast: str) -> str:
        return forecast.upper()

    def pool(self, forecasts: Sequence[str]) -> str | None:
        return max(sorted(set(forecasts)), key=list(forecasts).count) if forecasts else None

    def parse_outcome(self, text: str) -> str:
        return self.validate(text.strip().lower())

    def store_outcome(self, outcome: str) -> StoredOutcome:
        return StoredOutcome(Outcome.ANSWERED, {"pick": outcome})

    def load_outcome(self, stored: StoredOutcome) -> str:
        return str(stored.payload["pick"])

    def describe_outcome(self, outcome: str) -> str:
        return outcome.upper()

    def score(self, forecast: str, outcome: str) -> PointScore:
        right = forecast == outcome
        return PointScore(penalty=0.0 if right else 1.0, log=0.0 if right else -1.0)


def colour_choices(kind: AnyKind) -> Sequence[tuple[str, str]]:
    return [(option.upper(), option) for option in kind.spec_of()["options"]]


@pytest.fixture(autouse=True)
def colour_kind() -> Iterator[None]:
    register(Colour())
    register_rendering(
        Colour.name,
        KindRendering(forecast_placeholder="e.g. red", outcome_choices=colour_choices),
    )
    yield
    forget_rendering(Colour.name)
    unregister(Colour.name)


async def post_colour_question(h: Harness) -> PredictionInfo:
    """alice asks "Which colour wins?" (red | blue | green), posted as /predict posts it."""
    info = await h.services.predictions.create(
        NewPrediction(
            guild_id=guild(h),
            author_id=uid(h, "alice"),
            statement="Which colour wins?",
            resolves="2027-06-30",
            kind=Colour.name,
            kind_fields={"options": "red | blue | green"},
            channel_id=int(h.fake.text_channel_id),
        )
    )
    channel = h.bot.get_channel(int(h.fake.text_channel_id))
    assert isinstance(channel, discord.TextChannel)
    published = await h.bot.public_messages.publish(channel, info)
    await h.services.predictions.attach_message(
        info.id,
        channel_id=published.channel_id,
        message_id=published.message_id,
        thread_id=published.thread_id,
    )
    h.bot.dispatch("prediction_published", info.id, published.message)
    await h.settle()
    posted = await h.services.predictions.by_id(info.id)
    assert posted is not None
    return posted


def vote(h: Harness, user: str, **options: str) -> dict[str, Any]:
    extra = [p.option(name, value) for name, value in options.items()]
    return h.fake.slash("vote", p.option("prediction", 1), *extra, user=user)


async def current(h: Harness, info: PredictionInfo, who: str) -> object:
    return (await h.services.votes.my_vote(guild(h), info.id, uid(h, who))).current_forecast


async def test_any_kind_is_voted_on_from_vote_and_its_form_and_shown_by_its_rendering(
    harness: Harness,
) -> None:
    h = harness
    info = await post_colour_question(h)
    message = prediction_message(h, info)
    assert not message.get("reactions")  # keycaps are probabilities: not seeded here
    footer = message["embeds"][0]["footer"]["text"]
    assert "Vote with the 🗳️ Vote button or `/vote`" in footer and "React" not in footer

    # /vote forecast, and probability too: both are read by the question's kind.
    reply = await h.run(vote(h, "bob", forecast="Blue"))
    assert reply.ephemeral and "Your forecast on #1 is now **BLUE**" in reply.text, reply.text
    reply = await h.run(vote(h, "bob", probability="red"))
    assert "now **RED** (was BLUE)" in reply.text, reply.text
    assert await current(h, info, "bob") == "red"

    # Neither, both, or a forecast the kind refuses: said privately, nothing recorded.
    for options, expected in (
        ({}, "Give your forecast: `probability` on a yes/no question"),
        ({"probability": "red", "forecast": "blue"}, "not in both"),
        ({"forecast": "purple"}, "Pick one of red, blue, green"),
    ):
        refused = await h.run(vote(h, "carol", **options))
        assert refused.ephemeral and expected in refused.text, refused.text
    assert await current(h, info, "carol") is None

    # The Vote button opens the kind's form, prefilled with the member's forecast.
    click = h.fake.click(str(info.message_id), f"augury:vote:{info.id}", user="bob")
    opened = await h.run(click)
    assert opened.modal is not None
    [field] = [
        c
        for row in opened.modal["components"]
        for c in ([row["component"]] if "component" in row else row.get("components", []))
        if c.get("custom_id") == "probability"
    ]
    assert (field["value"], field["placeholder"]) == ("RED", "e.g. red")
    submitted = await h.run(h.fake.submit_modal({"probability": "green"}, user="bob"))
    assert "now **GREEN** (was RED)" in submitted.text, submitted.text

    await h.run(vote(h, "carol", forecast="green"))
    await h.settle()
    embed = prediction_message(h, info)["embeds"][0]
    community = next(f["value"] for f in embed["fields"] if f["name"] == "Community forecast")
    assert community == "**GREEN** · 2 forecasters"

    # My vote says it in the kind's words, with its history.
    mine = await h.run(h.fake.click(str(info.message_id), f"augury:myvote:{info.id}", user="bob"))
    assert "Your forecast on #1: **GREEN**" in mine.text
    assert [line.split(": ")[-1] for line in mine.text.splitlines() if line.startswith("•")] == [
        "BLUE (slash)",
        "RED (slash)",
        "GREEN (modal)",
    ]


async def test_any_kind_is_resolved_by_its_own_outcomes_from_resolve_and_the_message(
    harness: Harness,
) -> None:
    h = harness
    info = await post_colour_question(h)

    typed = h.fake.autocomplete(
        "resolve", p.option("prediction", 1), p.option("outcome", "", focused=True)
    )
    offered = await h.run(typed)
    assert offered.choices is not None
    assert [(c["name"], c["value"]) for c in offered.choices] == [
        ("RED", "red"),
        ("BLUE", "blue"),
        ("GREEN", "green"),
        ("AMBIGUOUS (not scored)", "ambiguous"),
    ]
    refused = await h.run(
        h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "yes"))
    )
    assert refused.ephemeral and "Pick one of red, blue, green" in refused.text

    # Resolve on the message: the question's own outcomes in a select; picking one resolves.
    asked = await h.run(
        h.fake.click(str(info.message_id), f"augury:resolvemenu:{info.id}", user="alice")
    )
    [message] = asked.messages
    [select] = [c for row in message["components"] for c in row["components"]]
    assert [o["value"] for o in select["options"]] == ["red", "blue", "green", "ambiguous"]
    done = await h.run(
        h.fake.click(message["id"], select["custom_id"], user="alice", values=["blue"])
    )
    await h.settle()
    told = [h.fake.state.messages[i] for i in done.record.message_ids]
    assert any("Resolved #1 🎯 BLUE" in str(m.get("content")) for m in told), told
    stored = await h.services.predictions.get(guild(h), 1)
    assert (stored.outcome, stored.outcome_value) == (Outcome.ANSWERED, {"pick": "blue"})


async def test_predict_takes_a_kind_and_its_setup_and_yes_no_refuses_a_setup(
    harness: Harness,
) -> None:
    h = harness
    refused = await predict(
        h,
        p.option("statement", "Rain on Sunday"),
        p.option("resolves", "2027-06-30"),
        p.option("kind", "yes_no"),
        p.option("options", "a | b"),
    )
    assert refused.ephemeral and "takes no `options`" in refused.text, refused.text
    assert (await h.services.predictions.list_page(guild(h))).total == 0
    posted = await predict(
        h,
        p.option("statement", "Rain on Sunday"),
        p.option("resolves", "2027-06-30"),
        p.option("kind", "yes_no"),
        p.option("probability", "0"),
    )
    assert "Posted prediction **#1**" in posted.text
    assert "ℹ️ Your forecast:" in posted.text  # yes/no's note: 0 counts as 1 %


async def test_track_as_prediction_asks_the_kind_then_opens_that_kinds_form(
    harness: Harness,
) -> None:
    h = harness
    source = h.fake.user_message(
        "Which colour wins the vote by 2027-06-30? red or blue", user="bob"
    )
    opened = await track(h, source["id"], kind="Colour")
    assert opened.modal is not None
    assert opened.modal["custom_id"].startswith("augury:create-as:toy_colour:")
    labels = [
        c.get("label") or row.get("label")
        for row in opened.modal["components"]
        for c in ([row["component"]] if "component" in row else row.get("components", []))
    ]
    assert "Options, separated by |" in labels
    done = await h.run(h.fake.submit_modal({"options": "red | blue"}))
    assert "Posted prediction **#1**" in done.text, done.text
    info = await h.services.predictions.get(guild(h), 1)
    assert (info.kind, info.kind_spec) == (Colour.name, {"options": ["red", "blue"]})
    assert info.claimant_id == uid(h, "bob")
