"""The scaffold of a new scheme (``cquin new``), from the year's rulebook.

What the rulebook decides is written in (the year, the national rate, the default
payment arrangement, the four quality domains of guidance ¶33, each with one goal and
one indicator weighted equally so the weightings already sum to 100%). Everything the
parties must agree is a stub, ``"TODO: what belongs here"``: rule E111 reports each
stub at its line until it is filled in, so ``cquin validate`` on a scaffold is the
to-do list of the negotiation. The text is in the canonical layout of ``cquin fmt``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from cquin_cli.load.scheme import SECTOR_WORDS
from cquin_cli.money import format_percent

SECTORS = tuple(SECTOR_WORDS)
ROUTES = ("pct", "specialised_commissioning_group")

# One goal per domain (guidance ¶33): (domain, indicator number, what the domain covers).
_DOMAINS = (
    ("safety", "1.1", "safety"),
    ("effectiveness", "2.1", "effectiveness, including clinical and patient-reported outcomes"),
    ("patient_experience", "3.1", "patient experience, including timeliness"),
    ("innovation", "4.1", "innovation: adopting and spreading a proven practice (guidance ¶61)"),
)


class ScaffoldError(ValueError):
    """The scaffold cannot be made (a year the rulebook does not know, a bad option)."""


# The longest value `cquin new` takes for any option: ten times a long trust name.
MAX_VALUE_LENGTH = 200


def check_given(option: str, value: str) -> None:
    """Refuse a value given on the command line that holds a character no one can see, or is too long."""
    from cquin_cli.load.characters import character_words, first_invisible

    index = first_invisible(value)
    if index is not None:
        raise ScaffoldError(
            f"{option} holds {character_words(value[index])} at character {index + 1}; "
            "give the value without control or invisible formatting characters"
        )
    if len(value) > MAX_VALUE_LENGTH:
        raise ScaffoldError(f"{option} is {len(value)} characters long; a value is at most {MAX_VALUE_LENGTH} characters")


@dataclass(frozen=True, slots=True)
class NewScheme:
    provider: str
    year: str
    name: str | None = None
    sector: str | None = None
    foundation_trust: bool | None = None
    commissioners: tuple[str, ...] = ()
    route: str = "pct"
    schema_path: str | None = None  # for the yaml-language-server modeline


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _todo(what: str) -> str:
    return _q(f"TODO: {what}")


def scaffold(spec: NewScheme) -> str:
    """The YAML text of a new scheme for ``spec``; raises ScaffoldError for an unusable request."""
    from cquin_cli.rulebook import rulebook
    from cquin_cli.rulebook import year as rulebook_year

    for option, value in (
        ("--provider", spec.provider),
        ("--year", spec.year),
        ("--name", spec.name),
        ("--sector", spec.sector),
        ("--route", spec.route),
    ):
        if value is not None:
            check_given(option, value)
    for code in spec.commissioners:
        check_given("--commissioner", code)
    year = rulebook_year(spec.year)
    if year is None:
        raise ScaffoldError(
            f"the rulebook has no financial year {spec.year!r} (written like 2010/11); it knows " + ", ".join(rulebook())
        )
    if year.suspended:
        raise ScaffoldError(f"CQUIN was suspended in {spec.year} ({year.source('status')}); there is no scheme to write")
    if year.rate is None:
        raise ScaffoldError(f"the rulebook holds no national rate for {spec.year}")
    if spec.sector is not None and spec.sector not in SECTORS:
        raise ScaffoldError(f"unknown sector {spec.sector!r}; choose one of {', '.join(SECTORS)}")
    if spec.route not in ROUTES:
        raise ScaffoldError(f"unknown commissioning route {spec.route!r}; choose one of {', '.join(ROUTES)}")
    if not spec.provider.strip():
        raise ScaffoldError("give the provider's organisation code: --provider RXX")
    start = int(spec.year[:4])
    lines: list[str] = []
    add = lines.append
    if spec.schema_path:
        add(f"# yaml-language-server: $schema={spec.schema_path}")
        add("#")
    add(f"# A new CQUIN scheme for {spec.provider}, {spec.year}, scaffolded by `cquin new` from the rulebook.")
    add("# Every value starting with TODO is a stub: `cquin validate` lists each one, at its line,")
    add("# until it is filled in. Add goals and indicators as agreed; keep weightings summing to 100%.")
    add(f"financial_year: {spec.year}")
    add("provider:")
    add(f"  code: {_q(spec.provider)}")
    add(f"  name: {_q(spec.name) if spec.name else _todo('the provider' + chr(39) + 's name')}")
    add(f"  sector: {spec.sector or _todo(', '.join(SECTORS))}")
    if spec.foundation_trust is None:
        add(f"  foundation_trust: {_todo('true for an NHS foundation trust, else false (guidance ¶29)')}")
    else:
        add(f"  foundation_trust: {'true' if spec.foundation_trust else 'false'}")
    add(f"commissioning_route: {spec.route}")
    codes = list(spec.commissioners)
    only_one = len(codes) == 1
    add("coordinating_commissioner:")
    add(
        f"  code: {_q(codes[0]) if codes else _todo('the coordinating commissioner' + chr(39) + 's organisation code, e.g. 5N4')}"
    )
    add(f"  name: {_todo('the coordinating commissioner' + chr(39) + 's name')}")
    add(f"  share: {'100%' if only_one else _todo('its share of the contract, e.g. 70%')}")
    if len(codes) > 1:
        add("associates:")
        for code in codes[1:]:
            add(f"  - code: {_q(code)}")
            add(f"    name: {_todo('the name of associate ' + code)}")
            add(f"    share: {_todo('its share of the contract; all shares sum to 100%')}")
    add("contract_value:")
    add(f"  tariff_income: {_todo('tariff income including the Market Forces Factor, in pounds, e.g. 180000000.00')}")
    add(f"  non_tariff_income: {_todo('non-tariff income, in pounds')}")
    add(f"  excluded_income: {_todo('income not financed by the English NHS, in pounds (0.00 if none; guidance ¶40)')}")
    add(f"rate: {format_percent(year.rate)}   # the national rate for {spec.year} ({year.source('rate')})")
    add("scheme_kind: full_scheme")
    add(f"payment:   # the default arrangement ({year.source('on_account_share')}, {year.source('checkpoints')})")
    add(f"  on_account_share: {format_percent(year.on_account_share)}")
    add(f"  instalments: {int(year.get('instalments', 12))}")
    add(f"  checkpoints: [{', '.join(str(m) for m in year.checkpoints)}]")
    add("agreement:")
    add(f"  date: {_todo(f'the date the scheme was agreed, YYYY-MM-DD, by {start}-03-31 (guidance ¶49)')}")
    add("  signatories:")
    add(f"    - name: {_todo('who signed')}")
    add(f"      role: {_todo('their role, e.g. Medical Director')}")
    add(f"      organisation: {_todo('the organisation they signed for')}")
    add("      clinical_lead: true")
    add(f"equality: {_todo('how the scheme considers equality and the needs of different groups (guidance ¶69, ¶72)')}")
    add("goals:")
    weighting = format_percent(Decimal(100) / len(_DOMAINS))
    for goal_number, (domain, indicator_number, covers) in enumerate(_DOMAINS, start=1):
        add(f"  - number: {goal_number}")
        add(f"    name: {_todo(f'the name of the {domain.replace(chr(95), chr(32))} goal')}")
        add(f"    description: {_todo(f'what the goal aims at, in {covers}')}")
        add(f"    domain: {domain}")
        add(f"    weighting: {weighting}")
        add("    indicators:")
        add(f"      - number: {_q(indicator_number)}")
        for key, what in (
            ("name", "the indicator's name"),
            ("description", "what is measured"),
            ("numerator", "what is counted"),
            ("denominator", "out of what (not applicable for a milestone)"),
            ("rationale", "the quality problem it addresses and, for a process measure, its link to outcomes (guidance ¶56)"),
            ("data_source", "where the data come from"),
            ("collection_frequency", "how often the data are collected, e.g. monthly"),
            ("responsible_organisation", "who collects the data"),
            ("reporting_frequency", "how often it is reported to the commissioner"),
        ):
            add(f"        {key}: {_todo(what)}")
        add("        baseline:")
        add(f"          period: {_todo('the baseline period, e.g. ' + str(start - 1) + '/' + str(start)[-2:] + ' Q3')}")
        add(f"          value: {_todo('the baseline value, a number')}")
        add("        final:")
        add(f"          period: {_todo('the final indicator period, e.g. ' + spec.year + ' Q4')}")
        add(f"          value: {_todo('the value to reach by year end (the payment threshold), a number')}")
        add(f"        final_reporting_date: {_todo(f'YYYY-MM-DD, e.g. {start + 1}-04-30')}")
        add(f"        direction: {_todo('higher or lower: which is better')}")
        add("        partial_achievement:")
        add(f"          rule: {_todo('all_or_nothing, linear (add a floor), bands or milestone')}")
        add(f"        weighting: {weighting}")
        add(
            f"        kind: {_todo('process, outcome, patient_reported_outcome, patient_experience, data_quality or innovation_milestone')}"
        )
        add(f"        provenance: {_todo('national, regional or local (guidance ¶55, ¶57)')}")
    return "\n".join(lines) + "\n"
