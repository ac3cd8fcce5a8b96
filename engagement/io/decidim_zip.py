"""Read a Decidim "open data" ZIP (``<host>-open-data.zip``) into plain tables.

The format is described in ``docs``/the README's Decidim section: one flat ZIP of
``<host>-open-data-<entity>.csv`` entries in Ruby's CSV dialect (``;`` by default, ``,``
where an installation set it), nested fields flattened into ``/``-joined columns
(``title/es``), and a ``'`` put before any cell starting with ``=``, ``+``, ``-`` or ``@``
against formula injection (taken off again here, so the original text comes back).

Nothing is extracted to disk. The entry count and the declared uncompressed sizes are
checked against :mod:`engagement.io.limits` before any entry is inflated, and each entry
is read no further than its declared size, so a ZIP that lies about it cannot flood
memory. Entries whose names carry a folder or ``..`` are ignored, never opened.

Examples
--------
>>> entry_entity("tepic.gob.mx-open-data-meetings.csv")
('tepic.gob.mx', 'meetings')
>>> entry_entity("../evil-open-data-meetings.csv") is None
True
>>> restore_guarded("'+1 a la propuesta")
'+1 a la propuesta'
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from operator import itemgetter

from engagement.errors import (
    Damaged,
    EmptyFile,
    FileLimitExceeded,
    MixedDecidimHosts,
    NotADecidimExport,
)
from engagement.io.limits import (
    LIMITS,
    MAX_CELL_CHARS,
    MAX_INFLATED_BYTES,
    MAX_TEXT_CHARS,
    MAX_ZIP_ENTRIES,
    Budget,
)

#: The entities Tejido maps; the others (comments, projects…) are read past.
MAPPED = ("meetings", "proposals", "results")
_ENTRY = re.compile(r"^(?P<host>[A-Za-z0-9][A-Za-z0-9.\-]*)-open-data-(?P<entity>[a-z_]+)\.csv$")
_GUARDED = re.compile(r"^'[=+\-@]")
_GUARD_ANYWHERE = re.compile(r"'[=+\-@]")
_FILLED = itemgetter(1)


def entry_entity(name: str) -> tuple[str, str] | None:
    """``(host, entity)`` of an entry named as Decidim names them; None otherwise."""
    if "/" in name or "\\" in name or ".." in name:
        return None
    found = _ENTRY.match(name)
    return (found["host"].lower(), found["entity"]) if found else None


def restore_guarded(cell: str) -> str:
    """Take off the ``'`` Decidim puts before ``=``, ``+``, ``-`` or ``@``."""
    return cell[1:] if _GUARDED.match(cell) else cell


@dataclass(frozen=True)
class DecidimTable:
    """One entity's rows as dicts of column → text (empty cells are left out)."""

    entity: str
    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    #: Whether a cell may hold a character the database never stores (a control
    #: character, :func:`engagement.text.strip_controls`); False when none does.
    controls: bool = False


@dataclass(frozen=True)
class DecidimExport:
    name: str
    host: str
    #: ``0.27``, ``0.28``, ``0.29`` or ``0.30`` (0.30 and later: the ZIP has a README.md).
    release: str
    separator: str
    tables: dict[str, DecidimTable]
    #: Entries read past because their names carry a folder or ``..``.
    ignored: tuple[str, ...] = field(default=())

    def rows(self, entity: str) -> tuple[dict[str, str], ...]:
        table = self.tables.get(entity)
        return table.rows if table else ()

    def has_column(self, entity: str, column: str) -> bool:
        table = self.tables.get(entity)
        return bool(table) and column in table.header  # type: ignore[union-attr]

    @property
    def controls(self) -> bool:
        """Whether a cell may hold a character the database never stores."""
        return any(table.controls for table in self.tables.values())


def looks_like_decidim(name: str, data: bytes) -> bool:
    """Whether ``data`` is a ZIP with at least one Decidim open-data entry."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if len(archive.infolist()) > MAX_ZIP_ENTRIES:
                return True  # refused with the limit's own message by the reader
            return any(entry_entity(i.filename) for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def read_decidim_zip(name: str, data: bytes) -> DecidimExport:
    """Read the mapped entities of a Decidim open-data ZIP, within the file limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotADecidimExport(name=name) from exc
    with archive:
        infos = archive.infolist()
        _check_size(name, infos)
        wanted, ignored, hosts, readme = _entries(infos)
        if not hosts:
            raise NotADecidimExport(name=name)
        if len(hosts) > 1:
            raise MixedDecidimHosts(name=name, hosts=", ".join(sorted(hosts)))
        raws = {entity: _inflate(archive, info, name) for entity, info in wanted.items()}
    controls = {entity: holds_controls(raw) for entity, raw in raws.items()}
    texts = {entity: _decode(raws.pop(entity), name) for entity in list(raws)}
    separator = _separator(texts)
    tables = {}
    for entity in list(texts):  # each text let go once read: half the memory at the peak
        table = _table(f"{name}:{entity}", entity, texts.pop(entity), separator)
        tables[entity] = replace(table, controls=controls[entity])
    return DecidimExport(
        name=name,
        host=hosts.pop(),
        release=_release(tables, readme),
        separator=separator,
        tables=tables,
        ignored=tuple(ignored),
    )


def _check_size(name: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileLimitExceeded(name=name, limit="zip_entries", maximum=LIMITS["zip_entries"])
    if sum(i.file_size for i in infos) > MAX_INFLATED_BYTES:
        raise FileLimitExceeded(name=name, limit="inflated", maximum=LIMITS["inflated"])


def _entries(
    infos: list[zipfile.ZipInfo],
) -> tuple[dict[str, zipfile.ZipInfo], list[str], set[str], bool]:
    wanted: dict[str, zipfile.ZipInfo] = {}
    ignored: list[str] = []
    hosts: set[str] = set()
    readme = False
    for info in infos:
        found = entry_entity(info.filename)
        if found is None:
            if info.filename in ("README.md", "LICENSE.md"):
                readme = readme or info.filename == "README.md"
            elif "/" in info.filename or "\\" in info.filename or ".." in info.filename:
                ignored.append(info.filename)
            continue
        hosts.add(found[0])
        if found[1] in MAPPED:
            wanted[found[1]] = info
    return wanted, ignored, hosts, readme


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    try:
        with archive.open(info) as stream:
            raw = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Damaged(name=name) from exc
    if len(raw) > info.file_size:  # the entry holds more than its header declares
        raise FileLimitExceeded(name=name, limit="inflated", maximum=LIMITS["inflated"])
    return raw


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Damaged(name=name) from exc


#: The bytes of the control characters :func:`engagement.text.strip_controls` takes out
#: in UTF-8: C0 but tab and line feed, and DEL, are bytes of their own (no other
#: character's bytes are below 0x80); C1 are 0xC2 0x80–0x9F; U+FFFE and U+FFFF are
#: 0xEF 0xBF 0xBE/0xBF. (Lone surrogates are no UTF-8: the decoder refuses them.)
_C0_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_NONCHARACTER_BYTES = re.compile(rb"\xef\xbf[\xbe\xbf]")


def holds_controls(raw: bytes) -> bool:
    """Whether UTF-8 ``raw`` holds a character that
    :func:`engagement.text.strip_controls` takes out: told from the bytes at C speed,
    where a search of the decoded text costs as much as reading a tenth of its rows.

    >>> holds_controls("Más luz\\tya\\n".encode()), holds_controls("a\\rb".encode())
    (False, True)
    >>> holds_controls("\\x85".encode()), holds_controls("\\uffff".encode())
    (True, True)
    """
    return (
        len(raw.translate(None, _C0_BYTES)) != len(raw)
        or _C1_BYTES.search(raw) is not None
        or _NONCHARACTER_BYTES.search(raw) is not None
    )


def _separator(texts: dict[str, str]) -> str:
    """``;`` (Decidim's default) or ``,``, told by the first header line.

    Headers are unquoted and made of names, ``/`` and ``_``: neither separator can occur
    inside one, so whichever the line holds is the separator.
    """
    for text in texts.values():
        header = text.split("\n", 1)[0]
        if ";" in header:
            return ";"
        if "," in header:
            return ","
    return ";"


def _table(label: str, entity: str, text: str, separator: str) -> DecidimTable:
    if not text.strip():  # an empty component: Decidim writes a single "\n"
        return DecidimTable(entity, (), ())
    budget = Budget(label)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    # A guard quote is rare: when the whole text holds none, no row is looked at for one.
    guarded = "'" in text and _GUARD_ANYWHERE.search(text) is not None
    # The cells' text is never longer than the file's: the total counted only when that
    # could pass the limit.
    count_text = len(text) > MAX_TEXT_CHARS
    try:
        header = tuple(h.strip() for h in next(reader))
        rows: list[dict[str, str]] = []
        for number, cells in enumerate(reader, start=2):
            budget.row(len(cells), number)
            longest = max(map(len, cells), default=0)
            if count_text or longest > MAX_CELL_CHARS:
                budget.texts(longest, sum(map(len, cells)))
            row = dict(filter(_FILLED, zip(header, cells, strict=False)))  # empty cells out
            # One scan of the row for a guard quote opening a cell, then cell by cell.
            if guarded and "\x1f'" in "\x1f" + "\x1f".join(cells):
                row = {h: restore_guarded(c) for h, c in row.items()}
            rows.append(row)
    except csv.Error as exc:
        raise Damaged(name=label) from exc
    if not header or header == ("",):
        raise EmptyFile(name=label)
    return DecidimTable(entity, header, tuple(rows))


def _release(tables: dict[str, DecidimTable], readme: bool) -> str:
    if readme:
        return "0.30"
    meetings = tables.get("meetings")
    proposals = tables.get("proposals")
    if (meetings and "withdrawn" in meetings.header) or (proposals and "votes" in proposals.header):
        return "0.29"
    if proposals and ("answered_at" in proposals.header or "author/id" in proposals.header):
        return "0.28"
    if meetings and any(r.get("start_time", "").endswith(" UTC") for r in meetings.rows[:20]):
        return "0.28"
    return "0.27"
