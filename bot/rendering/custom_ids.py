"""The custom_ids of Augury's components: the contract between a message and its handlers.

Rendering builds buttons and forms with these ids; the feature that handles a click or a
submit registers a handler for the same template (a ``DynamicItem``, or a modal route). The
prediction id travels in the id, so a click works on any message however old, whichever
process posted it. These strings are stored in Discord on every message ever posted: never
change one, only add new ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.vocabulary import Outcome

#: A stored id: 1–18 ASCII digits (always below 2**63, the database's BIGINT); a longer or
#: non-ASCII number in a custom_id is not ours and matches nothing (answered as expired).
ID_DIGITS = "[0-9]{1,18}"
#: A Discord id (snowflake): up to 20 digits today's ids are 19.
SNOWFLAKE_DIGITS = "[0-9]{1,20}"


@dataclass(frozen=True)
class PredictionComponent:
    """A component that acts on one prediction: ``<prefix><prediction id>``."""

    prefix: str

    def custom_id(self, prediction_id: int) -> str:
        return f"{self.prefix}{prediction_id}"

    @property
    def template(self) -> str:
        return rf"^{re.escape(self.prefix)}(?P<id>{ID_DIGITS})$"

    def prediction_id(self, custom_id: str) -> int | None:
        match = re.match(self.template, custom_id)
        return int(match["id"]) if match else None


VOTE_BUTTON = PredictionComponent("augury:vote:")
MY_VOTE_BUTTON = PredictionComponent("augury:myvote:")
FOLLOW_BUTTON = PredictionComponent("augury:follow:")
VOTE_FORM = PredictionComponent("augury:vote-modal:")
#: The text input of the vote form.
VOTE_FORM_PROBABILITY = "probability"
#: The optional reason of the vote form (issue 11).
VOTE_FORM_REASON = "reason"
#: "How did I do?" on a resolution post; Resolve on the prediction message (issue 11).
HOW_DID_I_DO_BUTTON = PredictionComponent("augury:howdid:")
RESOLVE_MENU_BUTTON = PredictionComponent("augury:resolvemenu:")

#: The create form behind "Track as prediction": the source message travels in the id, so a
#: form opened before a restart still submits after it: ``augury:create:<channel>:<message>``.
CREATE_FORM_TEMPLATE = (
    rf"^augury:create:(?P<channel>{SNOWFLAKE_DIGITS}):(?P<message>{SNOWFLAKE_DIGITS})"
    rf"(?::(?P<claimant>{SNOWFLAKE_DIGITS}))?$"
)
CREATE_FORM_STATEMENT = "statement"
CREATE_FORM_RESOLVES = "resolves"
CREATE_FORM_PROBABILITY = "probability"
CREATE_FORM_DETAILS = "details"


def create_form_id(channel_id: int, message_id: int, claimant_id: int | None = None) -> str:
    """``augury:create:<channel>:<message>[:<claimant>]`` (the claimant: the message's author)."""
    base = f"augury:create:{channel_id}:{message_id}"
    return base if claimant_id is None else f"{base}:{claimant_id}"


#: Resolve buttons carry the outcome too: ``augury:resolve:<id>:<yes|no|ambiguous>``.
RESOLVE_BUTTON_TEMPLATE = rf"^augury:resolve:(?P<id>{ID_DIGITS}):(?P<outcome>yes|no|ambiguous)$"


def resolve_button_id(prediction_id: int, outcome: Outcome) -> str:
    return f"augury:resolve:{prediction_id}:{outcome.value}"


#: A disabled button on every reminder message marks which delivery part it is, so a retry after
#: a crash can look in the channel's recent messages before sending again:
#: ``augury:reminder:<prediction id>:<kind>:<sequence>:<part>``.
REMINDER_MARKER_TEMPLATE = (
    r"^augury:reminder:(?P<id>[0-9]+):(?P<kind>[a-z_]+):(?P<sequence>[0-9]+):(?P<part>[0-9]+)$"
)


def reminder_marker_id(prediction_id: int, kind: str, sequence: int, part: int) -> str:
    return f"augury:reminder:{prediction_id}:{kind}:{sequence}:{part}"


#: The create form of a question kind other than yes/no (issue 19): the kind travels in the id
#: too: ``augury:create-as:<kind>:<channel>:<message>[:<claimant>]``.
CREATE_KIND_FORM_TEMPLATE = (
    rf"^augury:create-as:(?P<kind>[a-z_]{{1,20}}):(?P<channel>{SNOWFLAKE_DIGITS})"
    rf":(?P<message>{SNOWFLAKE_DIGITS})(?::(?P<claimant>{SNOWFLAKE_DIGITS}))?$"
)


def create_kind_form_id(
    kind: str, channel_id: int, message_id: int, claimant_id: int | None = None
) -> str:
    """``augury:create-as:<kind>:<channel>:<message>[:<claimant>]``."""
    base = f"augury:create-as:{kind}:{channel_id}:{message_id}"
    return base if claimant_id is None else f"{base}:{claimant_id}"


#: Resolving a question that is not yes/no from its message (issue 19): a select of the
#: question's outcomes, or a form where the outcome is typed.
RESOLVE_PICK = PredictionComponent("augury:resolve-pick:")
RESOLVE_FORM = PredictionComponent("augury:resolve-form:")
RESOLVE_FORM_OUTCOME = "outcome"
RESOLVE_FORM_NOTE = "note"

#: Numeric and date questions: the Forecast button and its form (median, 10th and 90th
#: percentile).
RANGE_BUTTON = PredictionComponent("augury:range:")
RANGE_FORM = PredictionComponent("augury:range-form:")
RANGE_FORM_FIELDS = ("median", "p10", "p90")

#: Issue 21: the resolution post's Dispute button, and the form it opens (the reason).
DISPUTE_BUTTON = PredictionComponent("augury:dispute:")
DISPUTE_FORM = PredictionComponent("augury:dispute-form:")
DISPUTE_FORM_REASON = "reason"

#: Every form submit routed by custom_id (the expired-interaction fallback leaves these alone).
FORM_TEMPLATES = (
    VOTE_FORM.template,
    CREATE_FORM_TEMPLATE,
    CREATE_KIND_FORM_TEMPLATE,
    RESOLVE_FORM.template,
    RANGE_FORM.template,
    DISPUTE_FORM.template,
)


#: The private "Resolve #12 as YES?" confirmation (issue 11): Confirm carries the outcome.
RESOLVE_CONFIRM_TEMPLATE = r"^augury:resolve-confirm:(?P<id>[0-9]+):(?P<outcome>yes|no|ambiguous)$"
RESOLVE_CANCEL = PredictionComponent("augury:resolve-cancel:")


def resolve_confirm_id(prediction_id: int, outcome: Outcome) -> str:
    return f"augury:resolve-confirm:{prediction_id}:{outcome.value}"


#: The private Follow / Unfollow switch behind the 🔔 button: ``augury:follow-set:<id>:on|off``.
FOLLOW_SET_TEMPLATE = r"^augury:follow-set:(?P<id>[0-9]+):(?P<state>on|off)$"


def follow_set_id(prediction_id: int, following: bool) -> str:
    return f"augury:follow-set:{prediction_id}:{'on' if following else 'off'}"
