"""Member-facing words (issue 23): real plurals, commands as mentions, DMs that stand alone,
and "How did I do?" saying the same when the scores are the same."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from discord import AppCommandOptionType, AppCommandType

from bot.domain.vocabulary import Outcome, Status
from bot.domain.words import plural
from bot.rendering.command_mentions import (
    command_mention,
    forget_commands,
    known_commands,
    mention_commands,
    remember_commands,
)
from bot.rendering.direct_messages import dm_context
from bot.services.track_record.results import MyResult
from cogs.resolution.results import result_text


@dataclass
class Option:
    """The shape of ``discord.app_commands.AppCommandGroup`` / ``Argument`` the registry reads."""

    name: str
    type: AppCommandOptionType
    options: list[Option] = field(default_factory=list)


@dataclass
class Command:
    """The shape of ``discord.app_commands.AppCommand``: what ``tree.sync()`` returns."""

    id: int
    name: str
    options: list[Any] = field(default_factory=list)
    type: AppCommandType = AppCommandType.chat_input


SUB, GROUP = AppCommandOptionType.subcommand, AppCommandOptionType.subcommand_group
SYNCED = [
    Command(11, "vote", [Option("prediction", AppCommandOptionType.integer)]),
    Command(
        22,
        "predictions",
        [Option("list", SUB), Option("tags", GROUP, [Option("rename", SUB)])],
    ),
    Command(33, "notifications"),
    Command(44, "Track as prediction", type=AppCommandType.message),
]


@pytest.fixture
def synced() -> Iterator[None]:
    remember_commands(SYNCED)
    yield
    forget_commands()


@pytest.mark.parametrize(
    ("count", "word", "said"),
    [
        (0, "forecaster", "0 forecasters"),
        (1, "forecaster", "1 forecaster"),
        (2, "forecaster", "2 forecasters"),
        (1, "entry", "1 entry"),
        (3, "entry", "3 entries"),
        (2, "day", "2 days"),
        (5000, "voter", "5,000 voters"),
        (2, "time zone", "2 time zones"),
        (1, "more resolved forecast", "1 more resolved forecast"),
    ],
)
def test_plural_says_the_count_with_the_right_form(count: int, word: str, said: str) -> None:
    assert plural(count, word) == said


def test_before_the_ids_are_known_commands_are_named_as_code() -> None:
    forget_commands()
    assert command_mention("predictions list") == "`/predictions list`"
    assert mention_commands("Use `/predictions list`.") == "Use `/predictions list`."


def test_synced_commands_and_their_subcommands_become_mentions(synced: None) -> None:
    assert known_commands() == {
        "vote",
        "predictions",
        "predictions list",
        "predictions tags",
        "predictions tags rename",
        "notifications",
    }
    assert command_mention("vote") == "</vote:11>"
    assert command_mention("/predictions tags rename") == "</predictions tags rename:22>"
    assert command_mention("stats") == "`/stats`"  # not synced: code, never a broken mention


def test_mention_commands_rewrites_names_but_not_examples_links_or_paths(synced: None) -> None:
    text = (
        "Use `/predictions list`, or /vote now; type `/vote prediction:3` "
        "(see https://example.org/vote and data/vote). `/unknown` stays."
    )
    assert mention_commands(text) == (
        "Use </predictions list:22>, or </vote:11> now; type `/vote prediction:3` "
        "(see https://example.org/vote and data/vote). `/unknown` stays."
    )
    # The longest known name wins; the rest of the sentence is kept.
    assert mention_commands("Try /predictions list show:mine") == (
        "Try </predictions list:22> show:mine"
    )
    assert mention_commands(mention_commands("`/vote`")) == "</vote:11>"  # idempotent
    # In a fenced code block a mention would show raw: left alone, the text around it is not.
    assert mention_commands("/vote\n```\n/vote\n```\n/vote") == (
        "</vote:11>\n```\n/vote\n```\n</vote:11>"
    )


def test_a_dm_names_its_server_statement_link_and_how_to_stop(synced: None) -> None:
    text = dm_context(
        server="Forecasters *United*",
        statement="@everyone it **will** rain\non Friday",
        link="https://discord.com/channels/1/2/3",
        reason="You follow this prediction.",
    )
    lines = text.split("\n")
    assert lines[0].startswith("> ") and "\\*\\*will\\*\\*" in lines[0]  # markdown shown as typed
    assert "@\u200beveryone" in lines[0] and "\n" not in lines[0]  # never pings, one line
    assert lines[1] == "https://discord.com/channels/1/2/3"
    assert lines[2] == (
        "-# From **Forecasters \\*United\\***. You follow this prediction. "
        "Change or stop these messages with </notifications:33>."
    )


def _result(brier: float, community: float) -> MyResult:
    return MyResult(
        prediction_id=1,
        guild_id=1,
        number=4,
        status=Status.RESOLVED,
        outcome=Outcome.YES,
        permille=600,
        withdrawn=False,
        brier=brier,
        relative_brier=0.0,
        community_permille=600,
        community_brier=community,
        resolved=1,
        mean_brier=brier,
        rank=2,
        ranked=5,
    )


@pytest.mark.parametrize(
    ("brier", "community", "said"),
    [
        (0.16, 0.16, "the same as the community's 0.160"),
        (0.1600001, 0.16, "the same as the community's 0.160"),  # equal as shown
        (0.09, 0.16, "better than the community's 0.160"),
        (0.25, 0.16, "worse than the community's 0.160"),
    ],
)
def test_how_did_i_do_compares_as_shown_and_names_the_ranking_score(
    brier: float, community: float, said: str
) -> None:
    text = result_text(_result(brier, community))
    assert said in text
    assert "Overall: 1 scored forecast" in text
    assert "#2 of 5 on the leaderboard by relative score" in text
