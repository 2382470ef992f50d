"""The weekly digest (issue 21): its schedule, claimed in the database, and its contents."""

from bot.services.digest.contents import Digest, DigestLine, Standing
from bot.services.digest.schedule import DigestPlan, DigestService, DueDigest

__all__ = ["Digest", "DigestLine", "DigestPlan", "DigestService", "DueDigest", "Standing"]
