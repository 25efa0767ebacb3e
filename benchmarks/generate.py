"""Generate a realistic national portfolio of CQUIN schemes for the benchmarks.

    python benchmarks/generate.py OUT_DIR COUNT [--seed N]

Each scheme is what a commissioner's contract manager would write: the full template
(every required field on every indicator, and every optional one - outcome link,
pathway, spans_years, equality, contractual requirement, notes - in every scheme, on as
many indicators as the scheme's line budget of 200-300 lines allows), four goals in the
four domains of guidance ¶33, 8 to 15 indicators with milestones and partial-achievement
rules, two to four commissioners: about 14 KB. A scheme of 14 or 15 indicators runs
past 300 lines (up to about 350), because its required fields alone need that much;
seed 4 gives 216-352 lines, mean 287. Every scheme has its own provider for its year and
route, so the whole portfolio validates clean (E203 would otherwise fire): the benchmark
measures the work of checking, not of reporting.

The output is deterministic for a seed: the same command writes the same bytes.
Schemes are spread over regional folders (``OUT_DIR/<region>/<provider>-<year>.yaml``)
as a regional authority keeps them. 337 is the size of the 2010/11 study (seed 004).
"""

from __future__ import annotations

import argparse
import os
import random
from decimal import Decimal

YEARS = {"2009/10": "0.5%", "2010/11": "1.5%"}
REGIONS = [
    "north-east",
    "north-west",
    "yorkshire",
    "east-midlands",
    "west-midlands",
    "east",
    "london",
    "south-east-coast",
    "south-central",
    "south-west",
]
TOWNS = [
    "Northfield",
    "Bramley",
    "Castleton",
    "Ashby",
    "Whitmore",
    "Dunholm",
    "Kestrel Vale",
    "Fenwick",
    "Harrowgate",
    "Lindley",
    "Marsden",
    "Oakham",
    "Pennington",
    "Redbourne",
    "Stanwick",
    "Thornbury",
    "Upton",
    "Westerby",
    "Yardley",
    "Eastcote",
]
# The national goals a scheme of that year and sector must include (rule E225), by domain:
# the first indicator of the goal in that domain names it.
NATIONAL_GOALS = {
    ("2010/11", "acute"): {"safety": "vte-risk-assessment", "patient_experience": "patient-personal-needs"},
}
SECTORS = ["acute", "community", "mental_health", "ambulance", "independent_sector"]
DOMAINS = ["safety", "effectiveness", "patient_experience", "innovation"]
TOPICS = {
    "safety": [
        (
            "VTE risk assessment",
            "adult inpatients assessed for the risk of venous thromboembolism on admission",
            "Adult admissions with a completed VTE risk assessment",
            "All adult admissions",
        ),
        (
            "Pressure ulcer prevention",
            "inpatients with a new grade 2-4 pressure ulcer acquired in hospital",
            "Inpatients with a new hospital-acquired grade 2-4 pressure ulcer",
            "All inpatient bed days / 1,000",
        ),
        (
            "Falls with harm",
            "inpatient falls resulting in moderate or severe harm",
            "Inpatient falls with moderate or severe harm",
            "All inpatient bed days / 1,000",
        ),
        (
            "Safer surgery checklist",
            "operations where the WHO surgical safety checklist was completed",
            "Operations with a completed checklist",
            "All operations",
        ),
        (
            "Medicines reconciliation",
            "admissions whose medicines were reconciled within 24 hours",
            "Admissions reconciled within 24 hours",
            "All admissions",
        ),
    ],
    "effectiveness": [
        (
            "Stroke patients scanned within 3 hours",
            "stroke patients who have a brain scan within three hours of arrival",
            "Stroke patients scanned within three hours of arrival",
            "All stroke patients admitted",
        ),
        (
            "Heart failure discharge bundle",
            "heart failure patients discharged with the full care bundle",
            "Heart failure discharges with the bundle",
            "All heart failure discharges",
        ),
        (
            "Hip fracture surgery within 36 hours",
            "hip fracture patients operated on within 36 hours of admission",
            "Hip fracture operations within 36 hours",
            "All hip fracture admissions",
        ),
        (
            "Smoking cessation referral",
            "smokers admitted who are referred to a stop-smoking service",
            "Smokers referred",
            "All admitted smokers",
        ),
    ],
    "patient_experience": [
        (
            "Inpatient survey score",
            "the composite score of the five personal-care questions of the national inpatient survey",
            "Sum of weighted responses to the five questions",
            "Number of respondents",
        ),
        (
            "Same-sex accommodation",
            "breaches of the same-sex accommodation standard",
            "Breaches of the standard",
            "All admissions / 1,000",
        ),
        (
            "Discharge information",
            "patients given written information about their medicines on discharge",
            "Patients given written information",
            "All discharges",
        ),
    ],
    "innovation": [
        (
            "Real-time feedback roll-out",
            "real-time feedback devices installed and reported on in every inpatient ward",
            "Wards reporting real-time feedback",
            "All inpatient wards",
        ),
        (
            "Telehealth for COPD",
            "COPD patients offered home telehealth monitoring after discharge",
            "COPD patients offered telehealth",
            "All COPD discharges",
        ),
        (
            "Electronic discharge summaries",
            "discharge summaries sent electronically to the GP within 24 hours",
            "Summaries sent electronically within 24 hours",
            "All discharges",
        ),
    ],
}
KINDS = {
    "safety": "process",
    "effectiveness": "outcome",
    "patient_experience": "patient_experience",
    "innovation": "innovation_milestone",
}
FREQUENCIES = ["monthly", "quarterly"]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def weightings(count: int) -> list[int]:
    """Whole-number indicator weightings summing to exactly 100."""
    base, extra = divmod(100, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def _letters(index: int) -> str:
    """A three-letter organisation-code suffix, distinct for every index below 17,576."""
    a, rest = divmod(index % 17576, 676)
    b, c = divmod(rest, 26)
    return "".join(chr(65 + x) for x in (a, b, c))


def _indicator(
    rng: random.Random,
    domain: str,
    g: int,
    number: int,
    weight: int,
    town: str,
    trust: str,
    year: str,
    start: int,
    spec: list[dict] | None = None,
) -> list[str]:
    name, measure, numerator, denominator = rng.choice(TOPICS[domain])
    milestone_rule = domain == "innovation"
    higher = "/ 1,000" not in denominator
    block = [
        f'      - number: "{g}.{number}"',
        f"        name: {name}",
        f"        description: Percentage of {measure}.",
        f"        numerator: {numerator}",
        f"        denominator: {denominator}",
        f"        rationale: {quoted(name + ' is a known gap at ' + town + '; closing it reduces avoidable harm and cost.')}",
        f"        data_source: {town} trust information system",
        f"        collection_frequency: {rng.choice(FREQUENCIES)}",
        f"        responsible_organisation: {trust}",
        f"        reporting_frequency: {rng.choice(FREQUENCIES)}",
    ]
    if milestone_rule:
        block += [
            f"        final_reporting_date: {start + 1}-04-30",
            "        milestones:",
            "          - {month: 6, description: Pilot on two wards; first monthly report to the board}",
            "          - {month: 12, description: Live on every ward; results shared with other providers}",
            "        partial_achievement: {rule: milestone}",
        ]
        if spec is not None:
            spec.append({"number": f"{g}.{number}", "rule": "milestone"})
    else:
        baseline = rng.randint(40, 70) if higher else rng.randint(8, 20)
        final = baseline + rng.randint(10, 25) if higher else max(1, baseline - rng.randint(3, 7))
        step = (final - baseline) / 3
        m6, m9 = baseline + int(step), baseline + int(2 * step)
        partial = f"{{rule: linear, floor: {baseline + 1}}}" if higher and rng.random() < 0.5 else "{rule: all_or_nothing}"
        block += [
            f"        baseline: {{period: {start - 1}/{str(start)[2:]} Q3, value: {baseline}}}",
            f"        final: {{period: {year} Q4, value: {final}}}",
            f"        final_reporting_date: {start + 1}-04-30",
            f"        direction: {'higher' if higher else 'lower'}",
            f"        milestones: [{{month: 6, target: {m6}}}, {{month: 9, target: {m9}}}]",
            f"        partial_achievement: {partial}",
        ]
        if spec is not None:
            spec.append({"number": f"{g}.{number}", "rule": "target", "higher": higher, "baseline": baseline, "final": final})
    block += [
        f"        weighting: {weight}%",
        f"        kind: {KINDS[domain]}",
        f"        provenance: {rng.choice(['national', 'regional', 'local'])}",
    ]
    return block


def scheme_text(rng: random.Random, index: int, year: str, spec: dict | None = None) -> str:
    """One scheme's YAML; ``spec`` (when given) is filled with what its achievement data needs."""
    town = rng.choice(TOWNS)
    sector = rng.choice(SECTORS)
    provider_code = f"R{index:05d}"
    start = int(year[:4])
    associates = rng.choice([1, 2, 2, 3])
    shares = [70, 20, 10] if associates == 2 else ([80, 20] if associates == 1 else [55, 20, 15, 10])
    tariff = Decimal(rng.randrange(40_000_000, 400_000_000)) + Decimal(rng.randrange(0, 100)) / 100
    non_tariff = Decimal(rng.randrange(1_000_000, 40_000_000)) + Decimal(rng.randrange(0, 100)) / 100
    excluded = Decimal(rng.randrange(0, 2_000_000)) + Decimal(rng.randrange(0, 100)) / 100
    trust = f"{town} {sector.replace('_', ' ').title()} Services NHS Trust {index}"
    indicators: list[dict] | None = None
    if spec is not None:
        indicators = []
        spec.update(provider=provider_code, year=year, base=tariff + non_tariff - excluded, indicators=indicators)
    indicator_count = rng.randint(8, 15)
    # At least one indicator per domain, the rest spread at random.
    per_domain = {d: 1 for d in DOMAINS}
    for _ in range(indicator_count - 4):
        per_domain[rng.choice(DOMAINS)] += 1
    weights = weightings(indicator_count)
    lines = [
        "# yaml-language-server: $schema=../../schemas/scheme.schema.json",
        f"# CQUIN scheme {year} for {town} {sector.replace('_', ' ')} services (benchmark portfolio, generated).",
        f"financial_year: {year}",
        "provider:",
        f"  code: {provider_code}",
        f"  name: {trust}",
        f"  sector: {sector}",
        f"  foundation_trust: {'true' if rng.random() < 0.4 else 'false'}",
        "commissioning_route: pct",
        "coordinating_commissioner:",
        f"  code: 5{_letters(index)}",
        f"  name: {town} PCT",
        f"  share: {shares[0]}%",
        "associates:",
    ]
    for a in range(associates):
        lines += [f"  - {{code: 6{_letters(index)}{a}, name: {rng.choice(TOWNS)} PCT {a + 1}, share: {shares[a + 1]}%}}"]
    lines += [
        "contract_value:",
        f'  tariff_income: "{tariff:.2f}"   # including the Market Forces Factor',
        f'  non_tariff_income: "{non_tariff:.2f}"',
        f'  excluded_income: "{excluded:.2f}"    # not financed by the English NHS',
        f"rate: {YEARS[year]}",
        "scheme_kind: full_scheme",
        "payment:",
        "  on_account_share: 90%",
        "  instalments: 12",
        "  checkpoints: [6, 9, 12]",
        "agreement:",
        f"  date: {start}-03-{rng.randint(1, 28):02d}",
        "  signatories:",
        f"    - {{name: Dr {rng.choice('ABCDEFGHJK')}. {rng.choice(TOWNS).split()[0]}, role: Medical Director, organisation: {trust}, clinical_lead: true}}",
        f"    - {{name: Ms {rng.choice('LMNPRST')}. {rng.choice(TOWNS).split()[0]}, role: Director of Quality, organisation: {town} PCT, clinical_lead: true}}",
        f"    - {{name: Mr {rng.choice('LMNPRST')}. {rng.choice(TOWNS).split()[0]}, role: Director of Finance, organisation: {trust}}}",
        "equality: >-",
        "  Each measure is reported by age, sex and ethnicity so that any group left behind",
        "  is seen at the quarterly clinical quality review.",
        "notes: Agreed at the annual contract round; reviewed monthly at the clinical quality review meeting.",
        "goals:",
    ]
    w = iter(weights)
    number = 0
    indicator_blocks: list[list[str]] = []
    goal_heads: list[list[str]] = []
    for g, domain in enumerate(DOMAINS, start=1):
        goal_weights = [next(w) for _ in range(per_domain[domain])]
        goal_heads.append(
            [
                f"  - number: {g}",
                f"    name: {domain.replace('_', ' ').capitalize()} for {town} patients",
                f"    description: Improve {domain.replace('_', ' ')} across the trust's services this year.",
                f"    domain: {domain}",
                f"    weighting: {sum(goal_weights)}%",
                "    indicators:",
            ]
        )
        blocks = []
        for weight in goal_weights:
            number += 1
            blocks.append(_indicator(rng, domain, g, number, weight, town, trust, year, start, indicators))
        national = NATIONAL_GOALS.get((year, sector), {}).get(domain)
        if national is not None and blocks:
            blocks[0].append(f"        national_indicator: {national}")
        indicator_blocks.append(blocks)
    # Optional template fields: every one appears in every scheme, and as many more
    # as fit the scheme's line budget (200-300 lines, about 14 KB).
    budget = rng.randint(200, 300)
    used = len(lines) + sum(len(h) for h in goal_heads) + sum(len(b) for blocks in indicator_blocks for b in blocks)
    flat = [b for blocks in indicator_blocks for b in blocks]
    optional = [
        f"        outcome_link: {quoted('Published evidence links this measure to better outcomes (guidance ¶17).')}",
        f"        pathway: {town.lower().replace(' ', '-')}-pathway",
        "        spans_years: false",
        "        equality: Reported by age, sex and ethnicity; gaps reviewed quarterly.",
        "        contractual_requirement: false",
        f"        notes: {quoted('Agreed at the ' + town + ' contract round; data validated by the trust information team.')}",
    ]
    for k, field in enumerate(optional):  # each once, on a different indicator
        flat[k % len(flat)].insert(-3, field)
        used += 1
    k = 0
    while used < budget and k < len(flat) * len(optional):
        block = flat[(k // len(optional) + 1) % len(flat)]
        field = optional[k % len(optional)]
        key = field.split(":")[0]
        if not any(line.startswith(key + ":") for line in block):
            block.insert(-3, field)
            used += 1
        k += 1
    for head, blocks in zip(goal_heads, indicator_blocks):
        lines += head
        for block in blocks:
            lines += block
    return "\n".join(lines) + "\n"


def _value(x: float, higher: bool) -> str:
    x = min(100.0, x) if higher else x
    return f"{max(0.0, round(x, 1)):g}"


def achievement_text(spec: dict, seed: int, index: int) -> str:
    """Achievement data for a generated scheme: 12 months of history and 12 in-year months.

    Each target indicator's baseline year wanders around its baseline value; this year it
    moves towards its final value, with noise, and in about one scheme in three it shifts
    part-way through the year (a special cause). Milestone indicators are met or not at
    months 6 and 12. A separate random generator (seeded from the seed and the scheme's
    index) so the schemes' own bytes do not change.
    """
    rng = random.Random(seed * 1_000_003 + index)
    base = spec["base"]
    lines = [
        "# yaml-language-server: $schema=../../schemas/achievement.schema.json",
        "# Achievement data (benchmark portfolio, generated): every month, and the baseline year.",
        f"financial_year: {spec['year']}",
        f"provider: {spec['provider']}",
        "commissioning_route: pct",
        "outturn:",
        "  forecast:",
        f'    - {{month: 6, base: "{base + Decimal(rng.randrange(-500_000, 500_000)):.2f}"}}',
        f'    - {{month: 9, base: "{base + Decimal(rng.randrange(-500_000, 500_000)):.2f}"}}',
        f'  actual: "{base + Decimal(rng.randrange(-500_000, 500_000)):.2f}"',
        "measurements:",
    ]
    history = ["history:"]
    for indicator in spec["indicators"]:
        number = indicator["number"]
        if indicator["rule"] == "milestone":
            for month in (6, 12):
                lines.append(f'  - {{indicator: "{number}", month: {month}, met: {"true" if rng.random() < 0.7 else "false"}}}')
            continue
        higher, baseline, final = indicator["higher"], indicator["baseline"], indicator["final"]
        noise = max(0.5, abs(final - baseline) / 8)
        for month in range(1, 13):
            history.append(f'  - {{indicator: "{number}", month: {month}, value: {_value(rng.gauss(baseline, noise), higher)}}}')
        shift_at = rng.randint(4, 9) if rng.random() < 0.35 else 13
        for month in range(1, 13):
            progress = baseline + (final - baseline) * month / 12 * rng.uniform(0.6, 1.2)
            if month >= shift_at:
                progress += (final - baseline) * 0.5
            lines.append(f'  - {{indicator: "{number}", month: {month}, value: {_value(rng.gauss(progress, noise), higher)}}}')
    return "\n".join(lines + history) + "\n"


def generate(out_dir: str, count: int, seed: int = 4, *, achievement: bool = False) -> list[str]:
    """``count`` schemes under ``out_dir``; with ``achievement``, each with its achievement data beside it
    (``NAME.achievement.yaml``: 12 months of history, 12 in-year months). The schemes are the
    same bytes either way."""
    rng = random.Random(seed)
    written = []
    years = list(YEARS)
    for index in range(count):
        year = years[index % len(years)]
        region = REGIONS[index % len(REGIONS)]
        folder = os.path.join(out_dir, region)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"r{index:05d}-{year.replace('/', '-')}.yaml")
        spec: dict | None = {} if achievement else None
        text = scheme_text(rng, index, year, spec)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
        if spec is not None:
            with open(path[: -len(".yaml")] + ".achievement.yaml", "w", encoding="utf-8", newline="\n") as handle:
                handle.write(achievement_text(spec, seed, index))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--achievement", action="store_true", help="also write each scheme's achievement data, with history")
    args = parser.parse_args()
    files = generate(args.out_dir, args.count, args.seed, achievement=args.achievement)
    sizes = [os.path.getsize(f) for f in files]
    print(f"wrote {len(files)} schemes to {args.out_dir} (mean {sum(sizes) / len(sizes) / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
