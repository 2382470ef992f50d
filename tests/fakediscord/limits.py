"""Discord's documented limits on what a bot sends: messages, embeds, components, modals.

Each ``check_*`` returns a list of problems (path, code, message) rather than raising, so one
request reports every broken rule at once, as Discord does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .constants import SELECT_TYPES, ButtonStyle, ComponentType, MessageFlag, TextInputStyle
from .errors import PathPart, Problem

Path = tuple[PathPart, ...]

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
ACTION_ROWS = 5
ROW_WIDTH = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
SELECT_OPTIONS = 25
SELECT_PLACEHOLDER = 150
OPTION_TEXT = 100
MODAL_TITLE = 45
MODAL_COMPONENTS = 5
TEXT_INPUT_LABEL = 45
TEXT_INPUT_VALUE = 4000
TEXT_INPUT_PLACEHOLDER = 100
LABEL_DESCRIPTION = 100
THREAD_NAME = 100
FILES = 10
AUTOCOMPLETE_CHOICES = 25
FORUM_TAGS = 20
FORUM_TAG_NAME = 20
APPLIED_TAGS = 5
V2_COMPONENTS = 40


def max_length(path: Path, value: Any, limit: int) -> list[Problem]:
    if isinstance(value, str) and len(value) > limit:
        return [(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


def length_between(path: Path, value: Any, low: int, high: int) -> list[Problem]:
    if not isinstance(value, str) or not low <= len(value) <= high:
        return [(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")]
    return []


def max_items(path: Path, items: Sequence[Any], limit: int) -> list[Problem]:
    if len(items) > limit:
        return [(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


def check_message(body: Mapping[str, Any], *, files: int = 0, prefix: Path = ()) -> list[Problem]:
    """Content, embeds, components and file count of a message create/edit body."""
    problems = max_length((*prefix, "content"), body.get("content"), CONTENT)
    embeds = body.get("embeds") or []
    problems += check_embeds(embeds, prefix=(*prefix, "embeds"))
    flags = int(body.get("flags") or 0)
    components = body.get("components") or []
    if flags & MessageFlag.IS_COMPONENTS_V2:
        if body.get("content") or embeds:
            problems.append(
                (
                    (*prefix, "content"),
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    "content and embeds cannot be used with components v2",
                )
            )
        problems += check_v2_components(components, prefix=(*prefix, "components"))
    else:
        problems += check_action_rows(components, prefix=(*prefix, "components"))
    if files > FILES:
        problems.append(((*prefix, "files"), "BASE_TYPE_MAX_LENGTH", f"Must be {FILES} or fewer."))
    return problems


def is_empty_message(body: Mapping[str, Any], *, files: int = 0) -> bool:
    """Discord answers 50006 "Cannot send an empty message" to these."""
    return not (
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or files
        or body.get("sticker_ids")
        or body.get("poll")
        or body.get("attachments")
    )


def embed_size(embed: Mapping[str, Any]) -> int:
    """Characters counted towards the 6000 total (title, description, fields, footer, author)."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    for field in embed.get("fields") or []:
        size += len(field.get("name") or "") + len(field.get("value") or "")
    size += len((embed.get("footer") or {}).get("text") or "")
    size += len((embed.get("author") or {}).get("name") or "")
    return size


def check_embeds(embeds: Sequence[Mapping[str, Any]], *, prefix: Path) -> list[Problem]:
    problems = max_items(prefix, embeds, EMBEDS)
    for i, embed in enumerate(embeds):
        at = (*prefix, i)
        problems += max_length((*at, "title"), embed.get("title"), EMBED_TITLE)
        problems += max_length((*at, "description"), embed.get("description"), EMBED_DESCRIPTION)
        fields = embed.get("fields") or []
        problems += max_items((*at, "fields"), fields, EMBED_FIELDS)
        for j, field in enumerate(fields):
            problems += length_between((*at, "fields", j, "name"), field.get("name"), 1, FIELD_NAME)
            problems += length_between(
                (*at, "fields", j, "value"), field.get("value"), 1, FIELD_VALUE
            )
        problems += max_length(
            (*at, "footer", "text"), (embed.get("footer") or {}).get("text"), FOOTER_TEXT
        )
        problems += max_length(
            (*at, "author", "name"), (embed.get("author") or {}).get("name"), AUTHOR_NAME
        )
    if sum(embed_size(e) for e in embeds) > EMBED_TOTAL:
        problems.append(
            (prefix, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL}")
        )
    return problems


def _custom_id(path: Path, component: Mapping[str, Any], seen: set[str]) -> list[Problem]:
    custom_id = component.get("custom_id")
    problems = length_between((*path, "custom_id"), custom_id, 1, CUSTOM_ID)
    if isinstance(custom_id, str):
        if custom_id in seen:
            problems.append(
                (
                    (*path, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            )
        seen.add(custom_id)
    return problems


def check_button(path: Path, button: Mapping[str, Any], seen: set[str]) -> list[Problem]:
    problems = max_length((*path, "label"), button.get("label"), BUTTON_LABEL)
    style = button.get("style")
    if style == ButtonStyle.LINK:
        if not button.get("url") or "custom_id" in button:
            problems.append((path, "BUTTON_COMPONENT_INVALID_URL", "Link buttons need a url only"))
    elif style == ButtonStyle.PREMIUM:
        if not button.get("sku_id"):
            problems.append((path, "BASE_TYPE_REQUIRED", "Premium buttons need a sku_id"))
    else:
        problems += _custom_id(path, button, seen)
    if not button.get("label") and not button.get("emoji"):
        problems.append(
            (path, "BUTTON_COMPONENT_MISSING_LABEL_OR_EMOJI", "A button needs a label or an emoji")
        )
    return problems


def check_select(path: Path, select: Mapping[str, Any], seen: set[str]) -> list[Problem]:
    problems = _custom_id(path, select, seen)
    problems += max_length((*path, "placeholder"), select.get("placeholder"), SELECT_PLACEHOLDER)
    if select.get("type") == ComponentType.STRING_SELECT:
        options = select.get("options") or []
        if not 1 <= len(options) <= SELECT_OPTIONS:
            problems.append(
                (
                    (*path, "options"),
                    "BASE_TYPE_BAD_LENGTH",
                    f"Must be between 1 and {SELECT_OPTIONS} in length.",
                )
            )
        for k, opt in enumerate(options):
            at = (*path, "options", k)
            problems += length_between((*at, "label"), opt.get("label"), 1, OPTION_TEXT)
            problems += length_between((*at, "value"), opt.get("value"), 1, OPTION_TEXT)
            problems += max_length((*at, "description"), opt.get("description"), OPTION_TEXT)
    low, high = select.get("min_values", 1), select.get("max_values", 1)
    if not (0 <= low <= SELECT_OPTIONS and 1 <= high <= SELECT_OPTIONS and low <= high):
        problems.append(((*path, "max_values"), "BASE_TYPE_BAD_INT", "Invalid min/max values"))
    return problems


def check_action_rows(rows: Sequence[Mapping[str, Any]], *, prefix: Path) -> list[Problem]:
    """Legacy layout: ≤5 action rows, each ≤5 buttons or exactly one select."""
    problems = max_items(prefix, rows, ACTION_ROWS)
    seen: set[str] = set()
    for i, row in enumerate(rows):
        at = (*prefix, i)
        if row.get("type") != ComponentType.ACTION_ROW:
            problems.append(
                ((*at, "type"), "UNION_TYPE_CHOICES", "Top-level components must be action rows")
            )
            continue
        children = row.get("components") or []
        if not 1 <= len(children) <= ROW_WIDTH:
            problems.append(
                (
                    (*at, "components"),
                    "BASE_TYPE_BAD_LENGTH",
                    f"Must be between 1 and {ROW_WIDTH} in length.",
                )
            )
        if any(c.get("type") in SELECT_TYPES for c in children) and len(children) > 1:
            problems.append(
                (
                    (*at, "components"),
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
            )
        for j, child in enumerate(children):
            where = (*at, "components", j)
            if child.get("type") == ComponentType.BUTTON:
                problems += check_button(where, child, seen)
            elif child.get("type") in SELECT_TYPES:
                problems += check_select(where, child, seen)
            else:
                problems.append(
                    (
                        (*where, "type"),
                        "COMPONENT_TYPE_INVALID",
                        "Component type not allowed in a message action row",
                    )
                )
    return problems


def _walk(components: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for component in components:
        out.append(component)
        out += _walk(component.get("components") or [])
        if isinstance(component.get("accessory"), Mapping):
            out.append(component["accessory"])
    return out


def check_v2_components(components: Sequence[Mapping[str, Any]], *, prefix: Path) -> list[Problem]:
    """Components v2: at most 40 components in all; buttons and selects keep their rules."""
    every = _walk(components)
    problems: list[Problem] = []
    if len(every) > V2_COMPONENTS:
        problems.append(
            (
                prefix,
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {V2_COMPONENTS} or fewer components in total.",
            )
        )
    seen: set[str] = set()
    for k, component in enumerate(every):
        if component.get("type") == ComponentType.BUTTON:
            problems += check_button((*prefix, k), component, seen)
        elif component.get("type") in SELECT_TYPES:
            problems += check_select((*prefix, k), component, seen)
    return problems


def check_text_input(
    path: Path, text_input: Mapping[str, Any], seen: set[str], *, needs_label: bool
) -> list[Problem]:
    problems = _custom_id(path, text_input, seen)
    if needs_label or text_input.get("label") is not None:
        problems += length_between((*path, "label"), text_input.get("label"), 1, TEXT_INPUT_LABEL)
    problems += max_length((*path, "value"), text_input.get("value"), TEXT_INPUT_VALUE)
    problems += max_length(
        (*path, "placeholder"), text_input.get("placeholder"), TEXT_INPUT_PLACEHOLDER
    )
    low, high = text_input.get("min_length"), text_input.get("max_length")
    if low is not None and not 0 <= low <= TEXT_INPUT_VALUE:
        problems.append(((*path, "min_length"), "NUMBER_TYPE_MAX", "min_length out of range"))
    if high is not None and not 1 <= high <= TEXT_INPUT_VALUE:
        problems.append(((*path, "max_length"), "NUMBER_TYPE_MAX", "max_length out of range"))
    if text_input.get("style") not in (TextInputStyle.SHORT, TextInputStyle.PARAGRAPH):
        problems.append(((*path, "style"), "BASE_TYPE_CHOICES", "style must be 1 or 2"))
    return problems


def check_modal(data: Mapping[str, Any], *, prefix: Path = ("data",)) -> list[Problem]:
    """Modal: title ≤45, 1–5 top-level components (Label or legacy action row)."""
    problems = length_between((*prefix, "title"), data.get("title"), 1, MODAL_TITLE)
    problems += length_between((*prefix, "custom_id"), data.get("custom_id"), 1, CUSTOM_ID)
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_COMPONENTS:
        problems.append(
            (
                (*prefix, "components"),
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between 1 and {MODAL_COMPONENTS} in length.",
            )
        )
    seen: set[str] = set()
    for i, component in enumerate(components):
        at = (*prefix, "components", i)
        kind = component.get("type")
        if kind == ComponentType.LABEL:
            problems += length_between((*at, "label"), component.get("label"), 1, TEXT_INPUT_LABEL)
            problems += max_length(
                (*at, "description"), component.get("description"), LABEL_DESCRIPTION
            )
            inner = component.get("component") or {}
            if inner.get("type") == ComponentType.TEXT_INPUT:
                problems += check_text_input((*at, "component"), inner, seen, needs_label=False)
            elif inner.get("type") in SELECT_TYPES:
                problems += check_select((*at, "component"), inner, seen)
        elif kind == ComponentType.ACTION_ROW:
            for j, child in enumerate(component.get("components") or []):
                if child.get("type") == ComponentType.TEXT_INPUT:
                    problems += check_text_input(
                        (*at, "components", j), child, seen, needs_label=True
                    )
        elif kind != ComponentType.TEXT_DISPLAY:
            problems.append(
                (
                    (*at, "type"),
                    "COMPONENT_TYPE_INVALID",
                    "Modals take labels, text displays or action rows",
                )
            )
    return problems


def check_autocomplete(data: Mapping[str, Any], *, prefix: Path = ("data",)) -> list[Problem]:
    choices = data.get("choices") or []
    problems = max_items((*prefix, "choices"), choices, AUTOCOMPLETE_CHOICES)
    for i, choice in enumerate(choices):
        at = (*prefix, "choices", i)
        problems += length_between((*at, "name"), choice.get("name"), 1, OPTION_TEXT)
        problems += max_length((*at, "value"), choice.get("value"), OPTION_TEXT)
    return problems


def check_thread_name(name: Any, *, prefix: Path = ()) -> list[Problem]:
    return length_between((*prefix, "name"), name, 1, THREAD_NAME)


def check_forum_tags(tags: Sequence[Mapping[str, Any]], *, prefix: Path) -> list[Problem]:
    problems = max_items(prefix, tags, FORUM_TAGS)
    for i, tag in enumerate(tags):
        problems += length_between((*prefix, i, "name"), tag.get("name"), 1, FORUM_TAG_NAME)
    return problems
