"""Autocomplete that fits the command, through real interactions (issue 23)."""

from __future__ import annotations

from tests.cogs.conftest import Harness
from tests.cogs.helpers import predict
from tests.fakediscord import payloads as p


async def offered(
    h: Harness, subcommand: str, *options: dict[str, object], user: str
) -> list[object]:
    reply = await h.run(
        h.fake.autocomplete("predictions", p.subcommand(subcommand, *options), user=user)
    )
    assert reply.choices is not None
    return [choice["value"] for choice in reply.choices]


async def test_edit_and_cancel_offer_only_the_members_own_open_predictions(
    harness: Harness,
) -> None:
    h = harness
    for author, tags in (("alice", "city, climate"), ("bob", "weather"), ("alice", "rivers")):
        await predict(
            h,
            p.option("statement", f"By {author}: {tags}"),
            p.option("resolves", "2027-06-30"),
            p.option("tags", tags),
            user=author,
        )
    typing = p.option("prediction", "", focused=True, type=p.STRING)
    assert await offered(h, "cancel", typing, user="alice") == [3, 1]
    assert await offered(h, "edit", typing, user="bob") == [2]
    assert await offered(h, "edit", typing, user="admin") == [3, 2, 1]  # Manage Server: all

    chosen = p.option("prediction", 1)
    removing = p.option("remove_tags", "", focused=True)
    assert await offered(h, "edit", chosen, removing, user="alice") == ["city", "climate"]
    listed = p.option("remove_tags", "city, cl", focused=True)
    assert await offered(h, "edit", chosen, listed, user="alice") == ["city, climate"]
    assert await offered(h, "edit", removing, user="alice") == []  # no prediction chosen yet
