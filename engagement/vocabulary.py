"""Built-in entries of a new program's editable lists.

Labels come from the catalog (``stage.<key>``, ``sector.<key>``, ``tie.<key>``) and are
copied into the program when it is created, so a team can rename them. Aliases let files
name an entry in other common ways ("Gobierno local" lands on municipal government).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuiltIn:
    key: str
    aliases: tuple[str, ...] = ()
    negative: bool = False
    directed: bool = True
    #: Activity types only: its activities are meetings of the multi-stakeholder forum.
    forum: bool = False


STAGES: tuple[BuiltIn, ...] = (
    BuiltIn("design", ("Diseno", "Design stage")),
    BuiltIn("co_design", ("Codiseño", "Co-diseño", "Codesign", "Co-design")),
    BuiltIn("implementation", ("Implementación", "Implementation", "Acompañamiento")),
)

SECTORS: tuple[BuiltIn, ...] = (
    BuiltIn(
        "municipal_government",
        (
            "Gobierno local",
            "Local government",
            "Municipalidad",
            "Municipality",
            "Alcaldía",
            "Ayuntamiento",
            "City government",
            "Gobierno municipal",
        ),
    ),
    BuiltIn(
        "national_government",
        (
            "Gobierno nacional",
            "Government agency",
            "Agencia de gobierno",
            "Gobierno estatal",
            "State government",
            "Gobierno federal",
            "Federal government",
        ),
    ),
    BuiltIn(
        "community_organisation",
        (
            "Organización comunitaria",
            "Community organization",
            "Junta vecinal",
            "COCODE",
            "Neighbours' group",
            "Neighbors group",
            "Grupo vecinal",
            "Community",
        ),
    ),
    BuiltIn(
        "civil_society",
        ("Sociedad civil", "Civil society", "ONG", "NGO", "CSO", "OSC"),
    ),
    BuiltIn("academia", ("Academia", "Universidad", "University", "Academic")),
    BuiltIn(
        "private_sector",
        ("Sector privado", "Private sector", "Empresa", "Business", "Company"),
    ),
    BuiltIn("media", ("Medios", "Media", "Prensa", "Press")),
    BuiltIn(
        "international_cooperation",
        (
            "Cooperación internacional",
            "International cooperation",
            "Embajada",
            "Embassy",
            "Donor",
            "Donante",
        ),
    ),
    BuiltIn(
        "multilateral",
        ("Multilateral", "UN agency", "Agencia ONU", "Naciones Unidas", "United Nations"),
    ),
    BuiltIn("citizen", ("Ciudadano", "Ciudadana", "Citizen", "Individual", "Persona")),
    BuiltIn("other", ("Otro", "Otra", "Other")),
)

TIE_TYPES: tuple[BuiltIn, ...] = (
    BuiltIn("collaborates", ("Colabora", "Collaboration", "Colaboración"), directed=False),
    BuiltIn("funds", ("Financia", "Funding", "Financiamiento")),
    BuiltIn("oversees", ("Supervisa", "Reports to", "Rinde cuentas a", "Oversight")),
    BuiltIn("influences", ("Influye", "Influence", "Influencia")),
    BuiltIn(
        "conflict",
        ("Conflicto", "Conflict", "En conflicto", "Opposes", "Se opone"),
        negative=True,
        directed=False,
    ),
    BuiltIn("informs", ("Informa", "Information", "Información")),
    BuiltIn("member_of", ("Miembro de", "Member", "Membership", "Es miembro de")),
)

ACTIVITY_TYPES: tuple[BuiltIn, ...] = (
    BuiltIn("workshop", ("Talleres", "Workshops")),
    BuiltIn(
        "citizen_forum",
        ("Foro", "Forum", "Foro multiactor", "Multi-stakeholder forum"),
        forum=True,
    ),
    BuiltIn(
        "mentoring_session", ("Mentoría", "Mentoring", "Llamada de mentoría", "Mentoring call")
    ),
    BuiltIn("strategy_session", ("Estrategia", "Strategy")),
    BuiltIn("meeting", ("Reunion", "Junta")),
    BuiltIn("training", ("Formación", "Curso", "Course")),
    BuiltIn("city_encounter", ("Encuentro", "Encuentro ciudadano", "City meeting")),
    BuiltIn("other", ("Otro",)),
)
