"""Voting: ``/vote``, the Vote / My vote / Follow buttons, the vote form, keycap reactions.

Every path ends in the same service call (:meth:`bot.services.voting.service.VoteService.vote`) and
asks the public message to be redrawn (``bot.public_messages.changed``), coalesced so a burst
of votes makes one edit per message every few seconds.
"""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from cogs.voting.keycap_reactions import KeycapReactionsCog
from cogs.voting.range_form import RangeFormRoute
from cogs.voting.vote_command import VotingCog
from cogs.voting.vote_form import VoteFormRoute


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(VotingCog(bot))
    await bot.add_cog(VoteFormRoute(bot))
    await bot.add_cog(RangeFormRoute(bot))
    await bot.add_cog(KeycapReactionsCog(bot))
