"""The briefing for the mayor's office: sections, figures, rights, language, PDF and HTML."""

from __future__ import annotations

import collections
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from engagement.analysis.brokerage import ROLES, BrokerageRole
from engagement.cli import main
from engagement.i18n import grouped, t
from engagement.model import AssessmentInput, Principal
from engagement.services import readcache
from engagement.services.access import users
from engagement.services.exchange import briefing, demo
from engagement.services.exchange.briefing_export import build_briefing, charts
from engagement.services.registry import actors, assessments, programs
from engagement.services.view import program_view
from engagement.storage import migrate
from engagement.storage.db import Database, make_engine
from engagement.values import CommitmentStatus, InputResponse
from tests.support.databases import private_pg_database
from tests.support.reads import read_all

ADMIN = Principal("ana")
ANTIGUA = "Impulso Local — Antigua Guatemala 2024"
CITIZENS = ("María Elena Xocop", "Andrés Sotz Pérez", "Lucía Ajcalón Batz")
#: Codes that are also plain English words (and may appear as such in English text).
ENGLISH_WORDS = {
    "open", "done", "accepted", "rejected", "dropped", "referred", "monitor", "lead",
    "coordinator", "gatekeeper", "liaison", "itinerant", "media", "representative",
    "academia", "citizen", "design", "implementation",
}  # fmt: skip
SECTIONS_ES = [
    "De un vistazo", "La coalición", "Actores clave por ganar", "La red", "Movimiento",
    "Lo que escuchamos y lo que decidimos", "Compromisos",
    "Riesgos y decisiones para el despacho", "Anexo",
]  # fmt: skip


def pdf_text(data: bytes) -> str:
    """Every page's text, soft hyphens and hyphenation breaks undone, spaces collapsed."""
    return " ".join(page_texts(data))


def page_texts(data: bytes) -> list[str]:
    """Each page's text, normalised as :func:`pdf_text` does."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    raw = [page.extract_text() for page in reader.pages]
    raw = [r.replace("\u00ad\n", "").replace("\u00ad", "").replace("-\n", "-") for r in raw]
    return [re.sub(r"\s+", " ", r) for r in raw]


def run(db_url: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--database-url", db_url, *args], out=out)
    return code, out.getvalue()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The two demo programs, a lead, a viewer and a user with no role, on each backend
    (PostgreSQL: a database of the module's own, which other tests' emptying never
    touches)."""
    if request.param == "postgresql":
        for url in private_pg_database():
            yield _with_demo(url)
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('briefing') / 'demo.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield _with_demo(url)


def _with_demo(url: str) -> str:
    readcache.clear_cache()
    db = Database.from_url(url)
    demo.load_demos(db, ADMIN)
    program = programs.find_program(db, ANTIGUA)
    for name, role in (("lidia", "lead"), ("victor", "viewer"), ("nadia", None)):
        users.create_user(db, ADMIN, name, "una clave larga y segura 2024")
        if role:
            users.set_role(db, ADMIN, name, program.id, role)
    db.dispose()
    return url


@pytest.fixture(scope="module")
def demo_db(demo_url: str) -> Iterator[Database]:
    db = Database.from_url(demo_url)
    yield db
    db.dispose()


_BUILT: dict[tuple[str, ...], bytes] = {}


def briefing_pdf(db_url: str, *args: str) -> bytes:
    """The CLI's PDF for these arguments (built once per module run)."""
    key = (db_url, *args)
    if key not in _BUILT:
        out = Path(f"/tmp/tejido-briefing-{abs(hash(key))}.pdf")
        code, said = run(db_url, *args, "--output", str(out))
        assert code == 0, said
        _BUILT[key] = out.read_bytes()
        out.unlink()
    return _BUILT[key]


def test_sections_in_order_with_spanish_intact(demo_url: str) -> None:
    text = pdf_text(briefing_pdf(demo_url, "briefing", "--program", ANTIGUA, "--today",
                                 "2024-12-13"))  # fmt: skip
    positions = [text.find(f"{n}. {title}") for n, title in enumerate(SECTIONS_ES, start=1)]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    assert text.index("Informe para el despacho municipal") < positions[0]  # the cover first
    for word in ("Alcaldía Municipal de La Antigua Guatemala", "«", "»", "Página 1 de", "ñ"):
        assert word in text
    assert "Modo presentación" not in text


def test_at_a_glance_equals_the_report_and_the_dashboard(demo_url: str, demo_db: Database) -> None:
    for stage in (None, "Co-diseño"):
        extra = ["--stage", stage] if stage else []
        code, out = run(demo_url, "report", "--program", ANTIGUA, *extra, "--format", "json")
        assert code == 0
        report = json.loads(out)
        program, stage_id, _ = briefing.find_scope(demo_db, ADMIN, ANTIGUA, stage, None)
        data = briefing.briefing_data(demo_db, ADMIN, program.id, stage_id=stage_id)
        figures = data.figures.as_dict()
        for key in ("activities", "citizens_involved", "organisations_participating",
                    "facilitators_active", "inputs_received", "inputs_answered",
                    "inputs_answered_share", "commitments"):  # fmt: skip
            assert figures[key] == report[key], key
        assert {c.title: c.status for c in data.checklist} == {
            t: s for t, s in zip(
                [c.title for c in data.checklist], report["ogp_checklist"].values(), strict=True
            )
        }  # fmt: skip
        args = ["briefing", "--program", ANTIGUA, *extra]
        text = pdf_text(briefing_pdf(demo_url, *args))
        assert f"Actividades realizadas {report['activities']}" in text
        people = grouped(report["citizens_involved"])
        assert f"Personas involucradas {people}" in text
        assert f"Aportes recibidos {report['inputs_received']}" in text
        assert f"Aportes con respuesta razonada {report['inputs_answered']}" in text


def test_key_players_are_named_with_advice_and_doors(demo_url: str, demo_db: Database) -> None:
    program = programs.find_program(demo_db, ANTIGUA)
    data = briefing.briefing_data(demo_db, ADMIN, program.id)
    assert data.key_players
    text = pdf_text(briefing_pdf(demo_url, "briefing", "--program", ANTIGUA))
    section = text[text.index("3. Actores clave por ganar") : text.index("4. La red")]
    for player in data.key_players:
        assert player.name in section
        assert player.advice
    doors = [d for player in data.key_players for d in player.doors]
    assert doors and all(d in section for d in doors)  # introduction paths, as sentences
    assert "Enfoque recomendado" in section and "Quién puede abrir la puerta" in section


def test_a_viewer_never_sees_restricted_actors(demo_url: str) -> None:
    lead = pdf_text(briefing_pdf(demo_url, "--user", "lidia", "briefing", "--program", ANTIGUA))
    viewer = pdf_text(briefing_pdf(demo_url, "--user", "victor", "briefing", "--program", ANTIGUA))
    assert all(name in lead for name in CITIZENS)
    assert not any(name in viewer for name in CITIZENS)
    assert "no incluye actores de acceso restringido" in viewer
    assert "@" not in viewer  # no e-mail address, for anyone
    code, out = run(demo_url, "--user", "nadia", "briefing", "--program", ANTIGUA,
                    "--output", "/tmp/tejido-nadia.pdf")  # fmt: skip
    assert code == 1 and "no tiene ningún rol en este programa" in out


def test_presentation_mode_shows_stand_ins(demo_url: str) -> None:
    text = pdf_text(
        briefing_pdf(demo_url, "--user", "lidia", "briefing", "--program", ANTIGUA,
                     "--presentation")
    )  # fmt: skip
    assert "Modo presentación" in text
    assert re.search(r"Persona \d+", text)
    assert not any(name in text for name in CITIZENS)


def test_no_internal_code_appears(demo_url: str, demo_db: Database) -> None:
    program = programs.find_program(demo_db, ANTIGUA)
    codes = {s.key for s in program.sectors} | {s.key for s in program.stages}
    codes |= (
        {t.key for t in program.tie_types}
        | set(CommitmentStatus.values())
        | set(InputResponse.values())
    )
    codes |= {"manage_closely", "keep_satisfied", "keep_informed", "monitor", "viewer", "lead"}
    codes |= {"coordinator", "gatekeeper", "liaison", "itinerant", "representative"}
    codes -= {"other", "multilateral"}  # words of the languages themselves
    for lang in ("es", "en"):
        text = pdf_text(briefing_pdf(demo_url, "briefing", "--program", ANTIGUA, "--lang", lang))
        found = {c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)}
        if lang == "en":  # plain English words that are also codes
            found -= ENGLISH_WORDS
        assert not found, (lang, found)
        keys = re.findall(r"\b[a-z_]+\.[a-z_]+\.[a-z_.]+\b", text)  # catalog keys
        assert not keys, (lang, keys)
    english = pdf_text(briefing_pdf(demo_url, "briefing", "--program", ANTIGUA, "--lang", "en"))
    assert "1. At a glance" in english and "Page 1 of" in english


def test_pdf_is_tagged_titled_in_its_language_with_embedded_fonts(demo_url: str) -> None:
    data = briefing_pdf(demo_url, "briefing", "--program", ANTIGUA)
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata is not None and ANTIGUA in (reader.metadata.title or "")
    fonts = set()
    images = 0
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descendant = font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]))
        for xobject in resources.get("/XObject", {}).values():
            images += xobject.get_object().get("/Subtype") == "/Image"
    assert any("DejaVuSans" in f for f in fonts)
    assert images == 0  # charts are vectors
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    letter = pypdf.PdfReader(
        io.BytesIO(briefing_pdf(demo_url, "briefing", "--program", ANTIGUA, "--paper", "letter"))
    )
    box = letter.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    pages = len(reader.pages)
    assert f"Página {pages} de {pages}" in pdf_text(data)


def test_every_spanish_character_survives(db: Database, db_url: str) -> None:
    name = "Gobierno Abierto ¿Qué? ¡Sí! «Pingüino» áéíóú ÁÉÍÓÚ ñÑ"
    program = programs.create_program(db, ADMIN, name)
    actors.add_actor(db, ADMIN, program.id, {"name": "Señora Ibáñez «la güera»"})
    _, data, mime = build_briefing(db, ADMIN, program.id)
    assert mime == "application/pdf"
    text = pdf_text(data)
    assert name in text
    # an empty program: a short briefing that says what is missing
    assert "Falta: actores evaluados" in text and "4. La red" not in text
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) <= 4


def test_html_is_one_self_contained_printable_page(demo_url: str, demo_db: Database) -> None:
    program = programs.find_program(demo_db, ANTIGUA)
    viewer = users.principal(users.get_user(demo_db, "victor"))
    name, data, mime = build_briefing(demo_db, viewer, program.id, fmt="html", lang="en")
    page = data.decode("utf-8")
    assert mime == "text/html" and name.endswith(".html")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert not re.search(r"url\(\s*['\"]?(?!#)", page) and "@import" not in page
    # the only addresses are XML namespace names, which are never fetched
    assert not re.findall(r'(?<!xmlns=")(?<!xmlns:xlink=")https?://', page), re.findall(
        r".{30}https?://.{20}", page
    )
    assert "@media print" in page and "counter(pages)" in page
    assert page.count("<svg") == 2
    assert not any(n in page for n in CITIZENS)
    for title in ("At a glance", "Key players still to win", "Annex"):
        assert f"<h1>{title}</h1>" in page


def test_bad_input_gives_a_clear_message_and_a_non_zero_exit(demo_url: str) -> None:
    cases = [
        (["--program", "No existe"], "No existe"),
        (["--program", ANTIGUA, "--stage", "Etapa rara"], "Etapa rara"),
        (["--program", ANTIGUA, "--snapshot", "Foto rara"], "Foto rara"),
        (["--program", ANTIGUA, "--lang", "fr"], "Idioma desconocido «fr»"),
        (["--program", ANTIGUA, "--format", "docx"], "Formato desconocido «docx»"),
    ]
    for args, said in cases:
        code, out = run(demo_url, "--lang", "es", "briefing", *args, "--output", "/tmp/x.pdf")
        assert code != 0 and said in out, (args, out)


def test_a_snapshot_and_a_stage_set_the_scope(demo_url: str, demo_db: Database) -> None:
    program = programs.find_program(demo_db, ANTIGUA)
    taken = read_all(demo_db, program.id).snapshots()
    assert taken
    text = pdf_text(
        briefing_pdf(demo_url, "briefing", "--program", ANTIGUA, "--snapshot", taken[-1].name,
                     "--stage", "co_design")
    )  # fmt: skip
    assert "Coalición según la instantánea" in text and taken[-1].name in text
    assert "Co-diseño" in text and "Desde la instantánea hasta hoy" in text


def test_a_large_coalition_stays_short_and_legible(db: Database) -> None:
    """Eighty actors, thirty of them powerful and resisting: the grid is drawn crowded
    (counts and numbered circles, every number in the key), the risks name the most
    powerful fifteen and count the rest, and the short sections share a page."""
    program = programs.create_program(db, ADMIN, "Gran coalición")
    stage = program.stages[0].id
    rows = []
    for i in range(80):
        actor = actors.add_actor(db, ADMIN, program.id, {"name": f"Actor {i:03d}"})
        power, level = (5 if i < 10 else 4, 2) if i < 30 else (2, 3)
        rows.append(AssessmentInput(actor.id, stage, dt.date(2024, 2, 1), power, 3, level, 4, 3))
    assessments.record_assessments(db, ADMIN, program.id, rows)
    data = briefing.briefing_data(db, ADMIN, program.id)
    resisting = data.risks["resisting"]
    assert len(resisting) == briefing.MAX_RISKS
    assert list(resisting[:10]) == [f"Actor {i:03d}" for i in range(10)]  # power 5 first
    assert resisting[-1] == f"…y {30 - briefing.MAX_RISKS + 1} más: véalos en Tejido."
    _, pdf, _ = build_briefing(db, ADMIN, program.id)
    pages = page_texts(pdf)
    text = " ".join(pages)
    assert "Hay 80 actores evaluados en el mapa" in text and "círculos numerados" in text
    key = text[text.index("2.1. Clave de números del mapa") : text.index("2.2. Actores por")]
    assert all(f"Actor {i:03d}" in key for i in range(10))
    short = [p for p in pages if "5. Movimiento" in p]
    assert short and "6. Lo que escuchamos" in short[0] and "7. Compromisos" in short[0]


def test_a_crowded_grid_of_fewer_than_a_hundred_numbers_every_actor(db: Database) -> None:
    """Seventy actors, no cell fuller than its circles: too many names to write beside
    the points, so every actor is a numbered circle and every name is in the key."""
    program = programs.create_program(db, ADMIN, "Setenta")
    stage = program.stages[0].id
    rows = []
    for i in range(70):
        actor = actors.add_actor(db, ADMIN, program.id, {"name": f"Actor {i:03d}"})
        power, interest = 1 + i % 5, 1 + (i // 5) % 5
        rows.append(AssessmentInput(actor.id, stage, dt.date(2024, 2, 1), power, interest, 3, 4, 3))
    assessments.record_assessments(db, ADMIN, program.id, rows)
    _, pdf, _ = build_briefing(db, ADMIN, program.id)
    text = " ".join(page_texts(pdf))
    assert "cada actor aparece como un círculo numerado" in text
    assert "los 70 de más poder" not in text
    key = text[text.index("2.1. Clave de números del mapa") : text.index("2.2. Actores por")]
    assert all(f"Actor {i:03d}" in key for i in range(70))


def test_movement_says_who_moved_each_way_or_that_nobody_did(
    demo_url: str, demo_db: Database
) -> None:
    program = programs.find_program(demo_db, ANTIGUA)
    data = briefing.briefing_data(demo_db, ADMIN, program.id)
    text = pdf_text(briefing_pdf(demo_url, "briefing", "--program", ANTIGUA))
    section = text[text.index("5. Movimiento") : text.index("6. Lo que escuchamos")]
    assert data.toward and all(m.name in section for m in data.toward)
    assert "Se acercaron al apoyo" in section and "Se alejaron del apoyo" in section
    if data.away:
        assert all(m.name in section for m in data.away)
    else:
        assert "Nadie se alejó del apoyo." in section


def test_brokers_say_which_sectors_they_join_as_the_brokers_page_counts(
    demo_db: Database,
) -> None:
    program = programs.find_program(demo_db, ANTIGUA)
    data = briefing.briefing_data(demo_db, ADMIN, program.id)
    page = program_view(demo_db, ADMIN, program.id).brokers()
    sectors = {s.key: s.label("es") for s in program.sectors}
    assert data.brokers
    for line, row in zip(data.brokers, page.actors.to_dict("records"), strict=False):
        role = max(ROLES, key=lambda r: (row[r.value], -ROLES.index(r)))
        assert line.startswith(f"{row['name']} (") and f"Papel principal: {role_name(role)}" in line
        pairs = page.pairs[(page.pairs["id"] == row["id"]) & (page.pairs["role"] == role.value)]
        totals: collections.Counter[frozenset[str]] = collections.Counter()
        for x, y, n in zip(pairs["from_sector"], pairs["to_sector"], pairs["paths"], strict=True):
            totals[frozenset((sectors[x], sectors[y]))] += int(n)
        (top, _), *_ = totals.most_common(1)
        a, b = sorted(top) if len(top) == 2 else (next(iter(top)),) * 2
        assert (f"{a} con {b}" in line or f"{b} con {a}" in line) if a != b else a in line


def role_name(role: BrokerageRole) -> str:
    return {"liaison": "enlace", "gatekeeper": "portero", "representative": "representante",
            "coordinator": "coordinador", "itinerant": "itinerante"}[role.value]  # fmt: skip


def test_the_glossary_names_the_broker_roles_as_the_brokers_are_named() -> None:
    for lang in ("es", "en"):
        glossary = t("briefing.glossary.brokers", lang)
        for role in ROLES:
            assert t(f"analysis.column.{role.value}", lang).lower() in glossary, (lang, role)


def test_a_scope_with_nobody_assessed_says_so(demo_url: str, demo_db: Database) -> None:
    """Co-design as the April snapshot froze it: nobody assessed in that stage yet."""
    program = programs.find_program(demo_db, ANTIGUA)
    reader = program_view(demo_db, Principal("cli"), program.id)
    first = min(reader.snapshots(), key=lambda s: s.taken_at)
    args = ["briefing", "--program", ANTIGUA, "--stage", "Co-diseño", "--snapshot", first.name]
    text = pdf_text(briefing_pdf(demo_url, *args))
    coalition = text[text.index("2. La coalición") : text.index("4. La red")]
    assert "Todavía no hay actores con poder e interés evaluados en este alcance" in coalition
    assert "Sin actores evaluados en este alcance no se puede saber" in coalition
    assert "Todos los actores con poder alto ya apoyan" not in coalition
    assert "Apoyo, neutralidad y resistencia por sector" not in coalition  # no empty table
    day = f"{first.taken_at:%d/%m/%Y}"
    assert text.count(day) == text.count(first.name)  # the day once, not twice
    stage = next(s.id for s in program.stages if s.key == "co_design")
    data = briefing.briefing_data(demo_db, ADMIN, program.id, stage_id=stage, snapshot_id=first.id)
    _, network = charts(data)
    assert network is not None and "Gobierno municipal" in network.svg  # the map's legend
