"""A fake Discord (gateway websocket + REST API) that the real discord.py runs against.

Use it in-process (``async with FakeDiscord() as fake``, then point ``discord.http.Route.BASE``
at ``fake.api_base`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` at ``fake.gateway_url``) or
let a ``python -m bot`` subprocess connect to it through its environment.
"""

from . import payloads
from .errors import Violation
from .faults import Fault
from .gateway import Frame
from .rest import RecordedRequest
from .server import FakeDiscord
from .state import InteractionRecord, UploadedFile

__all__ = [
    "FakeDiscord",
    "Fault",
    "Frame",
    "InteractionRecord",
    "RecordedRequest",
    "UploadedFile",
    "Violation",
    "payloads",
]
