"""Table shaping of the registry pages: filters, labels and the quick-edit diff."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from engagement.model import ProgramInfo, Term
from engagement.palette import TOL_MUTED
from engagement.ui.registry.quick_edit import editable_rows, pending_edits
from engagement.ui.tables import (
    NO_SECTOR,
    ActorFilter,
    TieFilter,
    actor_rows,
    actor_ties,
    filter_actors,
    filter_ties,
    sector_chips,
    tag_options,
    territory_options,
    tie_label,
    tie_labels,
)

PROGRAM = ProgramInfo(
    id=1, name="P", municipality="", country="", description="", start_date=None,
    end_date=None, power_threshold=3, stale_days=45, illustrative=False, data_version=0,
    version=1,
    sectors=(
        Term(10, "municipal_government", "Gobierno municipal", "Municipal government"),
        Term(11, "academia", "Academia", "Academia"),
        Term(12, "iglesias", "Iglesias", "Churches"),
    ),
    tie_types=(
        Term(20, "collaborates", "Colabora con", "Collaborates with", directed=False),
        Term(21, "funds", "Financia a", "Funds"),
    ),
)  # fmt: skip


def _actors() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Asociación Vecinal", "Municipalidad", "Universidad"],
            "sector_id": [None, 10, 11],
            "description": ["Junta de la aldea", "Gobierno local", "Datos ABIERTOS"],
            "tags": [("agua", "Aldeas"), ("gobierno abierto",), ("aldeas",)],
            "territory": ["Aldea Norte", "Casco urbano", "casco  urbano"],
            "confidentiality": ["normal", "restricted", "normal"],
            "last_verified": [None, dt.date(2024, 1, 1), None],
            "website": ["", "", ""],
            "version": [1, 4, 2],
        }
    )


@pytest.mark.parametrize(
    ("wanted", "names"),
    [
        (ActorFilter(), ["Asociación Vecinal", "Municipalidad", "Universidad"]),
        (ActorFilter(search="ASOCIACION"), ["Asociación Vecinal"]),
        (ActorFilter(search="  datos abiertos "), ["Universidad"]),  # description
        (ActorFilter(search="agua"), []),  # tags are filtered, not searched
        (ActorFilter(sectors=(NO_SECTOR,)), ["Asociación Vecinal"]),
        (ActorFilter(sectors=(10, 11)), ["Municipalidad", "Universidad"]),
        (ActorFilter(tags=("ALDEAS",)), ["Asociación Vecinal", "Universidad"]),
        (ActorFilter(territories=("Casco Urbano",)), ["Municipalidad", "Universidad"]),
        (ActorFilter(search="uni", tags=("aldeas",)), ["Universidad"]),
    ],
)
def test_filter_actors(wanted: ActorFilter, names: list[str]) -> None:
    assert list(filter_actors(_actors(), wanted)["name"]) == names


def test_filter_options_are_unique_ignoring_case_and_spaces() -> None:
    assert tag_options(_actors()) == ["agua", "Aldeas", "gobierno abierto"]
    assert territory_options(_actors()) == ["Aldea Norte", "Casco urbano"]


def test_actor_rows_translate_and_show_current_engagement() -> None:
    history = pd.DataFrame(
        {"actor_id": [2, 2], "assessed_on": [dt.date(2024, 1, 1), dt.date(2024, 5, 1)],
         "engagement_current": [2, 4]}
    )  # fmt: skip
    rows = actor_rows(_actors(), history, PROGRAM, "en")
    assert rows["sector"].tolist() == [["No sector"], ["Municipal government"], ["Academia"]]
    assert rows["engagement"].tolist() == ["Not assessed", "Supportive", "Not assessed"]
    assert rows["assessed_on"].tolist()[1] == dt.date(2024, 5, 1)
    assert rows["confidentiality"].tolist()[1] == "Restricted"


def test_sector_chips_use_the_shared_palette() -> None:
    names, colours = sector_chips(PROGRAM, "es")
    assert names == ["Gobierno municipal", "Academia", "Iglesias", "Sin sector"]
    assert colours[:2] == [TOL_MUTED[0], TOL_MUTED[8]]
    assert len(set(colours)) == 4


def _ties() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "source_id": [1, 2, 3],
            "source": ["Asociación Vecinal", "Municipalidad", "Universidad"],
            "target_id": [2, 3, 2],
            "target": ["Municipalidad", "Universidad", "Municipalidad"],
            "tie_type_id": [20, 21, 21],
            "directed": [False, True, True],
            "negative": [False, False, False],
            "strength": [1, 3, 2],
            "valid_from": [None, dt.date(2024, 1, 1), None],
            "valid_to": [None, dt.date(2024, 6, 30), dt.date(2023, 12, 31)],
        }
    )


@pytest.mark.parametrize(
    ("wanted", "ids"),
    [
        (TieFilter(), [1, 2, 3]),
        (TieFilter(tie_types=(21,)), [2, 3]),
        (TieFilter(actors=(1,)), [1]),
        (TieFilter(actors=(3,)), [2, 3]),
        (TieFilter(strengths=(1, 2)), [1, 3]),
        (TieFilter(on_date=dt.date(2024, 3, 1)), [1, 2]),
        (TieFilter(on_date=dt.date(2024, 6, 30)), [1, 2]),
        (TieFilter(on_date=dt.date(2024, 7, 1)), [1]),
        (TieFilter(on_date=dt.date(2023, 1, 1)), [1, 3]),
    ],
)
def test_filter_ties(wanted: TieFilter, ids: list[int]) -> None:
    assert list(filter_ties(_ties(), wanted)["id"]) == ids


def test_ties_seen_from_one_actor() -> None:
    mine = actor_ties(_ties(), 2, PROGRAM, "es")
    assert mine["way"].tolist() == ["↔", "→", "←"]
    assert mine["other"].tolist() == ["Asociación Vecinal", "Universidad", "Universidad"]
    assert mine["tie_type"].tolist() == ["Colabora con", "Financia a", "Financia a"]
    assert tie_label(_ties().iloc[1], PROGRAM, "en") == "Municipalidad → Funds → Universidad"
    assert tie_labels(_ties(), PROGRAM, "es") == {
        1: "Asociación Vecinal ↔ Colabora con ↔ Municipalidad",
        2: "Municipalidad → Financia a → Universidad",
        3: "Universidad → Financia a → Municipalidad",
    }


def test_quick_edit_diff_lists_only_real_changes_in_the_users_words() -> None:
    snapshot = editable_rows(_actors(), PROGRAM, "es")
    edits = pending_edits(
        snapshot,
        {
            "0": {"name": "  Asociación   Vecinal  ", "sector": "Academia"},  # name unchanged
            "1": {"tags": ["gobierno abierto", "transparencia"], "confidentiality": "Normal"},
            "2": {"website": "", "territory": "casco  urbano"},  # typed back the same values
        },
        PROGRAM,
        "es",
    )
    assert [(e.actor_id, e.version, e.row) for e in edits] == [(1, 1, 1), (2, 4, 2)]
    assert edits[0].changes == {"sector_id": 11}
    assert edits[0].lines == ("Sector: Sin sector → Academia",)
    assert edits[1].changes == {
        "tags": ["gobierno abierto", "transparencia"],
        "confidentiality": "normal",
    }
    assert edits[1].lines == (
        "Etiquetas: gobierno abierto → gobierno abierto, transparencia",
        "Confidencialidad: Restringida → Normal",
    )


def test_quick_edit_diff_shows_emptied_cells() -> None:
    snapshot = editable_rows(_actors(), PROGRAM, "en")
    (edit,) = pending_edits(snapshot, {1: {"territory": None}}, PROGRAM, "en")
    assert edit.changes == {"territory": ""}
    assert edit.lines == ("Territory / zone: Casco urbano → (empty)",)
