"""Typed SQLAlchemy 2.0 models.

Probabilities are stored as integer per-mille (10…990 = 1.0 %…99.0 %): exact, so calibration
buckets have no floating-point edges, and one decimal of a percent is all members can type.
A prediction names its question kind (``kind``, see :mod:`bot.domain.kinds`): a yes/no forecast
keeps its per-mille column (index-backed SQL, plain ints in the hot paths); another kind keeps
its forecast in the JSON ``forecast`` column and its outcome in ``outcome_value``.
Discord ids are ``BigInteger`` (snowflakes exceed 32 bits).
"""

from __future__ import annotations

from sqlalchemy import JSON, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

#: A question kind's forecast or outcome (JSONB on PostgreSQL: comparable, and compact).
PAYLOAD = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
