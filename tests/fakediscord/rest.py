"""The REST half: parse, record, inject faults, check auth, route, answer like Discord.

Answers are JSON with a Content-Type of exactly ``application/json``: discord.py decodes a body
only on that exact string (aiohttp's ``json_response`` would add ``; charset=utf-8``).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from . import errors as e
from .errors import Violation
from .faults import Fault
from .payloads import JSON
from .state import FakeState, UploadedFile, scrub

Reply = tuple[int, Any]
NO_AUTH_PREFIXES = ("/webhooks/", "/interactions/")


@dataclass
class RecordedRequest:
    """One request the client made, with the fake's answer."""

    index: int
    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    headers: dict[str, str]
    status: int = 0
    response: Any = None

    def matches(self, method: str | None = None, path: str | None = None) -> bool:
        """``method`` exactly (case-insensitive), ``path`` as a regex searched in the path."""
        if method is not None and self.method != method.upper():
            return False
        return path is None or re.search(path, self.path) is not None

    def __repr__(self) -> str:
        return f"<{self.index} {self.method} {self.path} -> {self.status}>"


@dataclass
class Call:
    """What a route handler sees."""

    state: FakeState
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    gateway_url: str

    def body(self) -> dict[str, Any]:
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            raise e.invalid_form_body([((), "DICT_TYPE_CONVERT", "Only dictionaries may be used")])
        return self.json


Handler = Callable[[Call], Reply]


@dataclass
class Router:
    """Method + path template (``/channels/{channel_id}``) → handler."""

    routes: list[tuple[str, re.Pattern[str], Handler]] = field(default_factory=list)

    def add(self, method: str, template: str, handler: Handler) -> None:
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.add(method, template, handler)
            return handler

        return decorate

    def find(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match and route_method == method:
                return handler, match.groupdict()
        return None


def json_response(status: int, data: Any, headers: Mapping[str, str] | None = None) -> web.Response:
    if status == 204:
        return web.Response(status=204, headers=headers)
    body = json.dumps(scrub(data)).encode()
    response = web.Response(status=status, body=body, headers=headers)
    response.headers["Content-Type"] = "application/json"
    return response


async def read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """JSON body, or a multipart ``payload_json`` plus its ``files[n]`` parts."""
    if request.content_type == "multipart/form-data":
        form = await request.post()
        payload: Any = None
        files: list[UploadedFile] = []
        for name, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                if name == "payload_json":
                    payload = json.loads(data)
                else:
                    files.append(UploadedFile(name, value.filename, value.content_type, data))
            elif name == "payload_json":
                payload = json.loads(value)
        return payload, files
    text = await request.text()
    return (json.loads(text) if text else None), []


class RestApi:
    """Serves ``/api/v10/...`` for one FakeDiscord."""

    def __init__(
        self,
        state: FakeState,
        router: Router,
        *,
        token: str,
        gateway_url: Callable[[], str],
        publish: Callable[[list[tuple[str, JSON]]], Awaitable[None]],
        notify: Callable[[], None],
    ) -> None:
        self.state = state
        self.router = router
        self.token = token
        self.gateway_url = gateway_url
        self.publish = publish
        self.notify = notify
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.faults: list[Fault] = []
        #: Requests received and not answered yet (recorded in ``requests`` once answered).
        self.in_flight = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        try:
            return await self._handle(request)
        finally:
            self.in_flight -= 1
            self.notify()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        method = request.method.upper()
        record = RecordedRequest(
            index=-1,
            method=method,
            path=path,
            query=dict(request.query),
            json=None,
            files=[],
            headers=dict(request.headers),
        )
        try:
            record.json, record.files = await read_body(request)
            status, data, headers = await self._answer(record)
        except json.JSONDecodeError:
            status, data, headers = 400, {"message": "400: Bad Request", "code": 0}, {}
        record.status, record.response = status, scrub(data)
        if self.state.outbox:
            events, self.state.outbox = self.state.outbox, []
            await self.publish(events)
        record.index = len(self.requests)
        self.requests.append(record)
        return json_response(status, data, headers)

    async def _answer(self, record: RecordedRequest) -> tuple[int, Any, dict[str, str]]:
        fault = next((f for f in self.faults if f.matches(record.method, record.path)), None)
        if fault is not None:
            fault.hits += 1
            if fault.delay and not fault.late:
                await asyncio.sleep(fault.delay)
            if fault.status is not None:
                return fault.status, fault.body(), fault.headers()
        authorized = record.headers.get("Authorization") == f"Bot {self.token}"
        if not authorized and not record.path.startswith(NO_AUTH_PREFIXES):
            self._violate(record, "Authorization", "401", "missing or wrong bot token")
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        found = self.router.find(record.method, record.path)
        if found is None:
            self._violate(record, "", "FAKE_UNHANDLED_ROUTE", "the fake does not serve this route")
            return 404, {"message": "404: Not Found", "code": 0}, {}
        handler, params = found
        call = Call(
            self.state,
            record.method,
            record.path,
            params,
            record.query,
            record.json,
            record.files,
            self.gateway_url(),
        )
        try:
            status, data = handler(call)
        except e.ApiError as error:
            self.state.outbox.clear()
            self.violations.extend(error.violations(record.method, record.path))
            return error.status, error.body(), {}
        if fault is not None and fault.late:
            await asyncio.sleep(fault.delay)  # done, but the client hears of it only now
        return status, data, {}

    def _violate(self, record: RecordedRequest, where: str, code: str, message: str) -> None:
        self.violations.append(Violation(record.method, record.path, where, code, message))
