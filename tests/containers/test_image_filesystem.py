"""The image's filesystem, checked without running a container: what CI does when no Docker
daemon can run (and, on the image itself, when one can, so the fallback is known to work).

``AUGURY_ROOTFS`` is the filesystem: ``docker export`` of the image, or the Dockerfile's steps
done in a chroot (``.ci/build-image --rootfs DIR``). The bot runs in a chroot as the image's
user, with the Dockerfile's environment: its version, and a migration onto /app/data.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bot.version import version
from tests.upgrades.databases import head_revision

REPO_ROOT = Path(__file__).resolve().parents[2]
USER, UID = "augury", 10001


def rootfs() -> Path:
    return Path(os.environ["AUGURY_ROOTFS"])


def dockerfile_env() -> dict[str, str]:
    """The runtime stage's ENV, as the container would have it."""
    text = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    runtime = text.rsplit("FROM ", 1)[1]
    env: dict[str, str] = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": f"/home/{USER}"}
    for line in runtime.splitlines():
        if line.startswith("ENV "):
            for key, value in re.findall(r"(\w+)=(\S+)", line):
                env[key] = value.replace("$PATH", env["PATH"])
    return env


def in_image(*command: str, env: dict[str, str] | None = None) -> str:
    """``command`` in the image's filesystem, as its user, in /app."""
    if os.geteuid() != 0:
        pytest.skip("chroot needs root (CI runs as root)")
    result = subprocess.run(
        ["chroot", f"--userspec={UID}:{UID}", str(rootfs()), "/usr/bin/env", "-i",
         *(f"{k}={v}" for k, v in (env or dockerfile_env()).items()), "sh", "-c",
         'cd /app && exec "$@"', "sh", *command],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{command} failed in the image: {result.stderr[-3000:]}"
    return result.stdout


def test_the_image_has_its_non_root_user_owning_the_data_folder() -> None:
    passwd = (rootfs() / "etc/passwd").read_text()
    assert re.search(rf"^{USER}:x:{UID}:", passwd, re.M)
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert [line for line in dockerfile.splitlines() if line.startswith("USER ")][
        -1
    ] == "USER augury"
    assert (rootfs() / "app/data").stat().st_uid == UID
    assert (rootfs() / "opt/augury/bin/python").exists()


def test_the_bot_in_the_image_knows_its_version_and_migrates_onto_the_volume() -> None:
    env = dockerfile_env()
    assert env["DATABASE_URL"] == "sqlite+aiosqlite:////app/data/augury.db"
    assert in_image("python", "-m", "bot", "--version") == f"augury {version()}\n"
    database = rootfs() / "app/data/augury.db"
    try:
        in_image("python", "-m", "bot", "migrate")
        assert database.stat().st_uid == UID
        with sqlite3.connect(database) as connection:
            stored = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        assert stored == (head_revision(),)
    finally:
        for leftover in (rootfs() / "app/data").iterdir():
            leftover.unlink()


def test_the_health_check_command_runs_in_the_image() -> None:
    """Its Python and modules are there; with no bot listening, it fails to connect (not to
    start), which is what Docker counts as unhealthy."""
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    command = re.search(r'CMD \["python", "-c", "(.+)"\]', dockerfile)
    assert command is not None
    env = {**dockerfile_env(), "METRICS_PORT": "9"}  # discard: nothing listens
    with pytest.raises(AssertionError, match="Connection refused"):
        in_image("python", "-c", command[1], env=env)
