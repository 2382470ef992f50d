"""Fatebook's multiple-choice questions are imported as multiple choice, not skipped (#19)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.vocabulary import Outcome
from bot.services.records.readers import detect_and_parse
from bot.services.registry import Services
from db.models import Score, VoteEvent
from tests.conftest import GUILD, VOTER
from tests.services.records.files import fatebook_csv, fatebook_row

TITLE = "Which lab ships first?"


def option_row(who: str, option: str, p: str, at: str, resolution: str = "") -> dict[str, str]:
    return fatebook_row(
        TITLE,
        who,
        p,
        at,
        Resolution=resolution,
        **{
            "Multiple choice option": option,
            "Resolved at": "2024-03-02 9:0:0" if resolution else "",
        },
    )


async def test_a_multiple_choice_question_is_imported_with_its_options_forecasts_and_answer(
    services: Services,
) -> None:
    rows = [
        # Ada forecasts all three options at once, then raises Google alone a day later.
        option_row("Ada Lovelace", "OpenAI", "0.5", "2024-01-02 10:00:00", "NO"),
        option_row("Ada Lovelace", "Anthropic", "0.3", "2024-01-02 10:00:00", "NO"),
        option_row("Ada Lovelace", "Google", "0.2", "2024-01-02 10:00:00", "YES"),
        option_row("Ada Lovelace", "Google", "0.4", "2024-01-03 10:00:00", "YES"),
        # Grace gives two options; the third is kept at 1 %, like a typed vote.
        option_row("Grace Hopper", "openai", "0.6", "2024-01-04 10:00:00", "NO"),
        option_row("Grace Hopper", "Anthropic", "0.4", "2024-01-04 10:00:00", "NO"),
    ]
    record = detect_and_parse(fatebook_csv(rows), "fatebook.csv", {"Grace Hopper": VOTER})
    report = await services.records_import.apply(GUILD, record)
    assert (report.predictions, report.votes, report.scored) == (1, 3, 1)  # Ada: no account

    info = await services.predictions.get(GUILD, 1)
    assert (info.kind, info.kind_spec) == (
        "multiple_choice",
        {"options": ["OpenAI", "Anthropic", "Google"]},
    )
    assert info.outcome == Outcome.ANSWERED
    assert info.outcome_value == {"option": 2, "text": "Google"}
    async with services.ctx.sessions() as session:
        events = [
            e.forecast
            for e in await session.scalars(
                select(VoteEvent).where(VoteEvent.prediction_id == info.id).order_by(VoteEvent.id)
            )
        ]
        grace = await session.scalar(select(Score).where(Score.user_id == VOTER))
    # Ada's second forecast carries OpenAI and Anthropic on: (.5, .3, .4) scaled to 100 %.
    assert events == [
        {"permille": [500, 300, 200]},
        {"permille": [417, 250, 333]},
        {"permille": [594, 396, 10]},
    ]
    assert grace is not None
    assert grace.brier == pytest.approx(0.594**2 + 0.396**2 + 0.99**2)


async def test_an_answer_naming_no_option_is_imported_unresolved_and_said(
    services: Services,
) -> None:
    rows = [
        option_row("Ada Lovelace", "OpenAI", "0.5", "2024-01-02 10:00:00", "NO"),
        option_row("Ada Lovelace", "Anthropic", "0.5", "2024-01-02 10:00:00", "NO"),
    ]
    record = detect_and_parse(fatebook_csv(rows), "fatebook.csv", {})
    report = await services.records_import.apply(GUILD, record)
    assert report.predictions == 1 and report.scored == 0
    assert any("imported unresolved" in note for note in report.notes)
    info = await services.predictions.get(GUILD, 1)
    assert info.outcome is None and info.kind == "multiple_choice"
