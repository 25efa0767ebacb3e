"""Codes of the scheme format, checked by ``schemas/scheme.schema.json`` (and the achievement schema).

The JSON Schema is the format's definition; cquin reports its findings one per real
problem, at the line of the key to change. Money and percentages also get a check the
schema cannot express: a YAML number written with three decimal places, NaN or
infinity where money belongs, or an impossible date.
"""

from cquin_cli.check.registry import SCHEMA, Rule

RULES = [
    Rule(
        "E101",
        "Required key missing",
        "schemas/scheme.schema.json",
        SCHEMA,
        "A key the format requires is absent, e.g. an indicator without `numerator` (every field of the national "
        "indicator template is required, seed 002). Reported at the mapping that should hold it.",
        "provider:\n  code: RNF\n  name: Northfield Hospitals NHS Trust\n  sector: acute\n  foundation_trust: false\n",
        "provider.sector: ~      # removed: the provider has no sector\n",
    ),
    Rule(
        "E102",
        "Unknown key",
        "schemas/scheme.schema.json",
        SCHEMA,
        "A key the format does not know, usually a misspelling; the nearest known key is suggested.",
        "goals[0].weighting: 30%\n",
        "goals[0].weighing: 30%      # a misspelling of weighting\n",
    ),
    Rule(
        "E103",
        "Wrong kind of value",
        "schemas/scheme.schema.json",
        SCHEMA,
        "A value of the wrong type: text where a number belongs, a list where a mapping belongs, a number that is not finite.",
        "goals[0].indicators[0].baseline: {period: 2008/09 Q3, value: 55}\n",
        "goals[0].indicators[0].baseline: {period: 2008/09 Q3, value: fifty-five}\n",
    ),
    Rule(
        "E104",
        "Value not allowed",
        "schemas/scheme.schema.json",
        SCHEMA,
        "A value outside its list (a sector, a domain, a partial-achievement rule...) or not in the expected form.",
        "goals[2].domain: patient_experience\n",
        "goals[2].domain: experience\n",
    ),
    Rule(
        "E105",
        "Money amount",
        "docs/format.md (values)",
        SCHEMA,
        "Money is a decimal in pounds written as text or a plain number, with at most two decimal places, never "
        "negative, never NaN or infinite.",
        'contract_value.tariff_income: "180000000.00"\n',
        "contract_value.tariff_income: 180000000.005     # a fraction of a penny\n",
    ),
    Rule(
        "E106",
        "Percentage",
        "docs/format.md (values)",
        SCHEMA,
        "A percentage is written with a % sign, as a contract manager writes it, and lies between 0% and 100%.",
        "rate: 0.5%\n",
        "rate: 0.005     # no % sign\n",
    ),
    Rule(
        "E107",
        "Date",
        "schemas/scheme.schema.json",
        SCHEMA,
        "A date is written YYYY-MM-DD and must exist on the calendar.",
        "agreement.date: 2009-03-20\n",
        "agreement.date: 2009-02-30\n",
    ),
    Rule(
        "E108",
        "Number out of range",
        "schemas/scheme.schema.json",
        SCHEMA,
        "A month of the financial year is 1 (April) to 12 (March); counts are within their limits.",
        "goals[0].indicators[0].milestones[0]: {month: 6, target: 60}\n",
        "goals[0].indicators[0].milestones[0]: {month: 13, target: 60}     # there is no 13th month\n",
    ),
    Rule(
        "E109",
        "Scheme format",
        "schemas/scheme.schema.json",
        SCHEMA,
        "Any other breach of the format: an empty list where one item is needed, a repeated checkpoint, an empty text.",
        "# every goal has its indicators, as in the worked example\npayment.checkpoints: [6, 9, 12]\n",
        "payment.checkpoints: []     # no checkpoint at all\n",
    ),
    Rule(
        "E110",
        "Not a scheme",
        "schemas/scheme.schema.json",
        SCHEMA,
        "The file parses as YAML but its top level is not a mapping of keys (a list, or a single value).",
        "financial_year: 2009/10\n",
        "# the whole file replaced by a list:\n- financial_year: 2009/10\n",
    ),
]
