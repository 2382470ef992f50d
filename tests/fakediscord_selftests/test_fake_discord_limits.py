"""The fake's copy of Discord's limits: each documented limit passes at N and fails at N + 1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakediscord import limits
from tests.fakediscord.command_rules import check_commands
from tests.fakediscord.constants import (
    ButtonStyle,
    CommandType,
    ComponentType,
    OptionType,
    TextInputStyle,
)

pytestmark = pytest.mark.fakediscord_selftest


def button(custom_id: str = "b", label: str = "ok") -> dict[str, Any]:
    return {
        "type": ComponentType.BUTTON,
        "style": ButtonStyle.PRIMARY,
        "custom_id": custom_id,
        "label": label,
    }


def row(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": ComponentType.ACTION_ROW, "components": list(children)}


def fields(n: int, value: str = "v") -> list[dict[str, str]]:
    return [{"name": f"f{i}", "value": value} for i in range(n)]


def select(options: int) -> dict[str, Any]:
    return {
        "type": ComponentType.STRING_SELECT,
        "custom_id": "s",
        "options": [{"label": f"o{i}", "value": str(i)} for i in range(options)],
    }


CASES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("content", {"content": "x" * 2000}, {"content": "x" * 2001}, "content"),
    (
        "title",
        {"embeds": [{"title": "x" * 256}]},
        {"embeds": [{"title": "x" * 257}]},
        "embeds.0.title",
    ),
    (
        "description",
        {"embeds": [{"description": "x" * 4096}]},
        {"embeds": [{"description": "x" * 4097}]},
        "embeds.0.description",
    ),
    (
        "field value",
        {"embeds": [{"fields": fields(1, "x" * 1024)}]},
        {"embeds": [{"fields": fields(1, "x" * 1025)}]},
        "embeds.0.fields.0.value",
    ),
    (
        "25 fields",
        {"embeds": [{"fields": fields(25)}]},
        {"embeds": [{"fields": fields(26)}]},
        "embeds.0.fields",
    ),
    (
        "footer",
        {"embeds": [{"footer": {"text": "x" * 2048}}]},
        {"embeds": [{"footer": {"text": "x" * 2049}}]},
        "embeds.0.footer.text",
    ),
    (
        "author",
        {"embeds": [{"author": {"name": "x" * 256}}]},
        {"embeds": [{"author": {"name": "x" * 257}}]},
        "embeds.0.author.name",
    ),
    (
        "6000 total",
        {"embeds": [{"description": "x" * 3000}, {"description": "x" * 3000}]},
        {"embeds": [{"description": "x" * 3000}, {"description": "x" * 3001}]},
        "embeds",
    ),
    ("10 embeds", {"embeds": [{"title": "t"}] * 10}, {"embeds": [{"title": "t"}] * 11}, "embeds"),
    (
        "5 rows",
        {"components": [row(button(f"b{i}")) for i in range(5)]},
        {"components": [row(button(f"b{i}")) for i in range(6)]},
        "components",
    ),
    (
        "5 buttons",
        {"components": [row(*(button(f"b{i}") for i in range(5)))]},
        {"components": [row(*(button(f"b{i}") for i in range(6)))]},
        "components.0.components",
    ),
    (
        "custom_id",
        {"components": [row(button("x" * 100))]},
        {"components": [row(button("x" * 101))]},
        "components.0.components.0.custom_id",
    ),
    (
        "label",
        {"components": [row(button(label="x" * 80))]},
        {"components": [row(button(label="x" * 81))]},
        "components.0.components.0.label",
    ),
    (
        "select options",
        {"components": [row(select(25))]},
        {"components": [row(select(26))]},
        "components.0.components.0.options",
    ),
]


@pytest.mark.parametrize(("name", "ok", "broken", "where"), CASES, ids=[c[0] for c in CASES])
def test_message_limits(name: str, ok: dict[str, Any], broken: dict[str, Any], where: str) -> None:
    assert limits.check_message(ok) == []
    assert [".".join(map(str, path)) for path, _, _ in limits.check_message(broken)] == [where]


def test_modal_limits() -> None:
    text_input = {
        "type": ComponentType.TEXT_INPUT,
        "custom_id": "q",
        "style": TextInputStyle.SHORT,
    }
    modal = {
        "title": "x" * 45,
        "custom_id": "m",
        "components": [{"type": ComponentType.LABEL, "label": "x" * 45, "component": text_input}],
    }
    assert limits.check_modal(modal) == []
    broken = {
        **modal,
        "title": "x" * 46,
        "components": [
            {
                "type": ComponentType.LABEL,
                "label": "x" * 46,
                "component": {**text_input, "value": "x" * 4001},
            }
        ],
    }
    assert [".".join(map(str, p)) for p, _, _ in limits.check_modal(broken)] == [
        "data.title",
        "data.components.0.label",
        "data.components.0.component.value",
    ]


def test_command_rules() -> None:
    options = [{"name": f"o{i}", "description": "d", "type": OptionType.STRING} for i in range(25)]
    predict = {
        "name": "predict",
        "description": "d",
        "type": CommandType.CHAT_INPUT,
        "options": options,
    }
    menu = {"name": "Track as prediction", "type": CommandType.MESSAGE}
    assert check_commands([predict, menu]) == []
    too_many = {**predict, "options": [*options, {**options[0], "name": "o25"}]}
    assert [p for p, _, _ in check_commands([too_many])] == [(0, "options")]
    assert [p for p, _, _ in check_commands([{**predict, "name": "x" * 33}])] == [(0, "name")]
    assert [p for p, _, _ in check_commands([menu, menu])] == [(1, "name")]


def test_empty_message() -> None:
    assert limits.is_empty_message({"content": ""})
    assert not limits.is_empty_message({"content": ""}, files=1)
