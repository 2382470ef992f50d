"""Which client a request comes from, for the rate limit, behind a reverse proxy too.

Behind a proxy every request arrives from the proxy's address, so one visitor could use up
everyone's allowance. ``X-Forwarded-For`` names the real client, but anybody can send that
header: it is believed only when the request comes from a proxy the admin listed
(``WEB_TRUSTED_PROXIES``), and then read from the right, skipping the listed proxies, to the
first address they did not add themselves. (aiohttp-remotes' filtered mode believes the header
from any peer; its strict mode answers 400 to any hop not listed: neither fits a bot whose
admins run one proxy and also reach the port directly.)
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

Network = IPv4Network | IPv6Network


def parse_proxies(text: str) -> tuple[Network, ...]:
    """``127.0.0.1, 10.0.0.0/8, ::1`` → networks; raises ``ValueError`` naming a bad entry."""
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def _trusted(address: str, proxies: Iterable[Network]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(
    peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]
) -> str:
    """The address to count a request against: the peer, unless the peer is a listed proxy
    and the header names who it forwarded for."""
    client = peer or "unknown"
    if not proxies or not forwarded_for or not _trusted(client, proxies):
        return client
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not hop:
            continue
        try:
            ip_address(hop)
        except ValueError:
            return client  # a malformed chain: count it against the proxy's own address
        client = hop
        if not _trusted(hop, proxies):
            return hop
    return client
