"""Whom the web view's rate limit counts a request against, behind a reverse proxy or not."""

from __future__ import annotations

import pytest

from bot.proxies import client_address, parse_proxies
from bot.settings import Settings

PROXY = parse_proxies("127.0.0.1, 10.0.0.0/8")


def test_without_listed_proxies_the_header_is_never_believed() -> None:
    assert client_address("203.0.113.9", "198.51.100.1", ()) == "203.0.113.9"
    assert client_address("127.0.0.1", "198.51.100.1", ()) == "127.0.0.1"


def test_a_listed_proxy_names_the_client_it_forwarded_for() -> None:
    assert client_address("127.0.0.1", "198.51.100.1", PROXY) == "198.51.100.1"
    # Two proxies of ours (10.0.0.5 added by the outer one): the first address they did not add.
    assert client_address("127.0.0.1", "198.51.100.1, 10.0.0.5", PROXY) == "198.51.100.1"


def test_a_client_cannot_pick_its_own_address() -> None:
    # Sent straight to the port: the header is the client's own claim.
    assert client_address("203.0.113.9", "198.51.100.1", PROXY) == "203.0.113.9"
    # Through the proxy, a forged left part is ignored: the proxy appended the real address.
    forged = "1.2.3.4, 203.0.113.9"
    assert client_address("127.0.0.1", forged, PROXY) == "203.0.113.9"


def test_a_malformed_chain_counts_against_the_proxy_itself() -> None:
    assert client_address("127.0.0.1", "not-an-ip", PROXY) == "127.0.0.1"
    assert client_address("127.0.0.1", "", PROXY) == "127.0.0.1"


def test_a_bad_proxy_entry_is_refused_at_start_naming_it() -> None:
    with pytest.raises(ValueError, match="'localhost' is not an IP address"):
        Settings(discord_token="x", web_trusted_proxies="127.0.0.1, localhost")  # type: ignore[call-arg]
