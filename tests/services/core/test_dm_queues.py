"""The DM queues hold what is owed plus a week of what was handled, however long the bot runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.domain.vocabulary import ReminderKind
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import ReminderDelivery, ReminderMessage, ResultMessage
from tests.conftest import AUTHOR, GUILD, VOTER


async def rows(services: Services, model: type[ResultMessage] | type[ReminderMessage]) -> int:
    async with services.ctx.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_handled_rows_are_kept_a_week_then_pruned(
    services: Services, clock: FakeClock
) -> None:
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "Queued", resolves="in 10 days")
    )
    async with services.ctx.sessions.begin() as session:
        deliveries = []
        for sequence in (1, 2):
            delivery = ReminderDelivery(
                prediction_id=info.id, kind=ReminderKind.DUE, sequence=sequence, sent_at=clock.now()
            )
            session.add(delivery)
            deliveries.append(delivery)
        await session.flush()
        for delivery in deliveries:
            session.add(
                ReminderMessage(delivery_id=delivery.id, user_id=VOTER, queued_at=clock.now())
            )
        for user_id in (VOTER, VOTER + 1):
            session.add(
                ResultMessage(prediction_id=info.id, user_id=user_id, queued_at=clock.now())
            )
    first, second = (d.id for d in deliveries)

    await services.reminder_dms.sent([(first, VOTER)])
    await services.results.sent([(info.id, VOTER)])
    clock.advance(days=6)
    await services.reminder_dms.sent([(second, VOTER)])
    await services.results.sent([(info.id, VOTER + 1)])
    assert await rows(services, ReminderMessage) == 2  # a week of history is kept
    assert await rows(services, ResultMessage) == 2

    clock.advance(timedelta(days=2))  # the first ones are over a week old now
    await services.reminder_dms.sent([(second, VOTER)])
    await services.results.sent([(info.id, VOTER + 1)])
    assert await rows(services, ReminderMessage) == 1
    assert await rows(services, ResultMessage) == 1
    assert await services.reminder_dms.pending() == 0 and await services.results.pending() == 0
