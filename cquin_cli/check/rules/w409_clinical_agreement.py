"""No evidence of clinical agreement.

Guidance ¶21: "local clinicians, their teams, support staff and practice based
commissioners will need to be involved in the development of CQUIN schemes". Seed 000:
trusts disputed region-wide indicators on which they had not been consulted, and one
SHA said it would not accept "any scheme where there isn't evidence to show it is
agreed by [clinicians from the provider and PCT]".

The evidence is the ``agreement`` record: a signatory with ``clinical_lead: true``.
With the option ``clinical_lead_from_both`` (default true) the scheme needs a clinical
lead signing for the provider *and* one signing for a commissioner, recognised by the
signatory's ``organisation`` being the provider's (or a commissioner's) name or code,
or the start of that name ("Doncaster Community Healthcare" for "Doncaster Community
Healthcare (provider arm of Doncaster PCT)"), compared without regard to case or spacing. The finding is at ``agreement`` (or at the
top of the scheme when there is no agreement record).
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W409"
TITLE = "No evidence of clinical agreement"
SOURCE = "guidance ¶21; seed 000"
SCOPE = SCHEME
LINT_ONLY = True
OPTIONS = {"clinical_lead_from_both": True}

PASSING = """
agreement.signatories:
  - {name: Dr A. Moss, role: Medical Director, organisation: Northfield Hospitals NHS Trust, clinical_lead: true}
  - {name: Ms J. Reed, role: Director of Quality, organisation: Northfield PCT, clinical_lead: true}
"""
FAILING = """
agreement.signatories:     # W409: no clinician signed for either side
  - {name: Mr P. Lane, role: Director of Finance, organisation: Northfield Hospitals NHS Trust}
"""


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same(organisation: str, name: str) -> bool:
    """The organisation signed for is this one: the same name or code, or the start of its name.

    "Doncaster Community Healthcare" signs for "Doncaster Community Healthcare (provider
    arm of Doncaster PCT)"; "Doncaster PCT" does not, because the name does not start with it.
    """
    organisation, name = _words(organisation), _words(name)
    if not organisation or not name:
        return False
    return organisation == name or name.startswith(organisation + " ") or organisation.startswith(name + " ")


def check(scheme, options=OPTIONS):
    agreement = scheme.agreement
    leads = [s for s in (agreement.signatories if agreement else ()) if s.clinical_lead]
    path = ("agreement",)
    if not leads:
        yield Finding(
            CODE,
            "no signatory of the agreement is a clinical lead (clinical_lead: true); record the clinicians who agreed the scheme (guidance ¶21; seed 000)",
            path,
        )
        return
    if not options["clinical_lead_from_both"]:
        return
    provider = (scheme.provider.name, scheme.provider.code)
    commissioners = [name for c in scheme.commissioners for name in (c.name, c.code)]
    missing = []
    if not any(_same(s.organisation, p) for s in leads for p in provider):
        missing.append(f"the provider ({scheme.provider.name})")
    if not any(_same(s.organisation, c) for s in leads for c in commissioners):
        missing.append("a commissioner")
    if missing:
        yield Finding(
            CODE,
            f"no clinical lead signed for {' or '.join(missing)}; a scheme should show it is agreed by clinicians of the provider "
            "and of the commissioners (guidance ¶21; seed 000)",
            path + ("signatories",),
        )
