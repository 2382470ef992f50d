"""The public web view at a million predictions: the server page and the API's list, under 50
concurrent clients, beside a static response of the same process.

Builds one SQLite file (migrated like production, filled like ``bench/reminders.py``) with
1,000,000 predictions in one server that opted in: one in ten from a private channel, one in
three resolved, the newest 100,000 with two votes each. Starts ``python -m bot web`` on it in a
subprocess (no rate limit), then for each route 50 clients (aiohttp) each send requests one
after another until ``--requests`` have been answered. Identical requests in flight share one
answer (``cogs/web/coalesce.py``), so each route is also measured "unshared": a distinct URL
per request, every one computed. Prints p50/p95/p99 per route, the ratio
of its p95 to the static route's (``/robots.txt``: the process's own overhead under the same
load), the aim (p95 < 200 ms), and the machine's load average before and after.
Run: .venv/bin/python -m bench.web [--predictions N] [--clients N] [--requests N] [--url URL]
(``--url``: a running web view on PostgreSQL or elsewhere instead of building SQLite.)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiohttp

import bench.reminders as filler
from db.engine import create_engine
from db.migrate import upgrade

AIM_P95_MS = 200.0
GUILD = 1 << 22  # the one server ``filler.prediction_rows`` uses when GUILDS is 1
VOTED = 100_000


def prepare(path: Path, count: int) -> None:
    """Opt the server in, mark channels, resolve a third, add votes to the newest."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-400000")
    with connection:
        connection.execute(
            "UPDATE guild_settings SET web_enabled = 1, web_name = 'Bench server', last_number = ?",
            (count,),
        )
        connection.execute("UPDATE predictions SET public_channel = (id % 10 != 0)")
        resolved = filler.stamp(filler.NOW - timedelta(days=1))
        connection.execute(
            "UPDATE predictions SET status = 'resolved', outcome = 'yes', resolved_at = ?, "
            "community_permille = 600 WHERE id % 3 = 0",
            (resolved,),
        )
        created = filler.stamp(filler.NOW)
        connection.executemany(
            "INSERT INTO votes (prediction_id, user_id, permille, source, updated_at) "
            "VALUES (?, ?, ?, 'slash', ?)",
            (
                (pid, user, 300 + 400 * (user % 2), created)
                for pid in range(max(1, count - VOTED + 1), count + 1)
                for user in (10_001, 10_002)
            ),
        )
    connection.execute("ANALYZE")
    connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def until_up(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            if process.returncode is not None:
                raise RuntimeError("the web process exited before it answered")
            try:
                async with session.get(url + "/robots.txt") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the web process did not answer within 60 s")


async def hammer(url: str, clients: int, requests: int) -> list[float]:
    """``clients`` concurrent loops sharing ``requests``; each latency in ms. A ``{n}`` in
    ``url`` becomes the request's sequence number (a distinct URL each time)."""
    latencies: list[float] = []
    left = requests
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def client() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                target = url.replace("{n}", str(left))
                started = time.perf_counter()
                async with session.get(target) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{url} answered {response.status}")
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(base: str, clients: int, requests: int) -> None:
    api = f"{base}/api/v1/servers/{GUILD}/predictions"
    deep = ""
    async with aiohttp.ClientSession() as session:
        for _ in range(20):  # the cursor of the 2,001st resolved prediction
            page = f"{api}?state=resolved&limit=100&after={deep}"
            async with session.get(page) as response:
                deep = (await response.json())["next"]
    routes = [
        ("static /robots.txt (baseline)", f"{base}/robots.txt"),
        ("server page", f"{base}/servers/{GUILD}"),
        ("API list (all, newest first)", api),
        ("API list (open, soonest first)", api + "?state=open"),
        ("API list (resolved, from the 2,001st)", api + f"?state=resolved&after={deep}"),
        # Identical requests in flight share one answer; these never do (a distinct URL each).
        ("server page, unshared", f"{base}/servers/{GUILD}?unshared={{n}}"),
        ("API list, unshared (a different page each)", api + "?state=all&after=0.{n}9"),
    ]
    for _, url in routes:  # warm caches and connections
        await hammer(url, 5, 20)
    baseline = 0.0
    worst = 0.0
    for label, url in routes:
        started = time.perf_counter()
        latencies = await hammer(url, clients, requests)
        seconds = time.perf_counter() - started
        p50, p95, p99 = (percentile(latencies, s) for s in (0.5, 0.95, 0.99))
        if not baseline:
            baseline = p95
        else:
            worst = max(worst, p95 / AIM_P95_MS)
        print(
            f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
            f"{len(latencies) / seconds:.0f} req/s; p95 {p95 / max(baseline, 1e-3):.1f}x static "
            f"(aim p95 < {AIM_P95_MS:.0f} ms)"
        )
    print(f"worst p95 ratio to aim: {worst:.2f}")


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


async def main(count: int, clients: int, requests: int, url: str | None) -> None:
    print(f"load average before: {load()} ({os.cpu_count()} CPUs)")
    if url is not None:
        await measure(url.rstrip("/"), clients, requests)
        print(f"load average after: {load()}")
        return
    filler.GUILDS = 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "web.db"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await engine.dispose()
        started = time.perf_counter()
        filler.fill(path, count)
        prepare(path, count)
        print(f"built {count:,} predictions in one server in {time.perf_counter() - started:.1f} s")
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{path}",
            "WEB_PORT": str(port),
            "WEB_RATE_LIMIT": "0",
            "LOG_LEVEL": "WARNING",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "web", env=env, stdin=asyncio.subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}"
            await until_up(base, process)
            print(f"{clients} concurrent clients, {requests} requests per route")
            await measure(base, clients, requests)
        finally:
            process.terminate()
            await process.wait()
    print(f"load average after: {load()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--predictions", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--url", default=None)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.predictions, arguments.clients, arguments.requests, arguments.url))
