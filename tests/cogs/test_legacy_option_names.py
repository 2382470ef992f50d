"""An option sent under the name it had in 0.1.0 (``number``) is still read: a script or a
client that has not refreshed its command list gets the answer, not a missing-option error."""

from __future__ import annotations

from tests.cogs.conftest import Harness
from tests.cogs.helpers import post_and_settle
from tests.fakediscord import payloads as p


async def test_number_is_read_as_prediction_where_the_command_renamed_it(
    harness: Harness,
) -> None:
    h = harness
    info = await post_and_settle(h)
    for old in ("number", "prediction"):
        shown = await h.run(h.fake.slash("predictions", p.subcommand("show", p.option(old, 1))))
        assert f"#{info.number}" in str(shown.messages), shown.text
        follow = await h.run(h.fake.slash("predictions", p.subcommand("follow", p.option(old, 1))))
        assert follow.ephemeral and "follow" in follow.text.lower(), follow.text
