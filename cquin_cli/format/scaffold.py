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
import re
from dataclasses import dataclass
from decimal import Decimal

from cquin_cli.load.scheme import SECTOR_WORDS
from cquin_cli.money import format_percent, money_text
from cquin_cli.partial_achievement import written
from cquin_cli.rulebook.national import required

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

    from cquin_cli.rulebook import Year

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


# What belongs in each text field of an indicator, as its stub says it: the one wording,
# for `cquin new`'s scaffold and for what `cquin import` could not read.
INDICATOR_TEXT_STUBS = {
    "name": "the indicator's name",
    "description": "what is measured",
    "numerator": "what is counted",
    "denominator": "out of what (not applicable for a milestone)",
    "rationale": "the quality problem it addresses and, for a process measure, its link to outcomes (guidance ¶56)",
    "data_source": "where the data come from",
    "collection_frequency": "how often the data are collected, e.g. monthly",
    "responsible_organisation": "who collects the data",
    "reporting_frequency": "how often it is reported to the commissioner",
}
# The choices the format offers, as a stub lists them.
KIND_STUB = "process, outcome, patient_reported_outcome, patient_experience, data_quality or innovation_milestone"
PROVENANCE_STUB = "national, regional or local (guidance ¶55, ¶57)"
RULE_STUB = "all_or_nothing, linear (add a floor), bands or milestone"
DIRECTION_STUB = "higher or lower: which is better"


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _todo(what: str) -> str:
    return _q(f"TODO: {what}")


def rulebook_year_of(name: str) -> tuple[Year, Decimal]:
    """The rulebook's entry for financial year ``name`` and its national rate, or ScaffoldError
    when there is no scheme to write for it."""
    year = scheme_year_of(name)
    rate = year.rate
    if rate is None:
        raise ScaffoldError(
            f"cquin's rulebook holds no confirmed national rate for {name}; write the scheme by hand with its "
            "`rate` and `rate_source`, or `cquin rules --year` to see what the rulebook holds"
        )
    return year, rate


def scheme_year_of(name: str) -> Year:
    """The rulebook's entry for financial year ``name``, or ScaffoldError when CQUIN did not run in it."""
    from cquin_cli.rulebook import rulebook
    from cquin_cli.rulebook import year as rulebook_year

    year = rulebook_year(name)
    if year is None:
        raise ScaffoldError(
            f"the rulebook has no financial year {name!r} (written like 2010/11); it knows " + ", ".join(rulebook())
        )
    if year.suspended:
        raise ScaffoldError(f"CQUIN was suspended in {name} ({year.source('status')}); there is no scheme to write")
    if not year.in_force:
        raise ScaffoldError(
            f"the rulebook does not confirm that CQUIN ran in {name} ({year.get('status', 'no status')}: "
            f"{year.source('status') or 'no source'}); there is no scheme to write"
        )
    return year


def _payment_comment(year: Year) -> str:
    """ "# the default arrangement (guidance ¶65, guidance ¶66)": with the rulebook's sources, where it gives them;
    in a year paid in advance, that it is, with the year's source."""
    mode = year.payment_mode
    if mode.in_advance:
        return f"# {mode.words} ({year.source('payment_mode')})"
    sources = [s for s in (year.source("on_account_share"), year.source("checkpoints")) if s]
    return "# the default arrangement" + (f" ({', '.join(dict.fromkeys(sources))})" if sources else "")


def scaffold(spec: NewScheme) -> str:
    """The YAML text of a new scheme for ``spec``; raises ScaffoldError for an unusable request."""
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
    year, rate = rulebook_year_of(spec.year)
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
    add(f"rate: {format_percent(rate)}   # the national rate for {spec.year} ({year.source('rate')})")
    add("scheme_kind: full_scheme")
    add(f"payment:   {_payment_comment(year)}")
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
    # The year's required national goals (E225), by sector: the parties choose which stub implements each.
    by_goals: dict[tuple[str, ...], list[str]] = {}
    for sector in (spec.sector,) if spec.sector is not None else SECTORS:
        names = tuple(f"{entry.id} ({entry.name})" for entry in required(spec.year, sector))
        if names:
            by_goals.setdefault(names, []).append(SECTOR_WORDS[sector])
    for names, sectors in by_goals.items():
        add(f"# {spec.year} {', '.join(sectors)} schemes must include the national goals {', '.join(names)}:")
        add("# name each in an indicator's `national_indicator`")
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
        for key, what in INDICATOR_TEXT_STUBS.items():
            add(f"        {key}: {_todo(what)}")
        add("        baseline:")
        add(f"          period: {_todo('the baseline period, e.g. ' + str(start - 1) + '/' + str(start)[-2:] + ' Q3')}")
        add(f"          value: {_todo('the baseline value, a number')}")
        add("        final:")
        add(f"          period: {_todo('the final indicator period, e.g. ' + spec.year + ' Q4')}")
        add(f"          value: {_todo('the value to reach by year end (the payment threshold), a number')}")
        add(f"        final_reporting_date: {_todo(f'YYYY-MM-DD, e.g. {start + 1}-04-30')}")
        add(f"        direction: {_todo(DIRECTION_STUB)}")
        add("        partial_achievement:")
        add(f"          rule: {_todo(RULE_STUB)}")
        add(f"        weighting: {weighting}")
        add(f"        kind: {_todo(KIND_STUB)}")
        add(f"        provenance: {_todo(PROVENANCE_STUB)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# The achievement data of a scheme, for one month (``cquin new --achievement``).


def _comment(text: str) -> str:
    """Text a scheme holds, made safe to write in a YAML comment: on one line, every character visible.

    A line break in an indicator's name or a milestone's description (a block scalar
    keeps them) would end the comment and start YAML of its own; a control or invisible
    formatting character would hide what the line says. Runs of white space become one
    space; any other such character becomes U+FFFD.
    """
    from cquin_cli.load.characters import first_invisible

    words = " ".join(text.split())
    while (index := first_invisible(words)) is not None:
        words = words[:index] + "\ufffd" + words[index + 1 :]
    return words


def _due_words(indicator: Any, month: int, on_account: str) -> tuple[str, str | None]:
    """What ``indicator`` is judged on at ``month``, in words, and the stub to write (None: no value is due).

    The words follow the reconciliation (guidance ¶64-67): at an in-year milestone, a
    milestone with its own floor pays linearly, one without all-or-nothing; at month 12
    the final value under the indicator's own rule; with no target at the month the
    indicator is carried on account.
    """
    from cquin_cli.compute.reconciliation import threshold_at

    pa = indicator.partial_achievement
    if pa.rule.met_or_not:
        milestone = indicator.milestone_at(month)
        if milestone is None and month != 12:
            return f"no milestone at month {month}: carried on account at {on_account}", None
        what = milestone.description if milestone is not None else "the year-end milestone"
        return f"milestone: {what}", "true if the milestone was met, false if not"
    better = f"{indicator.direction or 'higher'} is better"
    threshold = threshold_at(indicator, month)
    if threshold is None:
        upcoming = sorted(m.month for m in indicator.milestones if m.month > month and m.target is not None)
        following = f"the month-{upcoming[0]} milestone" if upcoming else "the final value at month 12"
        return f"no target at month {month}: carried on account at {on_account}; next, {following}", None
    target, floor, _where = threshold
    if target is None:
        return "no final value in the scheme", None
    words = f"the final value is {written(target)}" if month == 12 else f"the month-{month} milestone is {written(target)}"
    if floor is not None:
        words += f", paid in proportion from floor {written(floor)}"
    elif month == 12 and pa.bands:
        words += ", paid by band from " + ", ".join(f"{written(b.start)} ({format_percent(b.fraction)})" for b in pa.bands)
    else:
        words += ", all or nothing"
    return f"{words}; {better}", "the value measured, a number"


def achievement_scaffold(scheme: Any, month: int, scheme_name: str, schema_path: str | None = None) -> str:
    """The YAML text of the achievement data of ``scheme`` for ``month``; raises ScaffoldError for a bad month.

    Every indicator is named with what it is judged on at the month. A value due then is
    a stub (E111 lists it); the forecast outturn base of an in-year checkpoint and the
    actual outturn at year end (footnote 13) are stubs too. A month that is not a
    checkpoint is a monitoring month: every indicator paid on targets gets a value stub,
    for ``cquin monitor``'s charts. The text is in the canonical layout of ``cquin fmt``.
    """
    from cquin_cli.compute.pricing import planned_base

    if not 1 <= month <= 12:
        raise ScaffoldError(f"--month {month}: months of the financial year run from 1 (April) to 12 (March)")
    checkpoints = tuple(scheme.payment.checkpoints)
    checkpoint = month in checkpoints
    on_account = format_percent(scheme.payment.on_account_share)
    when = f"month {month} (month 1 is April)"
    lines: list[str] = []
    add = lines.append
    if schema_path:
        add(f"# yaml-language-server: $schema={schema_path}")
        add("#")
    add(f"# Achievement data of {_comment(scheme_name)} ({_comment(scheme.title)}) for {when},")
    add("# scaffolded by `cquin new --achievement`. Every value starting with TODO is a stub:")
    add("# `cquin validate` lists each one, at its line, until it is filled in. Add later months'")
    add("# measurements below these; `cquin reconcile --record` adds each agreed adjustment.")
    add(f"financial_year: {scheme.financial_year}")
    add(f"provider: {_q(scheme.provider.code)}")
    add(f"commissioning_route: {scheme.commissioning_route}")
    if checkpoint:
        add("outturn:")
        if month == 12:
            add("  # The actual outturn contract base, required for the year-end reconciliation (footnote 13).")
            add(f"  actual: {_todo(f'the actual outturn base in pounds (planned: {money_text(planned_base(scheme))})')}")
        else:
            add(f"  # The forecast outturn contract base for the month-{month} reconciliation (footnote 13).")
            add("  forecast:")
            add(
                f"    - {{month: {month}, base: "
                f"{_todo(f'the forecast outturn base in pounds (planned: {money_text(planned_base(scheme))})')}}}"
            )
    else:
        listed = ", ".join(str(c) for c in checkpoints)
        add(f"# Month {month} is not a reconciliation checkpoint (months {listed}): these values are for monitoring.")
    add("measurements:")
    entries = 0
    for indicator in scheme.indicators:
        words, stub = _due_words(indicator, month, on_account)
        if stub is None and not checkpoint and not indicator.partial_achievement.rule.met_or_not:
            stub = "the value measured, a number"
        add(f"  # {_comment(f'{indicator.number} {indicator.name}: {words}')}")
        if stub is not None:
            key = "met" if indicator.partial_achievement.rule.met_or_not else "value"
            add(f"  - {{indicator: {_q(indicator.number)}, month: {month}, {key}: {_todo(stub)}}}")
            entries += 1
    if not entries:
        lines[lines.index("measurements:")] = "measurements: []"
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Next year's scheme from last year's (``cquin new --from``).


def _shift_date(text: str, years: int) -> str | None:
    """``2010-04-30`` moved on ``years`` years (29 February becomes the 28th); None when it is no date."""
    import datetime as _dt

    try:
        day = _dt.date.fromisoformat(text)
    except ValueError:
        return None
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:
        return day.replace(year=day.year + years, day=28).isoformat()


def roll_forward(
    raw: bytes,
    last: Any,
    year_name: str,
    last_name: str,
    schema_path: str | None = None,
    measured: dict[str, Decimal] | None = None,
) -> str:
    """Last year's scheme (its bytes, and its record ``last``) rolled forward to ``year_name``.

    The rulebook decides the year, the national rate, the default payment arrangement and
    the scheme kind the sector must have. Every goal and indicator is carried with its
    lineage (``continues: 2009/10 goal 3``, ``continues: 2009/10 indicator 3.1``); each
    indicator's final value (period and value) becomes its baseline, and ``measured``
    (last year's month-12 measurements, by indicator) is shown beside it. What must be
    agreed again is a stub naming last year's figure: the contract value, the final
    values, milestones and floors, the agreement (date and signatories, cleared). Comments
    and key order are kept; the text is laid out as ``cquin fmt`` lays it out.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from cquin_cli.format.layout import SCHEME, _roundtrip_load, format_bytes
    from cquin_cli.load.yaml_reader import decode, parse_yaml
    from cquin_cli.load.yaml_roundtrip import roundtrip_dump

    check_given("--year", year_name)
    year = scheme_year_of(year_name)
    if year.rate is None and not last.rate_source.strip():
        rulebook_year_of(year_name)  # no national rate, and none of the scheme's own to carry: say so
    before = last.financial_year
    shift = int(year_name[:4]) - int(before[:4])
    if shift <= 0:
        raise ScaffoldError(f"--year {year_name} is not after {last_name}'s year {before}; roll a scheme forward to a later year")
    measured = measured or {}

    def todo(what: str) -> Any:
        return DoubleQuotedScalarString(f"TODO: {what}")

    def was(value: Any) -> str:
        return f"{before}'s was {value}"

    source, error, _warnings = decode(raw)
    if source is None:
        raise ScaffoldError(f"{last_name}: {error.message if error else 'cannot be read as text'}")
    doc, _text = _roundtrip_load(source)
    doc["financial_year"] = year_name
    if year.rate is not None:
        doc["rate"] = format_percent(year.rate)
        doc.yaml_add_eol_comment(f"# the national rate for {year_name} ({year.source('rate')})", "rate")
        doc.pop("rate_reason", None)  # the rate is the year's national rate again
        doc.pop("rate_source", None)  # ... from the rulebook, with its source
    else:  # no source confirms the year's rate: last year's own rate is kept, its source to be given again (E111)
        doc["rate_source"] = todo(f"where the {year_name} rate is written; {was(last.rate_source.strip())}")
    if "base_kind" in doc:  # the base of the new year, or none where no source confirms one (E227)
        if year.base_kind:
            doc["base_kind"] = year.base_kind
            doc.yaml_add_eol_comment(f"# the base of {year_name} ({year.source('base_kind')})", "base_kind")
        else:
            doc.pop("base_kind")
    sector = last.provider.sector
    plan_sectors = year.get("quality_improvement_plan_sectors", [])
    if doc.get("scheme_kind") == "quality_improvement_plan" and sector not in plan_sectors:
        doc["scheme_kind"] = "full_scheme"
        doc.yaml_add_eol_comment(
            f"# a quality improvement plan is not allowed for a {sector.replace('_', ' ')} provider in {year_name} "
            f"({year.source('quality_improvement_plan_sectors')})",
            "scheme_kind",
        )
        doc.pop("quality_improvement_plan", None)

    cv = doc.get("contract_value")
    if isinstance(cv, dict):
        for key, words in (
            ("tariff_income", "tariff income including the Market Forces Factor, in pounds"),
            ("non_tariff_income", "non-tariff income, in pounds"),
            ("excluded_income", "income not financed by the English NHS, in pounds"),
        ):
            if key in cv:
                cv[key] = todo(f"{year_name} {words}; {was(cv[key])}")

    payment = CommentedMap()
    payment["on_account_share"] = format_percent(year.on_account_share)
    payment["instalments"] = int(year.get("instalments", 12))
    checkpoints = CommentedSeq(year.checkpoints)
    checkpoints.fa.set_flow_style()
    payment["checkpoints"] = checkpoints
    if "payment" in doc:
        doc["payment"] = payment
    else:
        doc.insert(list(doc).index("scheme_kind") + 1 if "scheme_kind" in doc else len(doc), "payment", payment)
    doc.yaml_add_eol_comment(_payment_comment(year), "payment")

    named = {i.national_indicator for i in last.indicators}
    national = [entry for entry in required(year_name, last.provider.sector) if entry.id not in named]
    if national and "goals" in doc:  # the year's required national goals (E225): the parties say which implements each
        doc.yaml_add_eol_comment(
            f"# {year_name} {SECTOR_WORDS.get(last.provider.sector, last.provider.sector)} schemes must include the national goals "
            + ", ".join(entry.id for entry in national)
            + ": name each in an indicator's `national_indicator`",
            "goals",
        )

    start = int(year_name[:4])
    signatory = CommentedMap()
    signatory["name"] = todo("who signed")
    signatory["role"] = todo("their role, e.g. Medical Director")
    signatory["organisation"] = todo("the organisation they signed for")
    signatory["clinical_lead"] = True
    agreement = CommentedMap()
    agreement["date"] = todo(f"the date the scheme was agreed, YYYY-MM-DD, by {start}-03-31 (guidance ¶49)")
    agreement["signatories"] = CommentedSeq([signatory])
    if "agreement" in doc:
        doc["agreement"] = agreement
    elif doc.get("scheme_kind") == "full_scheme":
        doc.insert(list(doc).index("payment") + 1, "agreement", agreement)

    sis = doc.get("separate_incentive_scheme")
    if isinstance(sis, dict):
        if "value" in sis:
            sis["value"] = todo(f"its value in {year_name}, in pounds; {was(sis['value'])}")
        for goal in sis.get("goals") or ():
            if isinstance(goal, dict) and "value" in goal:
                goal["value"] = todo(f"this goal's value in {year_name}, in pounds; {was(goal['value'])}")

    for goal in doc.get("goals") or ():
        goal.insert(1, "continues", f"{before} goal {goal['number']}")
        for indicator in goal.get("indicators") or ():
            number = str(indicator["number"])
            indicator.insert(1, "continues", f"{before} indicator {number}")
            _roll_indicator(indicator, number, before, year_name, shift, measured.get(number), todo, was)

    # a comment kept after a value that became a stub: two spaces before it, as after any value
    text = re.sub(r'(: "TODO: [^"\n]*") #', r"\1  #", roundtrip_dump(doc))
    lines = text.split("\n")
    at = 0
    if lines and lines[0].startswith("# yaml-language-server:"):
        # last year's modeline names the schema from where that file is: say it from the new one's place
        del lines[: 2 if len(lines) > 1 and lines[1].strip() == "#" else 1]
    if schema_path:
        lines[:0] = [f"# yaml-language-server: $schema={schema_path}", "#"]
        at = 2
    lines[at:at] = [
        f"# The {year_name} scheme, rolled forward from {_comment(last_name)} ({before}) by `cquin new --from`",
        "# with the rulebook's rate and payment terms. Every goal and indicator says which one it",
        "# continues; each final value became the baseline; what must be agreed again is a TODO stub",
        "# naming last year's figure: `cquin validate` lists each one, at its line, until it is filled in.",
        "#",
    ]
    formatted = format_bytes("\n".join(lines).encode("utf-8"), "rolled.yaml", kind=SCHEME)
    result = formatted.text if formatted.text is not None else "\n".join(lines)
    check = parse_yaml(result)
    if check.error is not None or not isinstance(check.value, dict) or check.value.get("financial_year") != year_name:
        raise ScaffoldError(f"{last_name} could not be rolled forward as written; please report this")  # pragma: no cover
    return result


def _roll_indicator(
    indicator: Any, number: str, before: str, year_name: str, shift: int, measured: Decimal | None, todo: Any, was: Any
) -> None:
    """One indicator's terms for the new year (see :func:`roll_forward`)."""
    from ruamel.yaml.comments import CommentedMap

    final = indicator.get("final")
    if isinstance(final, dict):
        baseline = CommentedMap()
        baseline.fa.set_flow_style()
        baseline["period"] = final.get("period")
        baseline["value"] = final.get("value")
        indicator["baseline"] = baseline
        note = f"# {before}'s final value" + (f"; measured at month 12: {written(measured)}" if measured is not None else "")
        indicator.yaml_add_eol_comment(note, "baseline")
        period = str(final.get("period", ""))
        new_final = CommentedMap()
        if isinstance(final, CommentedMap) and final.fa.flow_style():
            new_final.fa.set_flow_style()
        new_final["period"] = (
            period.replace(before, year_name) if before in period else todo(f"the final indicator period, e.g. {year_name} Q4")
        )
        new_final["value"] = todo(f"the value to reach by year end (the payment threshold); {was(final.get('value'))}")
        indicator["final"] = new_final
    reporting = indicator.get("final_reporting_date")
    if reporting is not None:
        shifted = _shift_date(str(reporting), shift)
        indicator["final_reporting_date"] = shifted or todo(f"YYYY-MM-DD; {was(reporting)}")
    for milestone in indicator.get("milestones") or ():
        month = milestone.get("month")
        for key, words in (
            ("target", f"the month-{month} milestone target"),
            ("floor", f"the month-{month} milestone floor"),
            ("description", f"what must be done by month {month}"),
        ):
            if key in milestone:
                milestone[key] = todo(f"{words}; {was(milestone[key])}")
    pa = indicator.get("partial_achievement")
    if isinstance(pa, dict):
        if "floor" in pa:
            pa["floor"] = todo(f"the floor below which nothing is paid; {was(pa['floor'])}")
        for band in pa.get("bands") or ():
            if "from" in band:
                band["from"] = todo(f"where this band starts; {was(band['from'])}")
