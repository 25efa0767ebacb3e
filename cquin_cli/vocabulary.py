"""The format's closed vocabularies, as enums: one home for each word a scheme may use.

Each is a :class:`~enum.StrEnum` whose values are the words a scheme file writes
(schemas/scheme.schema.json lists the same words; tests/test_vocabulary.py keeps the two
equal), so a record holds a member and still reads, prints and serialises as its word.
"""

from __future__ import annotations

from enum import StrEnum

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from decimal import Decimal


class Domain(StrEnum):
    """The four quality domains of a goal (guidance ¶29: safety, effectiveness, patient experience, innovation)."""

    SAFETY = "safety"
    EFFECTIVENESS = "effectiveness"
    PATIENT_EXPERIENCE = "patient_experience"
    INNOVATION = "innovation"

    @property
    def label(self) -> str:
        """As a heading says it: "Patient experience"."""
        return {"patient_experience": "Patient experience"}.get(self.value, self.value.capitalize())


class Direction(StrEnum):
    """Which way an indicator improves."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def words(self) -> str:
        return f"{self.value} is better"

    def meets(self, value: Decimal, target: Decimal) -> bool:
        """Whether ``value`` meets ``target``: >= when higher is better, <= when lower is better."""
        return value >= target if self is Direction.HIGHER else value <= target

    def better(self, a: Decimal, b: Decimal) -> bool:
        """Whether ``a`` is strictly better than ``b``."""
        return a > b if self is Direction.HIGHER else a < b


class Sector(StrEnum):
    """The provider's sector, in the format's order."""

    ACUTE = "acute"
    COMMUNITY = "community"
    MENTAL_HEALTH = "mental_health"
    AMBULANCE = "ambulance"
    SPECIALISED = "specialised"
    INDEPENDENT_SECTOR = "independent_sector"

    @property
    def words(self) -> str:
        """As a contract says it: "a mental health contract"."""
        return self.value.replace("_", " ")


class Route(StrEnum):
    """Who commissions the scheme: a PCT (with its associates) or a specialised commissioning group (seed 002)."""

    PCT = "pct"
    SPECIALISED_COMMISSIONING_GROUP = "specialised_commissioning_group"


class SchemeKind(StrEnum):
    """A full scheme of goals, or a quality improvement plan's money (guidance ¶45)."""

    FULL_SCHEME = "full_scheme"
    QUALITY_IMPROVEMENT_PLAN = "quality_improvement_plan"
