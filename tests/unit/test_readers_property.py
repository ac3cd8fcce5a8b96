"""Every reader, fed random bytes or truncated and mutated real files, either reads the
file or raises the translated "cannot read this file" family (issue 15): never another
exception, which the page would show as Streamlit's error box and the CLI as a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagement.errors import UnreadableFile
from engagement.i18n import describe_error
from engagement.io.activity_sheets import read_activity_upload
from engagement.io.backup_files import load_json
from engagement.io.readers import read_tables, read_upload
from tests.support.kumu import csv_bytes, demo_workbook, kumu_workbook, workbook

LIMIT = 20 * 1024 * 1024
ACTIVITIES = workbook(
    {
        "Actividades": [
            ["Actividad", "Fecha", "Etapa", "Tipo", "Nivel de participación", "Asistentes"],
            ["Taller", dt.date(2024, 3, 1), "Co-creación", "Taller", "Involucrar", 12],
        ],
        "Asistencia": [["Actividad", "Fecha", "Actor"], ["Taller", dt.date(2024, 3, 1), "Ana"]],
    }
)
BACKUP = json.dumps({"format": "tejido-program-backup", "tables": {"actor": [[1, "Ana"]]}}).encode()
REAL_FILES = [
    kumu_workbook(),
    demo_workbook(),
    ACTIVITIES,
    csv_bytes([["Label", "Type"], ["Ana", "Sociedad civil"]], delimiter=";"),
    "Label\tType\nAñá\tx\n".encode("utf-16"),
    csv_bytes([["Label"], ["Cámara"]], encoding="cp1252"),
    BACKUP,
]


def _upload(data: bytes) -> Any:
    return read_upload("f.xlsx", data, LIMIT)


def _activities(data: bytes) -> Any:
    return read_activity_upload("f.xlsx", data, LIMIT)


def _backup(data: bytes) -> Any:
    return load_json("f.json", data)


READERS: list[Callable[[bytes], Any]] = [_upload, _activities, _backup]


def _read_or_refuse(data: bytes) -> None:
    for reader in READERS:
        try:
            reader(data)
        except UnreadableFile as error:
            message = describe_error(error, "es")
            assert message and not message.startswith("error."), error.code


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(REAL_FILES)))
    how = draw(st.sampled_from(["truncate", "flip", "splice"]))
    if how == "truncate":
        return bytes(data[: draw(st.integers(0, len(data)))])
    if how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        return bytes(data)
    at = draw(st.integers(0, len(data)))
    return bytes(data[:at]) + draw(st.binary(max_size=64)) + bytes(data[at:])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_are_read_or_refused(data: bytes) -> None:
    _read_or_refuse(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_behind_a_zip_signature_are_refused(data: bytes) -> None:
    _read_or_refuse(b"PK\x03\x04" + data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_truncated_or_mutated_real_files_are_read_or_refused(data: bytes) -> None:
    _read_or_refuse(data)


def _trimmed(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        out.append(tuple(values))
    while out and not out[-1]:
        out.pop()
    return out


def test_the_streaming_reader_reads_what_openpyxl_reads() -> None:
    for data in (kumu_workbook(), demo_workbook(), ACTIVITIES):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        expected = {ws.title: _trimmed(list(ws.iter_rows(values_only=True))) for ws in book}
        book.close()
        found = {title: _trimmed(rows) for title, rows in read_tables("f", data, LIMIT).tables}
        assert found == expected
