"""All services, built once per process from one session factory and one clock."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.context import ServiceContext
from bot.services.member_timezones import MemberTimezoneService
from bot.services.message_state import MessageStateService
from bot.services.prediction_history import PredictionHistoryService
from bot.services.predictions import PredictionService
from bot.services.reminders import ReminderService
from bot.services.resolution import ResolutionService
from bot.services.server_config import ServerConfigService
from bot.services.stats import StatsService
from bot.services.votes import VoteService


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    server_config: ServerConfigService
    timezones: MemberTimezoneService
    predictions: PredictionService
    votes: VoteService
    resolution: ResolutionService
    reminders: ReminderService
    stats: StatsService
    message_state: MessageStateService
    history: PredictionHistoryService

    @classmethod
    def build(cls, ctx: ServiceContext) -> Services:
        return cls(
            ctx=ctx,
            server_config=ServerConfigService(ctx),
            timezones=MemberTimezoneService(ctx),
            predictions=PredictionService(ctx),
            votes=VoteService(ctx),
            resolution=ResolutionService(ctx),
            reminders=ReminderService(ctx),
            stats=StatsService(ctx),
            message_state=MessageStateService(ctx),
            history=PredictionHistoryService(ctx),
        )
