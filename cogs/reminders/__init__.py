"""Reminders: when a prediction's date arrives unresolved, ping the people who can resolve it.

``scheduler`` polls the database for what is due and delivers it (thread, else channel, else
the author's DMs), then records it; ``composition`` decides what each message says and whom
it pings; ``dm_sender`` sends, paced, the DMs of members who chose DMs (queued by the record).
The schedule itself lives in the database (:mod:`bot.services.reminders.service`).
"""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from cogs.reminders.dm_sender import ReminderDMSenderCog
from cogs.reminders.scheduler import RemindersCog


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(RemindersCog(bot))
    await bot.add_cog(ReminderDMSenderCog(bot))
