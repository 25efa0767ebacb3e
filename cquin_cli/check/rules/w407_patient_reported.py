"""No patient-reported outcome or patient-experience measure.

Guidance ¶17: "outcome measures should not focus only on clinical indicators, but also
include patient-reported measures, e.g. Patient Reported Outcome Measures and patient
experience indicators"; ¶33 places patient-reported outcomes in the effectiveness
domain and patient experience in its own. A scheme can have a patient experience
*goal* whose indicators are all process counts (for example, leaflets handed out);
this rule looks at what is measured.

Fires when no indicator has ``kind: patient_reported_outcome`` or
``kind: patient_experience``. The finding is at ``goals``. A scheme with no indicators
is not checked.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W407"
TITLE = "No patient-reported or patient-experience measure"
SOURCE = "guidance ¶17"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
goals[2].indicators[0]:          # X1, goal 3 (patient experience)
  name: Inpatient survey score
  kind: patient_experience
"""
FAILING = """
goals[2].indicators[0]:          # X1: now counts leaflets, not what patients say
  name: Discharge leaflets given
  kind: process                  # W407: no indicator measures what patients report
  outcome_link: Written discharge advice reduces readmission.
"""

PATIENT_MEASURES = ("patient_reported_outcome", "patient_experience")


def check(scheme):
    indicators = scheme.indicators
    if indicators and not any(i.kind in PATIENT_MEASURES for i in indicators):
        yield Finding(
            CODE,
            "no indicator measures what patients report (kind patient_reported_outcome or patient_experience); "
            "outcome measures should include patient-reported measures and patient experience (guidance ¶17)",
            ("goals",),
        )
