"""A server's settings before an admin changes any: the one source for every default."""

from __future__ import annotations

from bot.domain.vocabulary import Visibility

DEFAULT_VISIBILITY = Visibility.VISIBLE
REMINDER_INTERVAL_HOURS = 72
REMINDER_COUNT = 3
CLOSE_WARNING = False
ARCHIVE_ON_RESOLVE = False
REACTION_KEYCAPS = "1,3,5,7,9"
LEADERBOARD_MIN_RESOLVED = 5
