"""What a briefing holds: plain values, already in the briefing's language.

Built by :func:`engagement.services.exchange.briefing.briefing_data`, drawn by
:mod:`engagement.io.briefing_typst` (PDF) and :mod:`engagement.io.briefing_html` (HTML).
Names are those the reader may see (stand-ins in presentation mode); no contact data
and, for readers who may not see them, no restricted actor is ever put here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from engagement.io.marks import ExportMark
from engagement.tracking import Figures

FORMATS = ("pdf", "html")
PAPERS = ("a4", "letter")
#: The colour of actors with no sector, on the grid and the map.
NO_SECTOR_COLOUR = "#BBBBBB"


@dataclass(frozen=True)
class GridPoint:
    id: int
    name: str
    sector: str
    colour: str
    power: int
    interest: int
    x: float
    y: float


@dataclass(frozen=True)
class KeyPlayer:
    name: str
    sector: str
    power: int
    interest: int
    engagement: str
    desired: str
    advice: tuple[str, ...]
    doors: tuple[str, ...]


@dataclass(frozen=True)
class MapNode:
    id: int
    name: str
    colour: str
    x: float
    y: float
    degree: float
    labelled: bool


@dataclass(frozen=True)
class Move:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class InputRow:
    received_on: dt.date
    source: str
    text: str
    response: str
    reasoning: str
    days_waiting: int | None


@dataclass(frozen=True)
class CommitmentRow:
    title: str
    responsible: str
    status: str
    progress: int
    milestones: int
    due_on: dt.date | None
    overdue: bool
    stalled: bool


@dataclass(frozen=True)
class Check:
    title: str
    status: str
    """green, amber or red."""
    status_name: str
    reason: str


@dataclass(frozen=True)
class Briefing:
    """Every section of the briefing, in the order it is printed."""

    lang: str
    title: str
    program: str
    municipality: str
    scope: str
    as_of: dt.date
    snapshot: str | None
    mark: ExportMark
    presentation: bool
    see_restricted: bool
    # at a glance: the dashboard's figures and the OGP checklist
    figures: Figures
    checklist: tuple[Check, ...]
    commitment_statuses: dict[str, str]
    # the coalition
    grid: tuple[GridPoint, ...]
    threshold: int
    quadrant_names: dict[str, str]
    quadrant_counts: dict[str, int]
    sector_stance: tuple[tuple[str, int, int, int, int], ...]
    sector_legend: dict[str, str]
    """Sector name -> colour, in the program's order (then actors with no sector)."""
    unassessed: int
    key_players: tuple[KeyPlayer, ...]
    key_players_more: int
    # the network
    nodes: tuple[MapNode, ...]
    edges: tuple[tuple[int, int, bool], ...]
    brokers: tuple[str, ...]
    # movement
    movement_since: str | None
    toward: tuple[Move, ...]
    away: tuple[Move, ...]
    # inputs and commitments
    answered: tuple[InputRow, ...]
    pending: tuple[InputRow, ...]
    commitments: tuple[CommitmentRow, ...]
    # risks
    risks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    response_limit: int = 0
    sources: tuple[str, ...] = ()
    empty: bool = False
    grid_total: int = 0
    """Actors on the grid, of whom the most powerful :data:`grid` are drawn."""
    grid_cells: tuple[tuple[int, int, int], ...] = ()
    """``(power, interest, actors)`` of every cell of the grid holding actors."""
    node_total: int = 0
    """Actors on the network, of whom the most connected :data:`nodes` are drawn."""
