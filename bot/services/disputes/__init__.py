"""Disputes of a resolution (issue 21): members contest it within a window, moderators settle.

The rules are :mod:`bot.domain.disputes`; :func:`disputed_prediction_ids` is what leaderboards
and the season recap ask to mark predictions "disputed" while their scores stand.
"""

from bot.services.disputes.service import (
    DisputeService,
    Opened,
    Settled,
    disputed_prediction_ids,
)

__all__ = ["DisputeService", "Opened", "Settled", "disputed_prediction_ids"]
