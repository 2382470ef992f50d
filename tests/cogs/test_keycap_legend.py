"""Issue 23: the prediction message's footer names the keycaps the bot actually added."""

from __future__ import annotations

from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, post_and_settle, prediction_message


def bot_reactions(message: dict[str, object]) -> list[str]:
    reactions = message.get("reactions") or []
    assert isinstance(reactions, list)
    return [r["emoji"]["name"] for r in reactions if r.get("me")]


async def test_the_footer_legend_lists_the_keycaps_added(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(guild(h), reaction_keycaps="2,5,10")
    info = await post_and_settle(h)
    message = prediction_message(h, info)
    footer = str(message["embeds"][0]["footer"]["text"])  # type: ignore[index]
    assert bot_reactions(message) == ["2\ufe0f\u20e3", "5\ufe0f\u20e3", "\U0001f51f"]
    assert "React to vote: 2️⃣ 20 % 5️⃣ 50 % 🔟 100 %" in footer
    assert "1️⃣" not in footer.split("(")[0]  # only those added, before the general note

    # A server that adds none has no legend at all (voting is by the buttons).
    await h.services.server_config.update_guild(guild(h), reaction_keycaps="")
    bare = await post_and_settle(h)
    assert "React" not in str(prediction_message(h, bare)["embeds"][0]["footer"]["text"])  # type: ignore[index]
