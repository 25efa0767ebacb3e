"""An innovation goal with no adoption or diffusion milestone.

Guidance ¶61: with few innovation metrics, innovation goals "could be linked to
specific milestones or achievements relating to innovations in service delivery or
management": putting new inventions into practice, "adopting changes already proven
elsewhere or spreading proven changes within an organisation or to other providers".

A goal in the ``innovation`` domain passes when at least one of its indicators has
in-year ``milestones`` and the goal says what is adopted or spread: one of the words
*adopt*, *adoption*, *spread*, *diffusion*, *roll out*, *roll-out*, *implement*,
*introduce* or *share* (and their forms) appears in the goal's name or description, or
in an indicator's name, description, rationale or milestone descriptions. The finding
is at the goal.
"""

import re

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W411"
TITLE = "Innovation goal with no adoption or diffusion milestone"
SOURCE = "guidance ¶61"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
# Goal 4 (innovation) as in the worked example: milestones through the year, and
# its indicator's rationale says what is adopted.
goals[3].indicators[0].rationale: Adoption and diffusion of an innovation already proven at a neighbouring trust (guidance ¶61).
"""
FAILING = """
goals[3].description: Buy real-time patient feedback devices.     # W411 at goal 4:
goals[3].indicators[0]:                                           # nothing says what is adopted or spread
  name: Real-time feedback devices
  description: Real-time feedback devices bought for inpatient wards.
  rationale: Patients' comments reach the ward while they are still in hospital.
  milestones:
    - {month: 6, description: Devices on the pilot wards}
    - {month: 9, description: Devices on half of all inpatient wards}
    - {month: 12, description: Devices on every inpatient ward}
"""

ADOPTION_WORDS = re.compile(
    r"\b(adopt\w*|spread\w*|diffus\w*|roll(?:ed|ing)?[- ]?out|implement\w*|introduc\w*|shar(?:e|es|ed|ing))\b", re.IGNORECASE
)


def _text(goal) -> str:
    parts = [goal.name, goal.description]
    for i in goal.indicators:
        parts += [i.name, i.description, i.rationale, *(m.description for m in i.milestones)]
    return "\n".join(parts)


def check(scheme):
    for goal in scheme.goals:
        if goal.domain != "innovation":
            continue
        has_milestones = any(i.milestones for i in goal.indicators)
        if has_milestones and ADOPTION_WORDS.search(_text(goal)):
            continue
        why = "has no in-year milestones" if not has_milestones else "does not say what is adopted or spread"
        yield Finding(
            CODE,
            f"innovation goal {goal.number} ({goal.name}) {why}; link innovation to milestones for adopting proven changes "
            "or spreading them within the organisation or to other providers (guidance ¶61)",
            goal.path + ("number",),
        )
