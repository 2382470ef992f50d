"""Per-member cooldowns on the expensive public commands, timed by the bot's clock.

``/predictions show`` (a chart), ``/stats`` (a chart, big aggregates) and ``/leaderboard`` cost
real CPU and database time; one member repeating them should not slow the bot for everyone.
discord.py's own ``checks.cooldown`` reads ``time.monotonic``, which tests cannot move, so this
keeps discord.py's token bucket (:class:`app_commands.Cooldown`) but feeds it the injected
clock. A member over the rate gets :class:`OnCooldown`, a domain error the one error path
shows privately: "try again in N s (<t:…:R>)". Buttons (which app-command checks do not reach)
call :func:`check_cooldown` in their handler. Buckets live on the bot and are dropped once they
are full again, so the map holds only members who used a command within its window.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import discord
from discord import app_commands

from bot.clock import Clock
from bot.domain.errors import AuguryError
from bot.rendering.timestamps import discord_timestamp

T = TypeVar("T")


class MemberCooldowns:
    """Token buckets keyed by (command family, member), on the bot's clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, int], app_commands.Cooldown] = {}

    def retry_after(self, family: str, member_id: int, rate: int, per: float) -> float:
        """Take one use; 0 when allowed, else the seconds until the next use is."""
        now = self._clock.now().timestamp()
        self._forget_rested(now)
        key = (family, member_id)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = app_commands.Cooldown(rate, per)
        return bucket.update_rate_limit(now) or 0.0

    def _forget_rested(self, now: float) -> None:
        rested = [k for k, b in self._buckets.items() if b.get_tokens(now) >= b.rate]
        for key in rested:
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)


class OnCooldown(app_commands.CheckFailure, AuguryError):
    """The member used this too often: when they may again, said privately. A check failure
    for discord.py (the command does not run) and a domain error for the one error path."""


def check_cooldown(interaction: discord.Interaction, family: str, rate: int, per: float) -> None:
    """Take one use of ``family`` for the member, or raise :class:`OnCooldown`."""
    cooldowns = getattr(interaction.client, "cooldowns", None)  # AuguryBot's
    clock = getattr(interaction.client, "clock", None)
    if not isinstance(cooldowns, MemberCooldowns) or clock is None:
        raise TypeError("member cooldowns need the AuguryBot's buckets and clock")
    wait = cooldowns.retry_after(family, interaction.user.id, rate, per)
    if wait:
        seconds = max(1, math.ceil(wait))
        again = clock.now() + timedelta(seconds=seconds)
        raise OnCooldown(f"Slow down: try again in {seconds} s ({discord_timestamp(again, 'R')}).")


def member_cooldown(family: str, rate: int, per: float) -> Callable[[T], T]:
    """At most ``rate`` uses of the ``family`` of commands per ``per`` seconds per member."""

    async def predicate(interaction: discord.Interaction) -> bool:
        check_cooldown(interaction, family, rate, per)
        return True

    return app_commands.check(predicate)
