"""The stakeholder frameworks Tejido implements, exactly as in the reference tables.

Power/interest grid (Mendelow), salience (Mitchell, Agle & Wood 1997), engagement levels
(stakeholder engagement assessment matrix) and participation levels (public participation
spectrum). Labels live in the catalog under ``quadrant.*``, ``salience.*``,
``engagement.*`` and ``participation.*``; this module holds only the logic.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

DEFAULT_THRESHOLD = 3
SCORE_MIN, SCORE_MAX = 1, 5


class EngagementLevel(IntEnum):
    """Ordinal engagement of an actor with the program."""

    UNAWARE = 1
    RESISTANT = 2
    NEUTRAL = 3
    SUPPORTIVE = 4
    LEADING = 5

    @property
    def key(self) -> str:
        return f"engagement.{self.name.lower()}"


class ParticipationLevel(IntEnum):
    """Public participation spectrum: Inform < Consult < Involve < Collaborate < Empower."""

    INFORM = 1
    CONSULT = 2
    INVOLVE = 3
    COLLABORATE = 4
    EMPOWER = 5

    @property
    def key(self) -> str:
        return f"participation.{self.name.lower()}"


#: Open-government co-creation is expected to reach at least this level.
CO_CREATION_MINIMUM = ParticipationLevel.INVOLVE


class Quadrant(StrEnum):
    KEEP_SATISFIED = "keep_satisfied"
    MANAGE_CLOSELY = "manage_closely"
    MONITOR = "monitor"
    KEEP_INFORMED = "keep_informed"

    @property
    def key(self) -> str:
        return f"quadrant.{self.value}"


def is_high(score: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """ "High" means at or above the program's threshold."""
    return score >= threshold


def quadrant(power: int, interest: int, threshold: int = DEFAULT_THRESHOLD) -> Quadrant:
    """Place an actor on the power/interest grid.

    Examples
    --------
    >>> quadrant(5, 5).value
    'manage_closely'
    >>> quadrant(3, 2).value
    'keep_satisfied'
    >>> quadrant(2, 3, threshold=3).value
    'keep_informed'
    """
    high_power, high_interest = is_high(power, threshold), is_high(interest, threshold)
    if high_power:
        return Quadrant.MANAGE_CLOSELY if high_interest else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if high_interest else Quadrant.MONITOR


class SalienceClass(StrEnum):
    DORMANT = "dormant"
    DISCRETIONARY = "discretionary"
    DEMANDING = "demanding"
    DOMINANT = "dominant"
    DANGEROUS = "dangerous"
    DEPENDENT = "dependent"
    DEFINITIVE = "definitive"
    NON_STAKEHOLDER = "non_stakeholder"

    @property
    def key(self) -> str:
        return f"salience.{self.value}"

    @property
    def group(self) -> str | None:
        """latent, expectant, definitive, or None for non-stakeholders."""
        return _SALIENCE_GROUP[self]


_SALIENCE: dict[tuple[bool, bool, bool], SalienceClass] = {
    (True, False, False): SalienceClass.DORMANT,
    (False, True, False): SalienceClass.DISCRETIONARY,
    (False, False, True): SalienceClass.DEMANDING,
    (True, True, False): SalienceClass.DOMINANT,
    (True, False, True): SalienceClass.DANGEROUS,
    (False, True, True): SalienceClass.DEPENDENT,
    (True, True, True): SalienceClass.DEFINITIVE,
    (False, False, False): SalienceClass.NON_STAKEHOLDER,
}

_SALIENCE_GROUP: dict[SalienceClass, str | None] = {
    SalienceClass.DORMANT: "latent",
    SalienceClass.DISCRETIONARY: "latent",
    SalienceClass.DEMANDING: "latent",
    SalienceClass.DOMINANT: "expectant",
    SalienceClass.DANGEROUS: "expectant",
    SalienceClass.DEPENDENT: "expectant",
    SalienceClass.DEFINITIVE: "definitive",
    SalienceClass.NON_STAKEHOLDER: None,
}


def salience(power: bool, legitimacy: bool, urgency: bool) -> SalienceClass:
    """Salience class from the three attributes present or absent.

    Power counts as present when the power score is high (see :func:`salience_of`).

    Examples
    --------
    >>> salience(True, True, False).value
    'dominant'
    >>> salience(False, True, True).value
    'dependent'
    """
    return _SALIENCE[(power, legitimacy, urgency)]


def salience_of(
    power_score: int, legitimacy: bool, urgency: bool, threshold: int = DEFAULT_THRESHOLD
) -> SalienceClass:
    """Salience class of an assessment: power is present when the score is high."""
    return salience(is_high(power_score, threshold), legitimacy, urgency)


def engagement_gap(current: int, desired: int) -> int:
    """Desired minus current engagement level; positive means effort is needed."""
    return desired - current


def is_risk(power: int, current: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """A high-power actor whose current engagement is Resistant is a risk."""
    return is_high(power, threshold) and current == EngagementLevel.RESISTANT
