"""The web view's settings: PUBLIC_URL must be an address a browser can follow."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.__main__ import settings_problems
from bot.settings import Settings


def test_public_url_is_an_http_address_without_a_trailing_slash() -> None:
    assert Settings(_env_file=None, public_url="https://augury.example.org/").public_url == (  # type: ignore[call-arg]
        "https://augury.example.org"
    )
    assert Settings(_env_file=None, public_url="  ").public_url is None  # type: ignore[call-arg]
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, public_url="ftp://files.internal")  # type: ignore[call-arg]
    [line] = settings_problems(raised.value)
    assert line.startswith("Invalid setting PUBLIC_URL: PUBLIC_URL must start with http://")
    assert "files.internal" not in line  # the value is never echoed
