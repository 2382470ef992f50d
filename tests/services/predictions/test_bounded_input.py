"""A 6,000-character date through the service: refused clearly, nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.domain.errors import InvalidInput
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import Prediction
from tests.conftest import AUTHOR, GUILD


@pytest.mark.parametrize("field", ["resolves", "closes"])
async def test_a_six_thousand_character_date_is_refused(services: Services, field: str) -> None:
    dates = {"resolves": "in 10 days", field: "in 3 months, " + "or maybe later " * 400}
    with pytest.raises(InvalidInput, match="longer than 100 characters"):
        await services.predictions.create(
            NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement="Rain", **dates)  # type: ignore[arg-type]
        )
    async with services.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Prediction)) == 0
