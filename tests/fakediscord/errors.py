"""Discord's error bodies, and the record of every rule the client broke."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PathPart = str | int
Problem = tuple[tuple[PathPart, ...], str, str]
"""(where in the body, Discord error code, human message) — one broken form-body rule."""


@dataclass(frozen=True)
class Violation:
    """A request the real Discord would have rejected, kept so scenarios can assert none."""

    method: str
    path: str
    field: str
    code: str
    message: str


class ApiError(Exception):
    """Raised by a route handler to answer with Discord's error shape."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: dict[str, Any] | None = None,
        violation: bool = False,
        field: str = "",
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.violation = violation
        self.field = field

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            data["errors"] = self.errors
        return data

    def violations(self, method: str, path: str) -> list[Violation]:
        """The violations this error stands for (one per form-body problem)."""
        if not self.violation:
            return []
        if self.errors:
            return [
                Violation(method, path, field, code, message)
                for field, code, message in flatten(self.errors)
            ]
        return [Violation(method, path, self.field, str(self.code), self.message)]


def invalid_form_body(problems: Sequence[Problem]) -> ApiError:
    """400 / 50035 with the nested ``errors`` tree discord.py flattens into its message."""
    tree: dict[str, Any] = {}
    for path, code, message in problems:
        node = tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
    return ApiError(400, 50035, "Invalid Form Body", errors=tree, violation=True)


def flatten(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for key, value in tree.items():
        if key == "_errors":
            out.extend((prefix, e["code"], e["message"]) for e in value)
        else:
            out.extend(flatten(value, f"{prefix}.{key}" if prefix else key))
    return out


def check(problems: Sequence[Problem]) -> None:
    """Raise the 400 if any rule was broken."""
    if problems:
        raise invalid_form_body(problems)


def not_found(code: int, message: str) -> ApiError:
    return ApiError(404, code, message)


def bad_request(code: int, message: str, *, field: str = "") -> ApiError:
    """A 400 that is a client bug (so it is recorded as a violation)."""
    return ApiError(400, code, message, violation=True, field=field)


UNKNOWN_CHANNEL = (10003, "Unknown Channel")
UNKNOWN_MESSAGE = (10008, "Unknown Message")
UNKNOWN_MEMBER = (10007, "Unknown Member")
UNKNOWN_USER = (10013, "Unknown User")
UNKNOWN_WEBHOOK = (10015, "Unknown Webhook")
UNKNOWN_INTERACTION = (10062, "Unknown interaction")
UNKNOWN_COMMAND = (10063, "Unknown application command")
UNKNOWN_GUILD = (10004, "Unknown Guild")
