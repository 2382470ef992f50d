"""Process settings, read from the environment and ``.env`` (pydantic-settings).

The token is a ``SecretStr`` so it never shows up in a repr, a log line or an error message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_BASE_URL = "https://discord.com/api/v10"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/augury.db"


class Settings(BaseSettings):
    """Everything an admin can configure without touching code (see ``.env.example``)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr = SecretStr("")
    database_url: str = DEFAULT_DATABASE_URL
    discord_api_base_url: str = DEFAULT_API_BASE_URL
    discord_gateway_url: str | None = None
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    vote_render_seconds: float = Field(default=2.0, ge=0)
    reminder_poll_seconds: float = Field(default=30.0, gt=0)
    # How long discord.py waits for more servers before "ready"; tests shorten it.
    guild_ready_timeout: float = Field(default=2.0, ge=0)
    # FULL: a confirmed vote survives power loss; NORMAL: only a crash (a little faster).
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"

    @field_validator("dev_guild_id", "discord_gateway_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _upper_synchronous(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_level")
    @classmethod
    def _upper_level(cls, value: str) -> str:
        return value.strip().upper() or "INFO"

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
