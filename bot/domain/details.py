"""Details added after others voted: appended under a dated heading, never replaced.

The heading is stored as plain text; rendering recognises it (:data:`UPDATE_HEADING`) and
decides how it looks, so services never write Discord markup.
"""

from __future__ import annotations

import re
from datetime import datetime

#: A paragraph that starts with an update heading: "Update 2027-01-05:" (older rows carry the
#: bold markup they were stored with, which is recognised too).
UPDATE_HEADING = re.compile(r"^(?:\*\*)?(Update \d{4}-\d{2}-\d{2}:)(?:\*\*)?", re.MULTILINE)


def update_heading(now: datetime) -> str:
    return f"Update {now:%Y-%m-%d}:"
