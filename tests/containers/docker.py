"""Running the image under test with the docker command line."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence


def image() -> str:
    return os.environ["AUGURY_IMAGE"]


def docker(*args: str, check: bool = True, timeout: float = 120) -> str:
    """``docker args``; its stdout (stderr too for ``logs``, where the bot writes)."""
    result = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args[:2])} failed: {result.stderr}")
    return result.stdout + (result.stderr if args[0] == "logs" else "")


def run_detached(name: str, env: dict[str, str], volumes: Sequence[str]) -> None:
    """Start the image as the bot (its ENTRYPOINT), on the host's network (the fake is on
    127.0.0.1)."""
    flags = [f"--env={key}={value}" for key, value in env.items()]
    flags += [f"--volume={volume}" for volume in volumes]
    docker("run", "--detach", f"--name={name}", "--network=host", *flags, image())
