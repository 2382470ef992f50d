"""The container files: compose.yaml (bot + PostgreSQL on a volume), compose.shards.yaml (two
processes splitting the shards) and the Dockerfile, read as data and checked for their wiring;
and, where a Compose CLI is installed, validated by it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / name).read_text())
    return data


def merged() -> dict[str, Any]:
    """compose.yaml overridden by compose.shards.yaml, as ``-f a -f b`` merges mappings."""
    base, extra = load("compose.yaml"), load("compose.shards.yaml")
    services = {name: dict(body) for name, body in base["services"].items()}
    for name, body in extra["services"].items():
        current = services.setdefault(name, {})
        for key, value in body.items():
            if isinstance(value, dict) and isinstance(current.get(key), dict):
                current[key] = {**current[key], **value}
            else:
                current[key] = value
    return {**base, "services": services}


def settings_of(service: dict[str, Any]) -> Settings:
    env = {k.lower(): str(v) for k, v in service["environment"].items() if k != "DISCORD_TOKEN"}
    env["database_url"] = env["database_url"].replace("${POSTGRES_PASSWORD:-augury}", "augury")
    return Settings(discord_token=SecretStr("t"), _env_file=None, **env)  # type: ignore[arg-type]


def test_compose_runs_the_bot_on_postgresql_kept_on_a_volume() -> None:
    compose = load("compose.yaml")
    postgres, bot = compose["services"]["postgres"], compose["services"]["bot"]
    assert (
        "pgdata:/var/lib/postgresql/data" in postgres["volumes"] and "pgdata" in compose["volumes"]
    )
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "healthcheck" in postgres
    settings = settings_of(bot)
    assert settings.database_url.startswith("postgresql+asyncpg://augury:")
    assert "@postgres:5432/augury" in settings.database_url
    assert settings.metrics_port == 8080 and settings.metrics_host == "0.0.0.0"
    assert settings.log_format == "json" and not settings.is_sharded
    assert bot["environment"]["DISCORD_TOKEN"].startswith("${DISCORD_TOKEN:?")


def test_the_shards_file_splits_every_shard_between_two_processes_exactly_once() -> None:
    services = merged()["services"]
    bots = [body for name, body in services.items() if name.startswith("bot")]
    assert len(bots) == 2
    plans = [settings_of(body) for body in bots]
    counts = {plan.shard_count for plan in plans}
    assert len(counts) == 1, "every process must use the same SHARD_COUNT"
    (count,) = counts
    assert isinstance(count, int)
    owned = [shard for plan in plans for shard in plan.shard_id_list or ()]
    assert sorted(owned) == list(range(count))
    assert all(plan.database_url == plans[0].database_url for plan in plans)
    ports = [body["ports"][0].split(":")[1] for body in bots]
    assert len(set(ports)) == 2, "each process exposes its own /healthz and /metrics"


def test_dockerfile_is_small_non_root_and_health_checked() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "ARG BASE_IMAGE=python:3.11-slim" in text
    assert text.count("FROM ${BASE_IMAGE}") == 2, "a build stage and a slim runtime stage"
    user = [line for line in text.splitlines() if line.startswith("USER ")]
    assert user and user[-1].split()[1] not in ("root", "0")
    health = next(line for line in text.splitlines() if "urlopen" in line)
    assert "http://127.0.0.1:%s/healthz" in health and "'METRICS_PORT', '8080'" in health
    assert "METRICS_PORT=8080" in text and "EXPOSE 8080" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".git", "tests", ".env"} <= set(ignored)


def compose_cli() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


@pytest.mark.parametrize("files", [["compose.yaml"], ["compose.yaml", "compose.shards.yaml"]])
def test_compose_cli_accepts_the_files(files: list[str]) -> None:
    cli = compose_cli()
    if cli is None:
        pytest.skip("no Compose CLI installed (docker compose / docker-compose)")
    args = [part for name in files for part in ("-f", str(ROOT / name))]
    result = subprocess.run(
        [*cli, *args, "config", "-q"],
        capture_output=True,
        text=True,
        env={"DISCORD_TOKEN": "t", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _host_ip(port: str | int | dict[str, Any]) -> str | None:
    """The address a published port binds on the host (None: every address, 0.0.0.0)."""
    if isinstance(port, dict):
        return port.get("host_ip")
    parts = str(port).rsplit(":", 2)
    return parts[0] if len(parts) == 3 else None


@pytest.mark.parametrize("files", [("compose.yaml",), ("compose.yaml", "compose.shards.yaml")])
def test_health_and_metrics_are_published_on_loopback_only(files: tuple[str, ...]) -> None:
    """/healthz and /metrics are not for the open internet: every port compose publishes binds
    127.0.0.1 (a bare "8080:8080" would listen on every address of the host), and PostgreSQL
    publishes none."""
    services = (load(files[0]) if len(files) == 1 else merged())["services"]
    published = {name: body.get("ports", []) for name, body in services.items()}
    assert published["postgres"] == []
    for name, ports in published.items():
        for port in ports:
            assert _host_ip(port) == "127.0.0.1", f"{name} publishes {port} beyond loopback"
    assert all(published[name] for name in services if name.startswith("bot"))
