"""The season scheduler: ends seasons whose date passed, posts each recap once, and looks
for new first forecasts.

Polling, like the reminders (:mod:`cogs.reminders.scheduler`): every cycle asks the database
what is due, so a season that ended while the bot was down is ended (at its date) and recapped
at the next start. A recap is claimed in the database before anything is posted, so with
several processes exactly one posts it. A crash between posting and recording leaves the claim
to a retry: within a few minutes Discord recognises the message's nonce; later, the retry first
looks for its own post among the channel's recent messages by the footer naming the season (a
forum post by its title, among the server's active threads) and records that one instead of
posting again. Awarding the season's roles happens under the same claim and is idempotent.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord

from bot.runtime.client import AuguryBot
from bot.runtime.paced_sender import PacedSender
from bot.services.seasons.service import RecapJob, SeasonInfo
from cogs.seasons.recap import (
    NO_MENTIONS,
    recap_embed,
    recap_files,
    recap_marker,
    recap_thread_name,
)

log = logging.getLogger(__name__)

RECAP_LEASE = timedelta(minutes=5)
RECAP_RETRY = timedelta(minutes=10)
#: How many recent messages of the recap channel a retry searches for an earlier post.
RECAP_LOOKUP = 100
NO_CHANNEL = (
    "No prediction channel is set and the server has no system channel: set one with "
    "`/augury channel`; the next season's recap will go there."
)


class SeasonSchedulerCog(PacedSender):
    """Ends and recaps seasons; a test drives one cycle with :meth:`run_once`."""

    def __init__(self, bot: AuguryBot) -> None:
        super().__init__(bot, "augury-seasons", pace=bot.settings.reminder_poll_seconds)
        self.recaps_posted = 0

    async def run_once(self) -> int:
        """One cycle; returns how many recaps were posted."""
        services = self.bot.services
        shards = self.bot.shards_run
        ended = await services.seasons.end_due(shards)
        if ended:
            log.info("%s season(s) reached their end date", ended)
        posted = 0
        for job in await services.seasons.claim_recaps(RECAP_LEASE, shards):
            posted += await self._recap(job)
        queued = await services.earned_roles.first_forecasts(shards)
        if queued:
            log.info("Queued the first-forecast role for %s member(s)", queued)
        return posted

    async def _recap(self, job: RecapJob) -> bool:
        season = job.season
        services = self.bot.services
        try:
            awards = await services.earned_roles.award_season(season)
            for award in awards:
                log.info(
                    "Season %s in guild %s: role %s to %s member(s), from %s",
                    season.id, season.guild_id, award.role_id, award.gained, award.lost,
                )  # fmt: skip
            channel = await self._destination(season.guild_id)
            if channel is None:
                log.warning(
                    "Season %s in guild %s: nowhere to post its recap", season.id, season.guild_id
                )
                await services.seasons.recapped(
                    job, channel_id=None, message_id=None, problem=NO_CHANNEL
                )
                return False
            earlier = await self._earlier_post(channel, season) if job.attempt > 1 else None
            if earlier is not None:
                log.info("Season %s: an earlier attempt had posted the recap", season.id)
                channel_id, message_id = earlier
            else:
                results = await services.season_results.results(season)
                ids = [row.user_id for row in results.top] + [c.user_id for c in results.best_calls]
                names = await services.member_names.names(season.guild_id, ids)
                embed = recap_embed(results, names)
                files = await recap_files(results, names, self.bot.charts)
                channel_id, message_id = await self._post(channel, season.name, embed, files, job)
        except discord.Forbidden as error:
            problem = (
                f"Augury may not post the recap there ({error.text or 'Missing Permissions'})."
            )
            log.warning("Season %s recap refused: %s", season.id, error)
            await services.seasons.recapped(job, channel_id=None, message_id=None, problem=problem)
            return False
        except Exception as error:
            log.exception("Season %s recap failed (attempt %s)", season.id, job.attempt)
            await services.seasons.recap_failed(
                job, f"The recap could not be posted: {error}", RECAP_RETRY
            )
            return False
        if await services.seasons.recapped(job, channel_id=channel_id, message_id=message_id):
            log.info("Posted the recap of season %s in guild %s", season.id, season.guild_id)
            self.recaps_posted += 1
        return True

    async def _destination(
        self, guild_id: int
    ) -> discord.TextChannel | discord.ForumChannel | None:
        """The prediction channel, else the server's system channel, else nowhere."""
        config = await self.bot.services.server_config.guild(guild_id)
        guild = self.bot.get_guild(guild_id)
        if config.prediction_channel_id:
            channel = self.bot.get_channel(config.prediction_channel_id)
            if channel is None:
                try:
                    channel = await self.bot.fetch_channel(config.prediction_channel_id)
                except discord.HTTPException as error:  # deleted, or hidden from the bot
                    log.info("Prediction channel of guild %s unusable: %s", guild_id, error)
            if isinstance(channel, discord.TextChannel | discord.ForumChannel):
                return channel
        if guild is not None and guild.system_channel is not None:
            return guild.system_channel
        return None

    async def _earlier_post(
        self, channel: discord.TextChannel | discord.ForumChannel, season: SeasonInfo
    ) -> tuple[int, int] | None:
        """The recap an earlier claim posted and never recorded (it crashed), if any."""
        me = self.bot.user
        if me is None:
            return None
        try:
            if isinstance(channel, discord.ForumChannel):
                title = recap_thread_name(season.name)
                for thread in await channel.guild.active_threads():
                    if (thread.parent_id, thread.owner_id, thread.name) == (
                        channel.id,
                        me.id,
                        title,
                    ):
                        return thread.id, thread.id  # a forum post's message is its thread's id
                return None
            marker = recap_marker(season.name)
            async for message in channel.history(limit=RECAP_LOOKUP):
                if message.author.id == me.id and any(
                    embed.footer.text == marker for embed in message.embeds
                ):
                    return channel.id, message.id
        except discord.HTTPException as error:  # cannot read it: the nonce is all there is
            log.info("Season %s: could not look for an earlier recap: %s", season.id, error)
        return None

    async def _post(
        self,
        channel: discord.TextChannel | discord.ForumChannel,
        name: str,
        embed: discord.Embed,
        files: list[discord.File],
        job: RecapJob,
    ) -> tuple[int, int]:
        if isinstance(channel, discord.ForumChannel):
            made = await channel.create_thread(
                name=recap_thread_name(name), embed=embed, files=files,
                allowed_mentions=NO_MENTIONS,
            )  # fmt: skip
            return made.thread.id, made.message.id
        message = await channel.send(
            embed=embed,
            files=files,
            allowed_mentions=NO_MENTIONS,
            nonce=f"season{job.season.id}"[:25],
        )
        return channel.id, message.id
