"""Declarative base and reusable column types."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from sqlalchemy import JSON, DateTime, Enum, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def choice(values: type[StrEnum], name: str, length: int | None = None) -> Enum:
    """A column holding one of a fixed list (a ``StrEnum``), stored as its value.

    A portable VARCHAR (``native_enum=False``, no CHECK constraint) the length of the
    longest value, exactly as the plain-string lists were stored before, so no data
    migration is needed. Reads give back enum members; writes take members or strings.
    """
    return Enum(
        values,
        name=name,
        native_enum=False,
        length=length or max(len(member.value) for member in values),
        values_callable=lambda members: [member.value for member in members],
    )


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
name_str = Annotated[str, mapped_column(String(200))]
short_str = Annotated[str, 80]
text = Annotated[str, mapped_column(Text, default="")]
created_at = Annotated[dt.datetime, mapped_column(DateTime, default=utcnow)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        str: String(200),
        short_str: String(80),
        dict[str, Any]: JSON,
        list[str]: JSON,
        dt.datetime: DateTime,
    }


class Term:
    """Columns shared by the program's editable lists (stages, sectors, tie types, activity types).

    ``key`` is a stable slug for built-in entries (translated labels come from the
    catalog); entries a user adds have a ``key`` derived from the name.
    """

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(80))
    label_es: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
