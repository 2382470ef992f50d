"""The image, run by Docker as a self-hoster runs it: non-root, migrating its SQLite database on
a mounted volume, healthy on /healthz, answering /predict, stopping cleanly on ``docker stop``
and finding its record again after a restart. The fake Discord runs on the host's 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import urllib.request
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.version import version
from tests.containers.docker import docker, run_detached
from tests.e2e import flows
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.upgrades.answers import embeds_answering
from tests.upgrades.databases import head_revision

CONTAINER_UID = 10001  # the Dockerfile's user


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Container:
    def __init__(self, fake: FakeDiscord, data: Path) -> None:
        self.fake = fake
        self.name = f"augury-test-{uuid.uuid4().hex[:12]}"
        self.port = free_port()
        self.data = data

    def start(self) -> None:
        env = {
            "DISCORD_TOKEN": self.fake.token,
            "DISCORD_API_BASE_URL": self.fake.api_base,
            "DISCORD_GATEWAY_URL": self.fake.gateway_url,
            "DEV_GUILD_ID": self.fake.guild_id,
            "METRICS_PORT": str(self.port),
            **flows.FAST_ENV,
        }
        run_detached(self.name, env, [f"{self.data}:/app/data"])

    def logs(self) -> str:
        return docker("logs", self.name)

    async def until_logged(self, pattern: str, count: int = 1) -> None:
        def found() -> bool:
            return self.logs().count(pattern) >= count

        try:
            await self.fake.wait_for(found, 60, message=f"for {pattern!r} in the container's log")
        except TimeoutError as error:
            raise AssertionError(f"{error}\n{self.logs()[-4000:]}") from None

    def state(self) -> dict[str, object]:
        found: dict[str, object] = json.loads(
            docker("inspect", "--format={{json .State}}", self.name)
        )
        return found

    def healthz(self) -> tuple[int, object]:
        url = f"http://127.0.0.1:{self.port}/healthz"
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), json.loads(response.read())


@pytest.fixture
async def container(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[Container]:
    data = tmp_path / "data"
    data.mkdir()
    if os.geteuid() == 0:
        os.chown(data, CONTAINER_UID, CONTAINER_UID)  # as a volume owned by the image's user
    else:
        data.chmod(0o777)
    box = Container(fake_discord, data)
    try:
        yield box
    finally:
        docker("rm", "--force", box.name, check=False)


async def test_the_image_runs_the_bot_as_a_self_hoster_would(container: Container) -> None:
    fake = container.fake
    container.start()
    await container.until_logged("Augury is ready as")
    log = container.logs()
    assert f"version {version()}" in log
    assert f"Migrated the database from empty to {head_revision()}" in log

    # Not root; the database is on the volume; healthy, by Docker's own check too.
    assert docker("exec", container.name, "id", "-u").strip() == str(CONTAINER_UID)
    assert (container.data / "augury.db").is_file()
    status, report = await asyncio.to_thread(container.healthz)
    assert (status, report) == (200, {"ready": True, "shards": {"0": True}, "database": True})
    health = json.loads(
        docker("inspect", "--format={{json .Config.Healthcheck.Test}}", container.name)
    )
    assert health[0] == "CMD"
    docker("exec", container.name, *health[1:])  # exits 0: healthy
    assert (
        docker("exec", container.name, "python", "-m", "bot", "--version")
        == f"augury {version()}\n"
    )

    posted = await flows.predict(fake, "The container answers", "2030-01-01")
    assert posted.number == 1

    # docker stop: SIGTERM, a clean exit well within Docker's 10 s before SIGKILL.
    docker("stop", container.name, timeout=60)
    state = container.state()
    assert (state["Running"], state["ExitCode"], state["OOMKilled"]) == (False, 0, False)
    assert " ERROR " not in container.logs() and "Traceback" not in container.logs()

    # Restarted on the same volume: the record is still there, no migration to run.
    docker("start", container.name)
    await container.until_logged("Augury is ready as", count=2)
    assert container.logs().count("Migrated the database") == 1
    listed = await embeds_answering(
        fake, fake.slash("predictions", p.subcommand("list"), user="bob")
    )
    assert "The container answers" in listed[0]["description"]
    assert "1 in all" in listed[0]["footer"]["text"]
    assert fake.violations == []
    docker("stop", container.name, timeout=60)
    assert container.state()["ExitCode"] == 0
