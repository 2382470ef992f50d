"""Releases: one version everywhere an admin looks, a changelog entry per release with its
upgrade note, and an upgrade fixture for every earlier release."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from bot.version import version

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
RELEASE_HEADING = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", re.M)


def pyproject_version() -> str:
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return str(tomllib.loads(text)["project"]["version"])


def changelog() -> str:
    return (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def released_versions() -> list[str]:
    return [m["version"] for m in RELEASE_HEADING.finditer(changelog())]


def test_the_running_version_is_the_one_in_pyproject() -> None:
    assert version() == pyproject_version() == "0.2.0"


def test_dash_dash_version_prints_it_without_a_token_or_database() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--version"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "foo"},  # no token, a bad setting
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "augury 0.2.0\n", "")


def test_every_release_in_the_changelog_says_how_to_upgrade() -> None:
    text = changelog()
    assert "## [Unreleased]" in text
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    for section in sections:
        assert "### Upgrading" in section, f"no Upgrading note under ## {section.splitlines()[0]}"
    assert "0.1.0" in released_versions()


def test_every_earlier_release_has_an_upgrade_fixture() -> None:
    """A release adds its fixture (tests/upgrades/README.md), so every upgrade path is tested."""
    current = pyproject_version()
    for released in released_versions():
        if released == current:
            continue
        folder = FIXTURES / released
        assert (folder / "augury.db").is_file(), f"no SQLite fixture for {released}"
        assert (folder / "postgresql.sql").is_file(), f"no PostgreSQL fixture for {released}"
