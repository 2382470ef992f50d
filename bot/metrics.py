"""The process's Prometheus metrics (``prometheus_client``), served on ``METRICS_PORT``.

Defined once here, at the bottom of the layers, so the code that does the work counts it where
it happens (the vote writer, the reminder scheduler, the database engine's cursor events).
Values that are read rather than counted (renders pending, gateway latency per shard) are
collected from the running bot at scrape time (``bot/runtime/operations.py``).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

VOTES_WRITTEN = Counter("augury_votes_written", "Votes committed by the vote writer")
VOTE_BATCH_SIZE = Histogram(
    "augury_vote_batch_size",
    "Votes per group commit",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500),
)
REMINDERS_SENT = Counter("augury_reminders_sent", "Reminders delivered and recorded")
REMINDERS_FAILED = Counter(
    "augury_reminders_failed", "Reminder attempts that failed (retried on a later cycle)"
)
REMINDERS_LATE = Counter(
    "augury_reminders_late", "Reminders delivered late (found past their time after downtime)"
)
EVENT_LOOP_LAG = Histogram(
    "augury_event_loop_lag_seconds",
    "How late a 1-second timer fires on the event loop",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
DB_QUERY_SECONDS = Histogram(
    "augury_db_query_seconds",
    "Database statement time by kind (select, insert, update, delete, other)",
    ["kind"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
STARTUP_HEAP_OBJECTS = Gauge(
    "augury_startup_heap_objects",
    "Objects alive once the bot was ready, set aside from full garbage collections",
)
