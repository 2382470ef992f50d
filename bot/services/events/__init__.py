"""Discord scheduled events for resolution dates (issue 21), kept in step by a claimed sync."""

from bot.services.events.service import EventService, EventSetup, EventWork

__all__ = ["EventService", "EventSetup", "EventWork"]
