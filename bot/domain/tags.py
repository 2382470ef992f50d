"""Tag names: how members type them, and what the server stores.

A tag is case-folded with its whitespace collapsed, so ``Climate  Policy`` and ``climate policy``
are one tag. Limits keep them readable in a list and a forum post (Discord: 5 applied tags).
"""

from __future__ import annotations

from bot.domain.errors import InvalidInput
from bot.domain.text import code_span

TAG_MAX_LENGTH = 32
TAGS_PER_PREDICTION = 5


def normalise_tag(raw: str) -> str:
    """One tag as stored; refuses empty, too long, or comma-bearing names."""
    name = " ".join(raw.split()).casefold()
    if not name:
        raise InvalidInput("A tag needs at least one letter or digit, e.g. `climate`.")
    if len(name) > TAG_MAX_LENGTH:
        raise InvalidInput(
            f"The tag {code_span(name[:TAG_MAX_LENGTH] + '…')} is {len(name)} characters long; "
            f"tags have at most {TAG_MAX_LENGTH}. Use a shorter name."
        )
    if "," in name:
        raise InvalidInput("A tag name cannot contain a comma (commas separate tags).")
    return name


def parse_tags(raw: str | None) -> tuple[str, ...]:
    """A comma-separated list, normalised, duplicates dropped, order kept."""
    if raw is None or not raw.strip():
        return ()
    names: list[str] = []
    for part in raw.split(","):
        if not part.strip():
            continue
        name = normalise_tag(part)
        if name not in names:
            names.append(name)
    check_tag_count(len(names))
    return tuple(names)


def check_tag_count(count: int) -> None:
    if count > TAGS_PER_PREDICTION:
        raise InvalidInput(
            f"A prediction carries at most {TAGS_PER_PREDICTION} tags ({count} given). "
            "Keep the most telling ones."
        )
