"""`cquin report` on a generated portfolio: every figure checked against a direct computation.

The generator writes schemes in the worked example's shape with varied providers,
sectors, years, routes, commissioners, weightings, baselines and pathway tags. Contract
values are chosen so that every indicator's expected value is exact (pot x weighting /
100 in whole pence), so the test computes money without cquin's pricing code; every
other figure (counts, shares, medians, quartiles, stretch, requirements, ¶71 groups,
double payments, pathway groups) is computed here from the generator's own records.
"""

from __future__ import annotations

import json
import random
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

# --- the generator -----------------------------------------------------------------

RATES = {"2009/10": Decimal("0.5"), "2010/11": Decimal("1.5")}
DOMAINS = ("safety", "effectiveness", "patient_experience", "innovation")
MEASURED_KINDS = ("process", "outcome", "patient_reported_outcome", "patient_experience", "data_quality")
PROVENANCES = ("national", "regional", "local")


@dataclass
class GenIndicator:
    number: str
    name: str
    weighting: int
    kind: str
    provenance: str
    direction: str | None = None
    baseline: Decimal | None = None
    final: Decimal | None = None
    pathway: str | None = None
    national_indicator: str | None = None


@dataclass
class GenGoal:
    number: int
    domain: str
    weighting: int
    indicators: list[GenIndicator]


@dataclass
class GenScheme:
    file: str
    provider: str
    provider_name: str
    sector: str
    year: str
    route: str
    coordinating: tuple[str, str, int]
    associates: list[tuple[str, str, int]]
    tariff: int  # whole pounds
    non_tariff: int
    excluded: int
    goals: list[GenGoal]
    weighting_error: bool = False
    measurements: list[tuple[str, int, Decimal]] = field(default_factory=list)

    @property
    def base(self) -> Decimal:
        return Decimal(self.tariff + self.non_tariff - self.excluded)

    @property
    def pot(self) -> Decimal:
        return self.base * RATES[self.year] / 100

    @property
    def indicators(self) -> list[tuple[GenGoal, GenIndicator]]:
        return [(g, i) for g in self.goals for i in g.indicators]

    def value_of(self, indicator: GenIndicator) -> Decimal:
        total = sum(g.weighting for g in self.goals)
        return (self.pot * indicator.weighting / total).quantize(Decimal("0.01"))

    @property
    def scheme_id(self) -> str:
        return f"{self.provider}/{self.year.replace('/', '-')}/{self.route}"


def _split_weights(rng: random.Random, total: int, parts: int) -> list[int]:
    """``parts`` positive multiples of 5 summing to ``total``."""
    units = total // 5
    cuts = sorted(rng.sample(range(1, units), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, units]
    return [5 * (b - a) for a, b in zip(bounds, bounds[1:])]


def generate(seed: int, count: int = 9) -> list[GenScheme]:
    rng = random.Random(seed)
    providers = [
        ("RAA", "Avon Acute NHS Trust", "acute"),
        ("RBB", "Brook Community Services", "community"),
        ("RCC", "Chase Mental Health NHS Trust", "mental_health"),
        ("RDD", "Dale Ambulance Service NHS Trust", "ambulance"),
        ("REE", "Elm Specialist Hospital NHS Foundation Trust", "specialised"),
        ("RFF", "Fen Independent Hospital", "independent_sector"),
    ]
    commissioners = [("5AA", "Avon PCT"), ("5BB", "Brook PCT"), ("5CC", "Chase PCT")]
    schemes: list[GenScheme] = []
    keys: set[tuple[str, str, str]] = set()
    while len(schemes) < count:
        code, name, sector = rng.choice(providers)
        year = rng.choice(sorted(RATES))
        route = "pct"
        if (code, year, route) in keys:
            continue
        keys.add((code, year, route))
        schemes.append(_scheme(rng, len(schemes), code, name, sector, year, route, rng.choice(commissioners), commissioners))
    # A pathway across three providers of one year, the same tag in each scheme.
    year = schemes[0].year
    tagged = [s for s in schemes if s.year == year][:3]
    for s in tagged:
        s.goals[1].indicators[0].pathway = "dementia"
    # A specialised commissioning group scheme for the first provider, repeating one of
    # its PCT scheme's indicators by name (seed 002) and one by national indicator.
    first = schemes[0]
    scg = _scheme(
        rng,
        len(schemes),
        first.provider,
        first.provider_name,
        first.sector,
        first.year,
        "specialised_commissioning_group",
        ("SCG", "East Specialised Commissioning Group"),
        commissioners,
    )
    scg.coordinating = ("SCG", "East Specialised Commissioning Group", 100)
    scg.associates = []
    scg.goals[0].indicators[0].name = first.goals[0].indicators[0].name.upper() + "!"
    first.goals[2].indicators[0].national_indicator = "NI 999 shared measure"
    scg.goals[2].indicators[0].national_indicator = "ni 999 shared measure"
    schemes.append(scg)
    # One scheme whose weightings do not sum to 100% (E202): still reported.
    schemes[1].weighting_error = True
    schemes[1].goals[0].weighting += 5
    schemes[1].goals[0].indicators[0].weighting += 5
    # ...with a base that keeps every split exact at 105%: pot a multiple of £21.
    schemes[1].tariff, schemes[1].non_tariff, schemes[1].excluded = 4_200_000 * rng.randint(1, 90), 0, 0
    return schemes


def _scheme(rng, index, code, name, sector, year, route, coordinating, commissioners) -> GenScheme:
    goal_weights = _split_weights(rng, 100, 4)
    goals = []
    serial = 0
    for g, (domain, weight) in enumerate(zip(DOMAINS, goal_weights), start=1):
        count = 1 if weight < 10 else rng.choice((1, 2))
        indicators = []
        for k, w in enumerate(_split_weights(rng, weight, count), start=1):
            serial += 1
            number = f"{g}.{k}"
            if domain == "innovation":
                indicators.append(
                    GenIndicator(number, f"Innovation {index}-{serial}", w, "innovation_milestone", rng.choice(PROVENANCES))
                )
                continue
            direction = rng.choice(("higher", "lower"))
            baseline = Decimal(rng.randint(5, 80)) + Decimal(rng.randint(0, 9)) / 10
            step = Decimal(rng.randint(0, 30))
            if rng.random() < 0.1:
                step = -Decimal(rng.randint(1, 3))  # not stretching (W402)
            final = baseline + step if direction == "higher" else baseline - step
            if final <= 0:
                final = baseline + step
            indicators.append(
                GenIndicator(
                    number,
                    f"Measure {index}-{serial}",
                    w,
                    rng.choice(MEASURED_KINDS),
                    rng.choice(PROVENANCES),
                    direction,
                    baseline,
                    final,
                )
            )
        goals.append(GenGoal(g, domain, weight, indicators))
    others = [c for c in commissioners if c != coordinating]
    associate = rng.choice(others)
    coord_share = rng.choice((50, 60, 70, 80))
    # Base a multiple of £20,000 so that every indicator's value is whole pounds.
    tariff = rng.randint(5, 400) * 1_000_000
    non_tariff = rng.randint(0, 50) * 100_000
    excluded = rng.randint(0, 10) * 20_000
    return GenScheme(
        f"s{index:02d}-{code.lower()}-{year.replace('/', '-')}-{route[:3]}.yaml",
        code,
        name,
        sector,
        year,
        route,
        (coordinating[0], coordinating[1], coord_share),
        [(associate[0], associate[1], 100 - coord_share)],
        tariff,
        non_tariff,
        excluded,
        goals,
    )


def _q(text: object) -> str:
    return json.dumps(str(text))


def scheme_yaml(s: GenScheme) -> str:
    start = int(s.year[:4])
    lines = [
        f"financial_year: {s.year}",
        "provider:",
        f"  code: {s.provider}",
        f"  name: {_q(s.provider_name)}",
        f"  sector: {s.sector}",
        "  foundation_trust: false",
        f"commissioning_route: {s.route}",
        "coordinating_commissioner:",
        f"  code: {_q(s.coordinating[0])}",
        f"  name: {_q(s.coordinating[1])}",
        f"  share: {s.coordinating[2]}%",
        "associates:" if s.associates else "associates: []",
    ]
    for code, name, share in s.associates:
        lines += [f"  - code: {_q(code)}", f"    name: {_q(name)}", f"    share: {share}%"]
    lines += [
        "contract_value:",
        f'  tariff_income: "{s.tariff}.00"',
        f'  non_tariff_income: "{s.non_tariff}.00"',
        f'  excluded_income: "{s.excluded}.00"',
        f"rate: {RATES[s.year]}%",
        "scheme_kind: full_scheme",
        "agreement:",
        f"  date: {start}-03-15",
        "  signatories:",
        "    - {name: Dr A. Lead, role: Medical Director, organisation: Provider, clinical_lead: true}",
        "equality: Reported by age, sex and ethnicity.",
        "goals:",
    ]
    for g in s.goals:
        lines += [
            f"  - number: {g.number}",
            f"    name: Goal {g.number}",
            f"    description: Goal {g.number} of {s.provider}",
            f"    domain: {g.domain}",
            f"    weighting: {g.weighting}%",
            "    indicators:",
        ]
        for i in g.indicators:
            lines += [
                f'      - number: "{i.number}"',
                f"        name: {_q(i.name)}",
                f"        description: {_q(i.name + ' description')}",
                "        numerator: Patients counted",
                "        denominator: All patients",
                "        rationale: It matters to patients.",
                "        outcome_link: Known to improve outcomes.",
                "        data_source: Trust records",
                "        collection_frequency: monthly",
                "        responsible_organisation: The provider",
                "        reporting_frequency: quarterly",
                f"        final_reporting_date: {start + 1}-04-30",
                f"        weighting: {i.weighting}%",
                f"        kind: {i.kind}",
                f"        provenance: {i.provenance}",
            ]
            if i.kind == "innovation_milestone":
                lines += [
                    "        milestones:",
                    "          - {month: 6, description: Pilot running}",
                    "          - {month: 12, description: Adopted on every ward and shared with other providers}",
                    "        partial_achievement: {rule: milestone}",
                ]
            else:
                lines += [
                    f"        baseline: {{period: {start - 1}/{str(start)[2:]}, value: {i.baseline}}}",
                    f"        final: {{period: {s.year} Q4, value: {i.final}}}",
                    f"        direction: {i.direction}",
                    "        partial_achievement: {rule: all_or_nothing}",
                ]
            if i.pathway:
                lines.append(f"        pathway: {i.pathway}")
            if i.national_indicator:
                lines.append(f"        national_indicator: {_q(i.national_indicator)}")
    return "\n".join(lines) + "\n"


def write_portfolio(folder: Path, schemes: list[GenScheme]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for s in schemes:
        (folder / s.file).write_text(scheme_yaml(s), encoding="utf-8")
    return folder


# --- direct computations ------------------------------------------------------------


def two(value) -> str:
    """Half-up to two decimals, as the JSON report writes shares and stretch."""
    return (
        str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        if not isinstance(value, Fraction)
        else two_fraction(value)
    )


def two_fraction(value: Fraction) -> str:
    scaled = value * 100
    pence = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)  # half-up on magnitude
    sign = "-" if scaled < 0 and pence else ""
    return f"{sign}{pence // 100}.{pence % 100:02d}"


def share(part, whole) -> str:
    return two_fraction(Fraction(part) * 100 / Fraction(whole)) if whole else "0.00"


def stretch(i: GenIndicator) -> Fraction | None:
    if i.baseline is None or i.final is None or i.direction is None or i.baseline == 0:
        return None
    change = Fraction(i.final) - Fraction(i.baseline)
    if i.direction == "lower":
        change = -change
    return change * 100 / abs(Fraction(i.baseline))


def scheme_stretch(s: GenScheme) -> Fraction | None:
    values = [x for x in (stretch(i) for _, i in s.indicators) if x is not None]
    return sum(values) / len(values) if values else None


def penny(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- the tests ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    schemes = generate(seed=7)
    folder = write_portfolio(tmp_path_factory.mktemp("portfolio"), schemes)
    from conftest import run_cli

    result = run_cli("report", str(folder), "--format", "json")
    return schemes, folder, result


def test_generated_portfolio_is_reported_and_e202_gives_exit_1(generated):
    schemes, folder, result = generated
    assert result.exit_code == 1, result.stderr
    bad = next(s for s in schemes if s.weighting_error)
    assert f"{folder / bad.file}:" in result.stderr and " E202 " in result.stderr
    doc = json.loads(result.stdout)
    assert doc["schemes_count"] == len(schemes)
    assert doc["indicators_count"] == sum(len(s.indicators) for s in schemes)
    assert doc["expected_value"] == penny(sum(s.pot for s in schemes))
    assert [s["scheme_id"] for s in doc["schemes"]] == [
        s.scheme_id for s in sorted(schemes, key=lambda s: (s.year, s.provider, s.route))
    ]


def test_schemes_per_year_sector_route(generated):
    schemes, _, result = generated
    doc = json.loads(result.stdout)
    for key, attr in (("by_year", "year"), ("by_sector", "sector"), ("by_route", "route")):
        for row in doc[key]:
            count = sum(1 for s in schemes if getattr(s, attr) == row["key"])
            assert row["count"] == count, (key, row)
            assert row["share"] == share(count, len(schemes))
        assert sum(row["count"] for row in doc[key]) == len(schemes)


def test_indicators_per_scheme_and_domains_kinds_provenance(generated):
    schemes, _, result = generated
    doc = json.loads(result.stdout)
    counts = [len(s.indicators) for s in schemes]
    assert doc["indicators_per_scheme"] == {
        "min": two(min(counts)),
        "median": two(Decimal(str(statistics.median(counts)))),
        "max": two(max(counts)),
    }
    all_indicators = [(s, g, i) for s in schemes for g, i in s.indicators]
    total_money = sum(s.pot for s in schemes)
    for row in doc["domains"]:
        mine = [(s, i) for s, g, i in all_indicators if g.domain == row["domain"]]
        money = sum((s.value_of(i) for s, i in mine), Decimal(0))
        assert row["indicators"] == len(mine)
        assert row["indicator_share"] == share(len(mine), len(all_indicators))
        assert row["expected_value"] == penny(money)
        assert row["value_share"] == share(Fraction(money), Fraction(total_money))
    for key, attr in (("kinds", "kind"), ("provenance", "provenance")):
        for row in doc[key]:
            count = sum(1 for _, _, i in all_indicators if getattr(i, attr) == row["key"])
            assert row["count"] == count and row["share"] == share(count, len(all_indicators))


@pytest.mark.parametrize("threshold", [None, "150000.00", "1000000.00"])
def test_value_per_indicator_distribution(generated, cquin, threshold):
    schemes, folder, result = generated
    if threshold is not None:
        result = cquin("report", str(folder), "--format", "json", "--min-value", threshold)
    doc = json.loads(result.stdout)
    values = sorted(s.value_of(i) for s in schemes for _, i in s.indicators)
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    v = doc["value_per_indicator"]
    assert v["indicators"] == len(values)
    assert (v["min"], v["max"]) == (penny(values[0]), penny(values[-1]))
    assert (v["lower_quartile"], v["median"], v["upper_quartile"]) == tuple(penny(q) for q in quartiles)
    limit = Decimal(threshold or "10000.00")
    assert v["min_value"] == penny(limit)
    assert v["under_min_value"] == sum(1 for x in values if x < limit)


def test_stretch_per_indicator_and_per_scheme(generated):
    schemes, _, result = generated
    doc = json.loads(result.stdout)
    by_id = {s.scheme_id: s for s in schemes}
    for row in doc["indicators"]:
        indicator = next(i for _, i in by_id[row["scheme_id"]].indicators if i.number == row["number"])
        expected = stretch(indicator)
        assert row["stretch"] == (None if expected is None else two_fraction(expected)), row
        assert row["expected_value"] == penny(by_id[row["scheme_id"]].value_of(indicator))
    for row in doc["schemes"]:
        expected = scheme_stretch(by_id[row["scheme_id"]])
        assert row["stretch"] == (None if expected is None else two_fraction(expected))
    all_stretch = [x for s in schemes for _, i in s.indicators if (x := stretch(i)) is not None]
    st = doc["stretch"]
    assert st["with_stretch"] == len(all_stretch)
    assert st["without_stretch"] == sum(len(s.indicators) for s in schemes) - len(all_stretch)
    assert st["not_stretching"] == sum(1 for x in all_stretch if x <= 0)
    assert st["not_stretching"] > 0  # the generator makes some
    assert st["indicator_spread"]["min"] == two_fraction(min(all_stretch))
    assert st["indicator_spread"]["max"] == two_fraction(max(all_stretch))
    assert st["indicator_spread"]["median"] == two_fraction(Fraction(statistics.median(all_stretch)))


def test_framework_requirements_share(generated):
    schemes, _, result = generated
    doc = json.loads(result.stdout)
    reqs = {r["code"]: r for r in doc["framework_requirements"]}
    assert reqs["E202"]["schemes_meeting"] == len(schemes) - 1 and reqs["E202"]["schemes"] == len(schemes)
    assert reqs["E202"]["share"] == share(len(schemes) - 1, len(schemes))
    assert reqs["E204"]["schemes_meeting"] == len(schemes)
    design = {r["code"]: r for r in doc["design_requirements"]}
    assert doc["lint_available"] is True
    # W402 (target no better than baseline): schemes with an indicator that does not stretch.
    not_stretching = sum(1 for s in schemes if any((x := stretch(i)) is not None and x <= 0 for _, i in s.indicators))
    assert design["W402"]["schemes_meeting"] == len(schemes) - not_stretching
    # W414: the PCT and SCG schemes of the first provider both carry findings.
    assert design["W414"]["schemes_meeting"] == len(schemes) - 2


def test_equivalent_challenge_groups(generated):
    schemes, _, result = generated
    doc = json.loads(result.stdout)
    groups = {}
    for s in schemes:
        groups.setdefault((s.coordinating[0], s.year), {}).setdefault(s.provider, []).append(s)
    assert [(g["coordinating_commissioner"], g["financial_year"]) for g in doc["equivalent_challenge"]] == sorted(
        groups, key=lambda k: (k[1], k[0])
    )
    for g in doc["equivalent_challenge"]:
        providers = groups[(g["coordinating_commissioner"], g["financial_year"])]
        assert [p["provider"] for p in g["providers"]] == sorted(providers)
        means = {}
        for p in g["providers"]:
            stretches = [x for s in providers[p["provider"]] if (x := scheme_stretch(s)) is not None]
            means[p["provider"]] = sum(stretches) / len(stretches) if stretches else None
            assert p["stretch"] == (None if means[p["provider"]] is None else two_fraction(means[p["provider"]]))
        known = [m for m in means.values() if m is not None]
        assert g["spread"] == (two_fraction(max(known) - min(known)) if len(known) >= 2 else None)


def test_double_payment_and_pathway(generated):
    schemes, _, result = generated
    doc = json.loads(result.stdout)
    first, scg = schemes[0], schemes[-1]
    pairs = {(d["pct_indicator"], d["scg_indicator"], d["matched_by"]) for d in doc["double_payments"]}
    assert pairs == {
        (first.goals[0].indicators[0].number, scg.goals[0].indicators[0].number, "name"),
        (first.goals[2].indicators[0].number, scg.goals[2].indicators[0].number, "national indicator"),
    }
    d = next(d for d in doc["double_payments"] if d["matched_by"] == "name")
    assert d["pct_expected_value"] == penny(first.value_of(first.goals[0].indicators[0]))
    assert d["scg_expected_value"] == penny(scg.value_of(scg.goals[0].indicators[0]))
    (pathway,) = doc["pathways"]
    tagged = [s for s in schemes if any(i.pathway for _, i in s.indicators)]
    assert pathway["pathway"] == "dementia" and pathway["providers"] == len({s.provider for s in tagged}) == 3
    parts = {p["scheme_id"]: p for p in pathway["parts"]}
    assert set(parts) == {s.scheme_id for s in tagged}
    for s in tagged:
        mine = [i for _, i in s.indicators if i.pathway]
        assert parts[s.scheme_id]["indicators"] == [i.number for i in mine]
        assert parts[s.scheme_id]["expected_value"] == penny(sum(s.value_of(i) for i in mine))
    assert pathway["expected_value"] == penny(sum(s.value_of(i) for s in tagged for _, i in s.indicators if i.pathway))


def test_filters_select_schemes(generated, cquin):
    schemes, folder, _ = generated
    year = schemes[0].year
    doc = json.loads(cquin("report", str(folder), "--format", "json", "--year", year.replace("/", "-")).stdout)
    assert {s["scheme_id"] for s in doc["schemes"]} == {s.scheme_id for s in schemes if s.year == year}
    code = schemes[2].associates[0][0]
    doc = json.loads(cquin("report", str(folder), "--format", "json", "--commissioner", code.lower()).stdout)
    assert {s["scheme_id"] for s in doc["schemes"]} == {
        s.scheme_id for s in schemes if code in {s.coordinating[0], *(a[0] for a in s.associates)}
    }
    doc = json.loads(cquin("report", str(folder), "--format", "json", "--provider", schemes[0].provider).stdout)
    assert {s["scheme_id"] for s in doc["schemes"]} == {s.scheme_id for s in schemes if s.provider == schemes[0].provider}
    assert doc["filters"]["providers"] == [schemes[0].provider]


def test_other_seeds_give_the_same_figures_as_direct_computation(tmp_path, cquin):
    for seed in (1, 2):
        schemes = generate(seed, count=6)
        folder = write_portfolio(tmp_path / str(seed), schemes)
        doc = json.loads(cquin("report", str(folder), "--format", "json").stdout)
        assert doc["expected_value"] == penny(sum(s.pot for s in schemes))
        assert [r["expected_value"] for r in doc["schemes"]] == [
            penny(s.pot) for s in sorted(schemes, key=lambda s: (s.year, s.provider, s.route))
        ]
        values = sorted(s.value_of(i) for s in schemes for _, i in s.indicators)
        assert doc["value_per_indicator"]["median"] == penny(statistics.median(values))
