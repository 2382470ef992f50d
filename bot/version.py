"""Which Augury this is, for ``--version``, ``/augury settings`` and the ready log line.

A source checkout reads ``pyproject.toml`` beside the package (an editable install's metadata
keeps the version it was installed with); an installed package (the image) reads its metadata.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "augury"
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def version() -> str:
    """The running version, e.g. ``0.2.0``; ``unknown`` when neither source says."""
    try:
        project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
        if project.get("name") == DISTRIBUTION:
            return str(project["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"
