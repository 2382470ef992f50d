"""Process settings, read from the environment and ``.env`` (pydantic-settings).

The token is a ``SecretStr`` so it never shows up in a repr, a log line or an error message;
the database URL (which may carry a password) is left out of the repr too, and shown only
through :func:`safe_url`. Bad values fail validation with a message naming the setting.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.proxies import parse_proxies

DEFAULT_API_BASE_URL = "https://discord.com/api/v10"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/augury.db"
#: ``SHARD_IDS``: shard numbers and inclusive ranges, comma-separated (``0-3``, ``4,5``, ``0,2-3``).
SHARD_IDS_PATTERN = re.compile(r"^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DATABASE_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
DATABASE_URL_HELP = (
    "DATABASE_URL must look like sqlite+aiosqlite:///data/augury.db or "
    "postgresql+asyncpg://user:password@host:5432/augury"
)


class Settings(BaseSettings):
    """Everything an admin can configure without touching code (see ``.env.example``)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr = SecretStr("")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, repr=False)
    discord_api_base_url: str = DEFAULT_API_BASE_URL
    discord_gateway_url: str | None = None
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    vote_render_seconds: float = Field(default=2.0, ge=0)
    reminder_poll_seconds: float = Field(default=30.0, gt=0)
    # How long a claimed reminder is held before another cycle or process may check and retry it.
    reminder_claim_seconds: float = Field(default=600.0, gt=0)
    # How often renders that failed (Discord errors, archived threads) are retried, at most.
    render_retry_seconds: float = Field(default=30.0, gt=0)
    # How long discord.py waits for more servers before "ready"; tests shorten it.
    guild_ready_timeout: float = Field(default=2.0, ge=0)
    # Sharding (issue 12): how many shards in all (``auto``: Discord's recommended count), and
    # which of them this process runs (empty: all). Kept as text, parsed by ``shard_id_list``.
    shard_count: int | Literal["auto"] = 1
    shard_ids: str = ""
    # Operations: /healthz and /metrics on this port (0: off); log lines as JSON or plain text.
    metrics_port: int = Field(default=0, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    log_format: Literal["text", "json"] = "text"
    # The public web view (issue 20): served on WEB_PORT (0: only with `python -m bot web`,
    # which defaults to 8000); PUBLIC_URL is where browsers reach it (Discord messages link
    # there); requests per minute per client address (0: no limit).
    web_port: int = Field(default=0, ge=0, le=65535)
    web_host: str = "127.0.0.1"
    public_url: str | None = None
    web_rate_limit: int = Field(default=120, ge=0)
    # Reverse proxies in front of the web view (addresses or networks, comma-separated): from
    # these, X-Forwarded-For names the client the rate limit counts (empty: never believed).
    web_trusted_proxies: str = ""
    # The first wait before retrying an unreachable database or Discord at start (doubling,
    # three retries, then exit 1); the tests shorten it.
    startup_retry_seconds: float = Field(default=1.0, gt=0, le=60)
    # Start the chart workers as soon as the bot is ready, so the first chart does not wait
    # about a second for them (off: the first chart starts them; the tests turn this off, as
    # most of their bot processes draw no chart).
    chart_workers_at_start: bool = True
    # FULL: a confirmed vote survives power loss; NORMAL: only a crash (a little faster).
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"

    @field_validator("dev_guild_id", "discord_gateway_url", "public_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(
                "PUBLIC_URL must start with http:// or https://, e.g. https://augury.example.org"
            )
        return value

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _upper_synchronous(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_level")
    @classmethod
    def _upper_level(cls, value: str) -> str:
        level = value.strip().upper() or "INFO"
        if level not in LOG_LEVELS:
            raise ValueError(f"LOG_LEVEL is one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        value = value.strip()
        try:
            driver = make_url(value).drivername
        except ArgumentError:
            driver = ""
        if driver not in DATABASE_DRIVERS:
            raise ValueError(DATABASE_URL_HELP)
        return value

    @field_validator("shard_count", mode="before")
    @classmethod
    def _shard_count(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower() or "1"
            if value != "auto" and not value.isdigit():
                raise ValueError(f"SHARD_COUNT must be a whole number ≥ 1 or auto, not {value!r}")
        if value != "auto" and int(str(value)) < 1:
            raise ValueError("SHARD_COUNT must be at least 1 (or auto)")
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shard_ids(cls, value: str) -> str:
        if value.strip():
            parse_shard_ids(value)
        return value.strip()

    @field_validator("web_trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        parse_proxies(value)  # a bad entry is named at start, not ignored
        return value.strip()

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        return value.strip().lower() or "text" if isinstance(value, str) else value

    @model_validator(mode="after")
    def _shard_ids_within_count(self) -> Settings:
        ids = self.shard_id_list
        if ids is None:
            return self
        if self.shard_count == "auto":
            raise ValueError(
                "SHARD_IDS needs a numeric SHARD_COUNT (every process must agree on the count)"
            )
        outside = [i for i in ids if i >= self.shard_count]
        if outside:
            raise ValueError(
                f"SHARD_IDS {','.join(map(str, outside))} outside SHARD_COUNT "
                f"{self.shard_count} (valid: 0-{self.shard_count - 1})"
            )
        return self

    @property
    def shard_id_list(self) -> tuple[int, ...] | None:
        """The shards this process runs, or None for all of them."""
        return parse_shard_ids(self.shard_ids) if self.shard_ids else None

    @property
    def is_sharded(self) -> bool:
        """Whether discord.py's auto-sharded client is needed (else one plain connection)."""
        return self.shard_count != 1 or self.shard_id_list is not None

    @property
    def has_token(self) -> bool:
        return bool(self.discord_token.get_secret_value().strip())

    def sqlite_path(self) -> Path | None:
        """The database file, when the URL is a SQLite file (so its folder can be created)."""
        return sqlite_path(self.database_url)


def sqlite_path(url: str) -> Path | None:
    prefix = "sqlite+aiosqlite:///"
    if not url.startswith(prefix):
        return None
    rest = url[len(prefix) :].split("?", 1)[0]
    if not rest or rest == ":memory:":
        return None
    return Path(rest)


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """``"0-3"`` → (0, 1, 2, 3); ``"4,5"`` → (4, 5). Sorted, without repeats."""
    if not SHARD_IDS_PATTERN.match(text):
        raise ValueError(
            f"SHARD_IDS must be shard numbers or ranges like 0-3 or 4,5, not {text.strip()!r}"
        )
    ids: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if last < first:
            raise ValueError(f"SHARD_IDS range {part.strip()} runs backwards; write {last}-{first}")
        ids.update(range(first, last + 1))
    return tuple(sorted(ids))


def safe_url(url: str) -> str:
    """The database URL as it may be shown: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable DATABASE_URL)"
