"""How long each kind of free text a member types may be, fitted to its meaning.

Slash options and form fields carry these as ``max_length``, so Discord's client stops the
member while typing instead of the bot receiving 6,000 characters to parse. The services check
the same limits, for the paths Discord does not guard (a custom client, a message's text).
"""

from __future__ import annotations

from bot.domain.tags import TAG_MAX_LENGTH, TAGS_PER_PREDICTION
from bot.domain.text import DETAILS_MAX, NOTE_MAX, REASON_MAX, SOURCE_MAX, STATEMENT_MAX

#: "2027-06-30", "in 3 months", "next friday 17:00", "end of Q3 2027": a phrase, not a text.
DATE_PHRASE_MAX = 100
#: "70", "70%", "72.5 %", "0.725".
PROBABILITY_TEXT_MAX = 10
#: A forecast of any kind as typed: "70", "Anthropic 50, OpenAI 30, Google 15, Other 5" (up to
#: ten options of up to 50 characters, each with its number), "median 40, 80 % 25–60".
FORECAST_TEXT_MAX = 600
#: A question's options as typed: up to ten of up to 50 characters, separated by "|".
OPTIONS_TEXT_MAX = 600
#: One end of a numeric or date range ("0", "1,000,000", "2027-06-30", "end of 2027").
RANGE_END_MAX = DATE_PHRASE_MAX
#: A unit ("seats", "km", "°C", "million USD").
UNIT_MAX = 30
#: An outcome as a resolver types it: YES, an option's name, a number with its unit, a date.
OUTCOME_TEXT_MAX = 100
#: "0,1,2,3,4,5,6,7,8,9,10" with spaces.
KEYCAPS_TEXT_MAX = 40
#: The longest IANA zone name is 32 characters (America/Argentina/ComodRivadavia).
ZONE_NAME_MAX = 64
#: One tag as typed: names are at most 32 characters once spaces are folded; room for those.
TAG_TEXT_MAX = 2 * TAG_MAX_LENGTH
#: A comma-separated list of up to five tags.
TAG_LIST_TEXT_MAX = TAGS_PER_PREDICTION * (TAG_MAX_LENGTH + 8)

__all__ = [
    "DATE_PHRASE_MAX",
    "DETAILS_MAX",
    "FORECAST_TEXT_MAX",
    "KEYCAPS_TEXT_MAX",
    "NOTE_MAX",
    "OPTIONS_TEXT_MAX",
    "OUTCOME_TEXT_MAX",
    "PROBABILITY_TEXT_MAX",
    "RANGE_END_MAX",
    "REASON_MAX",
    "SOURCE_MAX",
    "STATEMENT_MAX",
    "TAG_LIST_TEXT_MAX",
    "TAG_TEXT_MAX",
    "UNIT_MAX",
    "ZONE_NAME_MAX",
]
