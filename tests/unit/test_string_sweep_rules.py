"""The string sweep's rules (tests/e2e/member_texts.py) catch what they say and only that: a
sweep that passes because its rules miss things would prove nothing."""

from __future__ import annotations

import pytest

from tests.e2e.member_texts import message_texts, offences_in

COMMANDS = {"vote": "11", "predictions": "22", "notifications": "33"}


def rules(text: str, *, renders: bool = True) -> list[str]:
    return [o.rule for o in offences_in(text, "here", COMMANDS, mentions_render=renders)]


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("3 prediction(s) imported", "plural"),
        ("Opened the modal", "internal word 'modal'"),
        ("Voted by slash command", "internal word 'slash'"),
        ("Stored 700 per mille", "internal word 'per mille'"),
        ("InvalidInput: bad date", "internal word 'InvalidInput'"),
        ("ValueError: x", "internal word 'ValueError'"),
        ("Tag: None", "internal word 'None'"),
        ("Reason: null", "internal word 'null'"),
        ("Use `/predictions list` to find it", "command as code, not a mention"),
        ("Vote with /vote now", "command as plain text, not a mention"),
        ("Use </vote:99> now", "mention of no synced command"),
    ],
)
def test_each_rule_catches_its_offence(text: str, broken: str) -> None:
    assert broken in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "1 forecaster, 2 forecasters",
        "Use </predictions list:22> or </vote:11>.",
        "Type `/vote prediction:3 probability:70` (an example with options).",
        "```\n/vote\n```",
        "None of your forecasts is scored yet.",
        "See https://discord.com/channels/1/2/3 and 1/2 of the votes.",
    ],
)
def test_what_the_rules_allow(text: str) -> None:
    assert rules(text) == []


def test_where_mentions_show_raw_a_mention_is_the_offence_and_a_name_is_fine() -> None:
    assert rules("Voting (/vote)", renders=False) == []
    assert rules("See </vote:11>", renders=False) == ["mention where Discord shows it raw"]


def test_every_part_of_a_message_is_read() -> None:
    body = {
        "type": 4,
        "data": {
            "content": "c",
            "embeds": [
                {
                    "title": "t",
                    "description": "d",
                    "fields": [{"name": "fn", "value": "fv"}],
                    "footer": {"text": "f"},
                    "author": {"name": "a"},
                }
            ],
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "label": "b"},
                        {
                            "type": 3,
                            "placeholder": "p",
                            "options": [{"label": "ol", "description": "od"}],
                        },
                    ],
                },
                {"type": 18, "label": "l", "component": {"type": 4, "placeholder": "ip"}},
            ],
        },
    }
    assert dict(message_texts(body)) == {
        "c": True, "d": True, "fv": True,  # mentions render here
        "t": False, "fn": False, "f": False, "a": False,
        "b": False, "p": False, "ol": False, "od": False, "l": False, "ip": False,
    }  # fmt: skip
