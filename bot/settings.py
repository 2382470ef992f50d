"""Process settings, read from the environment and ``.env`` (pydantic-settings).

The token is a ``SecretStr`` so it never shows up in a repr, a log line or an error message;
the database URL (which may carry a password) is left out of the repr too, and shown only
through :func:`safe_url`. Bad values fail validation with a message naming the setting.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_API_BASE_URL = "https://discord.com/api/v10"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/augury.db"
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
    # How often renders that failed (Discord errors, archived threads) are retried, at most.
    render_retry_seconds: float = Field(default=30.0, gt=0)
    # How long discord.py waits for more servers before "ready"; tests shorten it.
    guild_ready_timeout: float = Field(default=2.0, ge=0)

    @field_validator("dev_guild_id", "discord_gateway_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

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


def safe_url(url: str) -> str:
    """The database URL as it may be shown: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable DATABASE_URL)"
