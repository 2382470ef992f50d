"""Interaction callbacks and the interaction webhook (followups, @original).

The callback answers 200 with ``{"interaction": ..., "resource": ...}`` because discord.py 2.7
asks ``?with_response=1`` and parses that body; a 204 would crash it.
"""

from __future__ import annotations

import time
from typing import Any

from . import errors as e
from . import limits
from .constants import CommandType, InteractionType, MessageFlag, ResponseType
from .rest import Call, Reply, Router
from .routes_channels import validate_message
from .state import InteractionRecord

PING = InteractionType.PING
COMMAND = InteractionType.APPLICATION_COMMAND
AUTOCOMPLETE = InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE
COMPONENT = InteractionType.MESSAGE_COMPONENT
MODAL_SUBMIT = InteractionType.MODAL_SUBMIT
#: Which interaction types each response type may answer.
ALLOWED: dict[int, set[int]] = {
    ResponseType.PONG: {PING},
    ResponseType.CHANNEL_MESSAGE_WITH_SOURCE: {COMMAND, COMPONENT, MODAL_SUBMIT},
    ResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: {COMMAND, COMPONENT, MODAL_SUBMIT},
    ResponseType.DEFERRED_UPDATE_MESSAGE: {COMPONENT, MODAL_SUBMIT},
    ResponseType.UPDATE_MESSAGE: {COMPONENT, MODAL_SUBMIT},
    ResponseType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT: {AUTOCOMPLETE},
    ResponseType.MODAL: {COMMAND, COMPONENT},
}
#: The responses that carry a message in ``data``.
WITH_MESSAGE = (ResponseType.CHANNEL_MESSAGE_WITH_SOURCE, ResponseType.UPDATE_MESSAGE)


def _record(call: Call) -> InteractionRecord:
    record = call.state.interactions.get(call.params["interaction_id"])
    if record is None or record.token != call.params["token"]:
        raise e.not_found(*e.UNKNOWN_INTERACTION)
    return record


def _message_extra(call: Call, record: InteractionRecord, *, original: bool) -> dict[str, Any]:
    """Who the bot's reply is attributed to, as Discord marks interaction messages."""
    payload = record.payload
    user = (payload.get("member") or {}).get("user") or payload.get("user")
    kind = 0
    if original and payload["type"] == COMMAND:
        command_type = (payload.get("data") or {}).get("type", CommandType.CHAT_INPUT)
        kind = 20 if command_type == CommandType.CHAT_INPUT else 23  # message types
    app_id = call.state.world.application_id
    metadata = {
        "id": record.id,
        "type": payload["type"],
        "user": user,
        "authorizing_integration_owners": payload.get("authorizing_integration_owners", {}),
    }
    if not original and record.original_id:
        metadata["original_response_message_id"] = record.original_id
    return {
        "webhook_id": app_id,
        "application_id": app_id,
        "type": kind,
        "interaction_metadata": metadata,
    }


def _respond(call: Call, record: InteractionRecord, kind: int, data: dict[str, Any]) -> Any:
    """Apply one callback; returns the message it created or updated, if any."""
    state = call.state
    if kind in WITH_MESSAGE:
        new = kind == ResponseType.CHANNEL_MESSAGE_WITH_SOURCE
        validate_message(data, call.files, prefix=("data",), new=new)
    if kind == ResponseType.CHANNEL_MESSAGE_WITH_SOURCE:
        extra = _message_extra(call, record, original=True)
        message = state.create_message(record.channel_id, data, call.files, extra=extra)
        record.original_id = message["id"]
        return message
    if kind == ResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
        extra = {**_message_extra(call, record, original=True)}
        ephemeral = int(data.get("flags") or 0) & MessageFlag.EPHEMERAL
        extra["flags"] = MessageFlag.LOADING | ephemeral
        message = state.create_message(record.channel_id, {}, extra=extra)
        record.original_id, record.loading = message["id"], True
        return None
    if kind in (ResponseType.DEFERRED_UPDATE_MESSAGE, ResponseType.UPDATE_MESSAGE):
        if not record.payload.get("message"):
            raise _wrong_type(kind, record)
        target = state.message(record.payload["message"]["id"])
        record.original_id = target["id"]
        if kind == ResponseType.UPDATE_MESSAGE:
            return state.edit_message(target, data, call.files)
        return None
    if kind == ResponseType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
        e.check(limits.check_autocomplete(data))
    if kind == ResponseType.MODAL:
        e.check(limits.check_modal(data))
        record.modal = data
    return None


def _wrong_type(kind: int, record: InteractionRecord) -> e.ApiError:
    return e.invalid_form_body(
        [
            (
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Response type {kind} is not valid for interaction type {record.payload['type']}",
            )
        ]
    )


def _webhook(call: Call) -> InteractionRecord:
    if call.params["app_id"] != call.state.world.application_id:
        raise e.not_found(*e.UNKNOWN_WEBHOOK)
    return call.state.interaction_by_token(call.params["token"])


def _webhook_message(call: Call, record: InteractionRecord) -> dict[str, Any]:
    message_id = call.params["message_id"]
    if message_id == "@original":
        if record.original_id is None:
            raise e.ApiError(404, *e.UNKNOWN_MESSAGE, violation=True, field="@original")
        message_id = record.original_id
    elif message_id not in record.message_ids:
        raise e.not_found(*e.UNKNOWN_MESSAGE)
    return call.state.message(message_id)


def register(router: Router) -> None:
    @router.route("POST", "/interactions/{interaction_id}/{token}/callback")
    def callback(call: Call) -> Reply:
        record = _record(call)
        if record.responded:
            raise e.bad_request(40060, "Interaction has already been acknowledged.")
        deadline = call.state.interaction_deadline
        if deadline is not None and time.monotonic() - record.created > deadline:
            raise e.ApiError(404, *e.UNKNOWN_INTERACTION, violation=True, field="too late")
        body = call.body()
        kind = int(body.get("type") or 0)
        if record.payload["type"] not in ALLOWED.get(kind, set()):
            raise _wrong_type(kind, record)
        message = _respond(call, record, kind, dict(body.get("data") or {}))
        record.responded, record.response_type = True, kind
        if record.original_id and record.original_id not in record.message_ids:
            record.message_ids.append(record.original_id)
        if call.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        original = call.state.messages.get(record.original_id or "")
        resource: dict[str, Any] = {"type": kind}
        if message is not None and kind in WITH_MESSAGE:
            resource["message"] = message
        return 200, {
            "interaction": {
                "id": record.id,
                "type": record.payload["type"],
                "activity_instance_id": None,
                "response_message_id": record.original_id,
                "response_message_loading": record.loading,
                "response_message_ephemeral": bool(
                    original and original["flags"] & MessageFlag.EPHEMERAL
                ),
            },
            "resource": resource,
        }

    @router.route("POST", "/webhooks/{app_id}/{token}")
    def followup(call: Call) -> Reply:
        record = _webhook(call)
        if not record.responded:
            raise e.ApiError(
                404, *e.UNKNOWN_WEBHOOK, violation=True, field="followup before response"
            )
        body = call.body()
        validate_message(body, call.files)
        original = call.state.messages.get(record.original_id or "")
        if record.loading and original is not None:
            message = call.state.edit_message(original, body, call.files)
            record.loading = False
        else:
            extra = _message_extra(call, record, original=False)
            message = call.state.create_message(record.channel_id, body, call.files, extra=extra)
            record.message_ids.append(message["id"])
        wait = call.query.get("wait") in ("1", "true", "True")
        return (200, message) if wait else (204, None)

    message_path = "/webhooks/{app_id}/{token}/messages/{message_id}"

    @router.route("GET", message_path)
    def get_message(call: Call) -> Reply:
        return 200, _webhook_message(call, _webhook(call))

    @router.route("PATCH", message_path)
    def edit_message(call: Call) -> Reply:
        record = _webhook(call)
        message = _webhook_message(call, record)
        validate_message(call.body(), call.files, new=False)
        if message["id"] == record.original_id:
            record.loading = False
        return 200, call.state.edit_message(message, call.body(), call.files)

    @router.route("DELETE", message_path)
    def delete_message(call: Call) -> Reply:
        record = _webhook(call)
        message = _webhook_message(call, record)
        if message["id"] == record.original_id:
            record.loading = False  # deleting the "thinking…" message ends it, as on Discord
        call.state.delete_message(message)
        return 204, None
