"""All services, built once per process from one session factory and one clock."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.base import ServiceContext
from bot.services.predictions import PredictionService
from bot.services.reminders import ReminderService
from bot.services.resolution import ResolutionService
from bot.services.settings import SettingsService
from bot.services.stats import StatsService
from bot.services.votes import VoteService


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    settings: SettingsService
    predictions: PredictionService
    votes: VoteService
    resolution: ResolutionService
    reminders: ReminderService
    stats: StatsService

    @classmethod
    def build(cls, ctx: ServiceContext) -> Services:
        return cls(
            ctx=ctx,
            settings=SettingsService(ctx),
            predictions=PredictionService(ctx),
            votes=VoteService(ctx),
            resolution=ResolutionService(ctx),
            reminders=ReminderService(ctx),
            stats=StatsService(ctx),
        )
