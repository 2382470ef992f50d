"""SHARD_COUNT / SHARD_IDS parsing and validation, and the refusal of SQLite with SHARD_IDS."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from bot.__main__ import settings_problems, sqlite_refusal
from bot.domain.shards import ShardSet, shard_of
from bot.settings import Settings, parse_shard_ids

PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/augury"


def settings(**values: object) -> Settings:
    return Settings(discord_token=SecretStr("t"), _env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("0", (0,)),
        ("0-3", (0, 1, 2, 3)),
        ("4,5", (4, 5)),
        (" 0 , 2-3 ", (0, 2, 3)),
        ("3,1-2,2", (1, 2, 3)),
    ],
)
def test_shard_ids_are_numbers_and_ranges(text: str, ids: tuple[int, ...]) -> None:
    assert parse_shard_ids(text) == ids


@pytest.mark.parametrize("text", ["a", "0-", "-1", "1--2", "0;1", "1,,2", "0-3-5", "1.5"])
def test_malformed_shard_ids_are_refused_with_the_expected_shape(text: str) -> None:
    with pytest.raises(ValueError, match="ranges like 0-3 or 4,5"):
        parse_shard_ids(text)


def test_a_backwards_range_says_how_to_write_it() -> None:
    with pytest.raises(ValueError, match="runs backwards; write 1-3"):
        parse_shard_ids("3-1")


def test_defaults_are_one_plain_unsharded_process() -> None:
    plain = settings()
    assert plain.shard_count == 1 and plain.shard_id_list is None and not plain.is_sharded
    assert plain.metrics_port == 0 and plain.log_format == "text"


@pytest.mark.parametrize(
    ("count", "ids", "expected_count", "expected_ids"),
    [
        ("auto", "", "auto", None),
        ("AUTO", "", "auto", None),
        ("4", "", 4, None),
        ("4", "0-1", 4, (0, 1)),
        ("8", "4,5", 8, (4, 5)),
    ],
)
def test_valid_sharding(
    count: str, ids: str, expected_count: object, expected_ids: tuple[int, ...] | None
) -> None:
    parsed = settings(shard_count=count, shard_ids=ids, database_url=PG)
    assert parsed.shard_count == expected_count
    assert parsed.shard_id_list == expected_ids
    assert parsed.is_sharded


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        ("4", "3-4", "SHARD_IDS 4 outside SHARD_COUNT 4 (valid: 0-3)"),
        ("2", "5,7", "SHARD_IDS 5,7 outside SHARD_COUNT 2 (valid: 0-1)"),
        ("auto", "0", "SHARD_IDS needs a numeric SHARD_COUNT"),
        ("0", "", "SHARD_COUNT must be at least 1"),
        ("two", "", "SHARD_COUNT must be a whole number ≥ 1 or auto, not 'two'"),
        ("2", "0-", "SHARD_IDS must be shard numbers or ranges like 0-3 or 4,5, not '0-'"),
    ],
)
def test_bad_sharding_is_explained_in_one_line(count: str, ids: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        settings(shard_count=count, shard_ids=ids, database_url=PG)
    lines = settings_problems(caught.value)
    assert len(lines) == 1 and message in lines[0]
    assert "\n" not in lines[0]


def test_sqlite_with_shard_ids_is_refused_naming_postgresql() -> None:
    line = sqlite_refusal(settings(shard_count="2", shard_ids="0"))
    assert line is not None and "PostgreSQL" in line and "DATABASE_URL=postgresql" in line
    assert "\n" not in line


def test_one_process_running_every_shard_may_keep_sqlite() -> None:
    assert sqlite_refusal(settings(shard_count="4")) is None
    assert sqlite_refusal(settings(shard_count="auto")) is None
    assert sqlite_refusal(settings(shard_count="2", shard_ids="1", database_url=PG)) is None


def test_discords_shard_rule() -> None:
    guild = (123_456 << 22) | 77
    assert shard_of(guild, 1) == 0
    assert shard_of(guild, 4) == 123_456 % 4
    assert ShardSet(4, (0, 2)).owns(guild) == (123_456 % 4 in (0, 2))
    assert ShardSet.everything(3).is_everything and not ShardSet(3, (0, 1)).is_everything
