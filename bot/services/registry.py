"""All services, built once per process from one session factory and one clock."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.context import ServiceContext
from bot.services.finding import PredictionFinder
from bot.services.guild_state import GuildStateService
from bot.services.health import HealthService
from bot.services.member_names import MemberNameService
from bot.services.member_timezones import MemberTimezoneService
from bot.services.message_state import MessageStateService
from bot.services.notifications import NotificationService
from bot.services.prediction_history import PredictionHistoryService
from bot.services.prediction_tags import TagService
from bot.services.predictions import PredictionService
from bot.services.privacy import PrivacyService
from bot.services.public.listing import WebListingService
from bot.services.records_export import RecordsExporter
from bot.services.records_import import RecordsImporter
from bot.services.records_link import RecordsLinker
from bot.services.reminder_dms import ReminderDMs
from bot.services.reminders import ReminderService
from bot.services.resolution import ResolutionService
from bot.services.results import ResultsService
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
    reminder_dms: ReminderDMs
    stats: StatsService
    message_state: MessageStateService
    health: HealthService
    tags: TagService
    records_export: RecordsExporter
    records_import: RecordsImporter
    records_link: RecordsLinker
    privacy: PrivacyService
    history: PredictionHistoryService
    notifications: NotificationService
    finder: PredictionFinder
    member_names: MemberNameService
    results: ResultsService
    guild_state: GuildStateService
    web: WebListingService

    @classmethod
    def build(cls, ctx: ServiceContext) -> Services:
        stats = StatsService(ctx)
        return cls(
            ctx=ctx,
            server_config=ServerConfigService(ctx),
            timezones=MemberTimezoneService(ctx),
            predictions=PredictionService(ctx),
            votes=VoteService(ctx),
            resolution=ResolutionService(ctx),
            reminders=ReminderService(ctx),
            reminder_dms=ReminderDMs(ctx),
            stats=stats,
            message_state=MessageStateService(ctx),
            health=HealthService(ctx),
            tags=TagService(ctx),
            records_export=RecordsExporter(ctx),
            records_import=RecordsImporter(ctx),
            records_link=RecordsLinker(ctx),
            privacy=PrivacyService(ctx),
            history=PredictionHistoryService(ctx),
            notifications=NotificationService(ctx),
            finder=PredictionFinder(ctx),
            member_names=MemberNameService(ctx),
            results=ResultsService(ctx, stats),
            guild_state=GuildStateService(ctx),
            web=WebListingService(ctx),
        )
