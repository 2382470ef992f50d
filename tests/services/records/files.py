"""Import files built in the tests: Fatebook CSV rows, Augury's JSON record, PredictionBook JSON.

Shared by the record tests of every tier (services, cogs, end to end)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.conftest import GUILD

FATEBOOK_HEADERS = [
    "Question title",
    "Multiple choice option",
    "Forecast created by",
    "Forecast (scale = 0-1)",
    "Forecast created at",
    "Question created by",
    "Question created at",
    "Question resolve by",
    "Resolution",
    "Resolved at",
    "Your Brier score for this question",
    "Your relative Brier score for this question",
    "Question notes",
    "Question shared with",
    "Question shared publicly",
    "Question comments",
    "Question tags",
]


def fatebook_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, FATEBOOK_HEADERS)
    writer.writeheader()
    for row in rows:
        writer.writerow({h: row.get(h, "") for h in FATEBOOK_HEADERS})
    return buffer.getvalue().encode()


def fatebook_row(title: str, who: str, p: str, at: str, **extra: str) -> dict[str, str]:
    return {
        "Question title": title,
        "Forecast created by": who,
        "Forecast (scale = 0-1)": p,
        "Forecast created at": at,
        "Question created by": "Ada Lovelace",
        "Question created at": "2024-01-02 10:00:00",
        "Question resolve by": "2024-03-01 00:00:00",
        **extra,
    }


FATEBOOK = fatebook_csv(
    [
        fatebook_row(
            "Will it snow in March?",
            "Ada Lovelace",
            "0.7",
            "2024-01-02 10:00:00",
            Resolution="YES",
            **{"Resolved at": "2024-03-02 9:5:7", "Question tags": "Weather; Europe"},
        ),
        fatebook_row(
            "Will it snow in March?",
            "Grace Hopper",
            "0.2",
            "2024-01-03 11:00:00",
            Resolution="YES",
            **{"Resolved at": "2024-03-02 9:5:7"},
        ),
        fatebook_row("Open question", "Grace Hopper", "1", "2024-01-03 11:00:00"),
        fatebook_row(
            "Which colour?",
            "Ada Lovelace",
            "0.5",
            "2024-01-03 11:00:00",
            **{"Multiple choice option": "Red"},
        ),
    ]
)


def prediction(**fields: Any) -> dict[str, Any]:
    """One valid prediction of Augury's JSON; ``fields`` override."""
    item: dict[str, Any] = {
        "number": 1,
        "statement": "The bridge opens",
        "details": None,
        "author": "42",
        "created_at": "2024-01-01T00:00:00+00:00",
        "resolves_at": "2024-06-01T00:00:00+00:00",
        "closes_at": "2024-06-01T00:00:00+00:00",
        "status": "open",
        "visibility": "visible",
        "vote_history": [
            {
                "forecaster": "43",
                "permille": 700,
                "source": "slash",
                "created_at": "2024-01-02T00:00:00+00:00",
            }
        ],
    }
    item.update(fields)
    return item


def augury(*items: dict[str, Any], **top: Any) -> bytes:
    document = {"format": "augury", "version": 1, "guild_id": str(GUILD), **top}
    document["predictions"] = list(items) or [prediction()]
    return json.dumps(document).encode()


def pb(**fields: Any) -> bytes:
    item = {
        "id": 7,
        "description": "It rains",
        "created_at": "2024-01-01 00:00:00",
        "deadline": "2024-02-01 00:00:00",
        "creator_id": 1,
        "responses": [
            {"confidence": 60, "created_at": "2024-01-01 01:00:00", "user_id": 1, "user_label": "a"}
        ],
    }
    item.update(fields)
    return json.dumps([item]).encode()
