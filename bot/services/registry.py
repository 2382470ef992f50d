"""All services, built once per process from one session factory and one clock."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.administration.guild_state import GuildStateService
from bot.services.administration.health import HealthService
from bot.services.administration.member_names import MemberNameService
from bot.services.core.context import ServiceContext
from bot.services.core.member_timezones import MemberTimezoneService
from bot.services.core.notifications import NotificationService
from bot.services.core.server_config import ServerConfigService
from bot.services.digest import DigestService
from bot.services.disputes import DisputeService, disputed_prediction_ids
from bot.services.events import EventService
from bot.services.predictions.finding import PredictionFinder
from bot.services.predictions.history import PredictionHistoryService
from bot.services.predictions.message_state import MessageStateService
from bot.services.predictions.service import PredictionService
from bot.services.predictions.tags import TagService
from bot.services.public.listing import WebListingService
from bot.services.records.export import RecordsExporter
from bot.services.records.importing import RecordsImporter
from bot.services.records.link import RecordsLinker
from bot.services.records.privacy import PrivacyService
from bot.services.reminders.dms import ReminderDMs
from bot.services.reminders.service import ReminderService
from bot.services.resolution.service import ResolutionService
from bot.services.seasons.results import SeasonResultsService
from bot.services.seasons.role_queue import RoleChangeQueue
from bot.services.seasons.roles import EarnedRoleService
from bot.services.seasons.service import SeasonService
from bot.services.track_record.results import ResultsService
from bot.services.track_record.stats import StatsService
from bot.services.voting.service import VoteService


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
    digest: DigestService
    events: EventService
    disputes: DisputeService
    seasons: SeasonService
    season_results: SeasonResultsService
    earned_roles: EarnedRoleService
    role_changes: RoleChangeQueue

    @classmethod
    def build(cls, ctx: ServiceContext) -> Services:
        stats = StatsService(ctx)
        votes = VoteService(ctx)
        resolution = ResolutionService(ctx)
        member_names = MemberNameService(ctx)
        return cls(
            ctx=ctx,
            server_config=ServerConfigService(ctx),
            timezones=MemberTimezoneService(ctx),
            predictions=PredictionService(ctx),
            votes=votes,
            resolution=resolution,
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
            member_names=member_names,
            results=ResultsService(ctx, stats),
            guild_state=GuildStateService(ctx),
            web=WebListingService(ctx),
            digest=DigestService(ctx, member_names),
            events=EventService(ctx, votes),
            disputes=DisputeService(ctx, resolution),
            seasons=SeasonService(ctx),
            season_results=SeasonResultsService(ctx, stats, disputed_prediction_ids),
            earned_roles=EarnedRoleService(ctx, stats),
            role_changes=RoleChangeQueue(ctx),
        )
