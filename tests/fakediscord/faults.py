"""Failures injected on demand: rate limits, server errors, missing permissions, lost objects."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Any

DEFAULT_ERRORS: dict[int, tuple[int, str]] = {
    400: (50035, "Invalid Form Body"),
    401: (0, "401: Unauthorized"),
    403: (50013, "Missing Permissions"),
    404: (10008, "Unknown Message"),
    429: (0, "You are being rate limited."),
    500: (0, "500: Internal Server Error"),
    502: (0, "502: Bad Gateway"),
    503: (0, "503: Service Unavailable"),
}


@dataclass
class Fault:
    """Answer matching requests with ``status`` (or only slow them down when it is None;
    with ``late`` the request takes effect at once and only its answer waits).

    ``times=None`` keeps the fault forever; ``hits`` counts the requests it answered.
    """

    method: str
    path: re.Pattern[str]
    status: int | None
    times: int | None = 1
    retry_after: float = 0.05
    delay: float = 0.0
    late: bool = False  # wait after doing the request (it took effect; the answer is late)
    code: int | None = None
    message: str | None = None
    is_global: bool = False
    hits: int = 0

    @property
    def active(self) -> bool:
        return self.times is None or self.hits < self.times

    def matches(self, method: str, path: str) -> bool:
        return (
            self.active
            and self.method in ("*", method.upper())
            and self.path.search(path) is not None
        )

    def body(self) -> dict[str, Any]:
        code, message = DEFAULT_ERRORS.get(self.status or 0, (0, f"{self.status}"))
        data: dict[str, Any] = {
            "message": self.message or message,
            "code": self.code if self.code is not None else code,
        }
        if self.status == 429:
            data.update(retry_after=self.retry_after, **{"global": self.is_global})
        return data

    def headers(self) -> dict[str, str]:
        """429 headers as Discord sends them; discord.py only honours a 429 carrying ``Via``."""
        if self.status != 429:
            return {}
        headers = {
            "Retry-After": str(max(1, math.ceil(self.retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + self.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{self.retry_after:.3f}",
            "X-RateLimit-Bucket": f"fake-{id(self):x}",
            "X-RateLimit-Scope": "global" if self.is_global else "user",
            "Via": "1.1 google",
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        return headers
