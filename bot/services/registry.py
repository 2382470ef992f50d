"""All services, built once per process from one session factory and one clock."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.base import ServiceContext
from bot.services.predictions import PredictionService
from bot.services.settings import SettingsService
from bot.services.votes import VoteService


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    settings: SettingsService
    predictions: PredictionService
    votes: VoteService

    @classmethod
    def build(cls, ctx: ServiceContext) -> Services:
        return cls(
            ctx=ctx,
            settings=SettingsService(ctx),
            predictions=PredictionService(ctx),
            votes=VoteService(ctx),
        )
