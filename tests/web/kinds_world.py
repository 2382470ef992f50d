"""One question of each kind that draws its own charts on the web (multiple choice, numeric,
date), each forecast twice at different moments so every chart has a line to draw; and one
multiple-choice question whose votes stay hidden until close. Built on :mod:`tests.web.world`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import FakeClock
from bot.domain.vocabulary import Visibility, VoteSource
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, VOTER


@dataclass(frozen=True)
class Kinds:
    choice: int
    numeric: int
    date: int
    hidden_choice: int


async def build_kinds(services: Services, clock: FakeClock) -> Kinds:
    """After :func:`tests.web.world.build` (the server is on the web)."""

    async def create(
        statement: str, first: str, kind: str, fields: dict[str, str], **extra: object
    ) -> tuple[int, int]:
        info = await services.predictions.create(
            NewPrediction(
                GUILD,
                AUTHOR,
                statement,
                "in 10 days",
                probability=first,
                kind=kind,
                kind_fields=fields,
                **extra,  # type: ignore[arg-type]
            )
        )
        await services.web.record_prediction(info.id, True)
        return info.id, info.number

    choice = await create(
        "Which lab ships first?", "A 50, B 30, C 20", "multiple_choice", {"options": "A | B | C"}
    )
    numeric = await create(
        "How many seats will the party win?",
        "42, 30 to 60",
        "numeric",
        {"low": "0", "high": "650", "unit": "seats", "open_ends": "high"},
    )
    date = await create(
        "When will the bridge open?",
        "2027-03-01, 2027-01-15 to 2027-06-30",
        "date",
        {"low": "2027-01-01", "high": "2027-12-31", "open_ends": "high"},
    )
    hidden = await create(
        "Which bid wins the sealed auction?",
        "A 60, B 40",
        "multiple_choice",
        {"options": "A | B"},
        visibility=Visibility.HIDDEN_UNTIL_CLOSE,
    )
    clock.advance(hours=3)
    slash = VoteSource.SLASH
    await services.votes.vote(GUILD, choice[0], VOTER, (200, 300, 500), slash)
    await services.votes.vote(GUILD, numeric[0], VOTER, "median 80, 80% 50-120", slash)
    await services.votes.vote(GUILD, date[0], VOTER, "2027-11-01, 2027-06-01 to 2028-06-01", slash)
    await services.votes.vote(GUILD, hidden[0], VOTER, (300, 700), slash)
    return Kinds(choice[1], numeric[1], date[1], hidden[1])
