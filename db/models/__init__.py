"""Typed SQLAlchemy 2.0 models, one module per aggregate; every name is re-exported here.

See :mod:`db.models.base` for how probabilities, kinds and ids are stored.
"""

from db.models.base import NAMING_CONVENTION, PAYLOAD, Base
from db.models.predictions import Follower, Prediction, PredictionEdit, PredictionTag, Tag
from db.models.reminders import ReminderAttempt, ReminderDelivery, ReminderMessage, ReminderPause
from db.models.rituals import (
    DigestSchedule,
    Dispute,
    DisputeSettings,
    EventSettings,
    PredictionEvent,
)
from db.models.scores import ResultMessage, Score
from db.models.seasons import EarnedRole, EarnedRoleHolder, RoleChange, Season
from db.models.settings import GuildSettings, MemberName, UserSettings
from db.models.votes import ImportKey, OutsideForecaster, Vote, VoteEvent

__all__ = [
    "NAMING_CONVENTION",
    "PAYLOAD",
    "Base",
    "DigestSchedule",
    "Dispute",
    "DisputeSettings",
    "EarnedRole",
    "EarnedRoleHolder",
    "EventSettings",
    "Follower",
    "GuildSettings",
    "ImportKey",
    "MemberName",
    "OutsideForecaster",
    "Prediction",
    "PredictionEdit",
    "PredictionEvent",
    "PredictionTag",
    "ReminderAttempt",
    "ReminderDelivery",
    "ReminderMessage",
    "ReminderPause",
    "ResultMessage",
    "RoleChange",
    "Score",
    "Season",
    "Tag",
    "UserSettings",
    "Vote",
    "VoteEvent",
]
