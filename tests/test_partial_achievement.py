"""The rules for partial achievement as a registry (cquin_cli/partial_achievement/): one home for each rule.

Each rule's fields agree with the JSON Schema; a name that is not a rule is an error
with its line, never a silent all-or-nothing; every rule is assessed, worded and
summarised by its own module.
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from fractions import Fraction

import pytest
from conftest import ROOT, WORKED_EXAMPLE

from cquin_cli.load.scheme import build_scheme
from cquin_cli.load.yaml_reader import read_yaml
from cquin_cli.partial_achievement import (
    ALL_OR_NOTHING,
    BANDS,
    LINEAR,
    MILESTONE,
    RULES,
    Band,
    PartialAchievement,
    Unknown,
    UnknownRule,
    rule_named,
)
from cquin_cli.vocabulary import Direction

SCHEMA = json.loads((ROOT / "schemas" / "scheme.schema.json").read_text(encoding="utf-8"))
PA_SCHEMA = SCHEMA["$defs"]["partial_achievement"]


def _pa(rule, floor=None, bands=()):
    return PartialAchievement(rule, None if floor is None else D(floor), tuple(bands), "", ("partial_achievement",))


def test_the_registry_holds_the_schemas_rules_in_its_order():
    assert list(RULES) == PA_SCHEMA["properties"]["rule"]["enum"]


def test_each_rules_required_fields_are_the_schemas():
    required = {branch["if"]["properties"]["rule"]["const"]: tuple(branch["then"]["required"]) for branch in PA_SCHEMA["allOf"]}
    assert {name: rule.requires for name, rule in RULES.items() if rule.requires} == required


def test_a_name_that_is_not_a_rule_is_refused():
    with pytest.raises(UnknownRule, match="'proportional' is not a rule for partial achievement; the rules are all_or_nothing"):
        rule_named("proportional")


def test_the_builder_reports_an_unknown_rule_as_E104_at_its_path_and_never_assesses_it():
    values = read_yaml(str(WORKED_EXAMPLE)).value
    values["goals"][0]["indicators"][0]["partial_achievement"]["rule"] = "proportional"
    scheme = build_scheme(values, "x.yaml")
    (problem,) = scheme.problems
    assert (problem.code, problem.path) == ("E104", ("goals", 0, "indicators", 0, "partial_achievement", "rule"))
    rule = scheme.indicators[0].partial_achievement.rule
    assert isinstance(rule, Unknown) and rule.name == "proportional"
    pa = scheme.indicators[0].partial_achievement
    with pytest.raises(UnknownRule):
        rule.assess(pa, D(80), D(90), None, Direction.HIGHER, "final value")
    with pytest.raises(UnknownRule):
        rule.contract_text(pa)


@pytest.mark.parametrize(
    "rule, pa, value, expected_fraction, words",
    [
        (ALL_OR_NOTHING, _pa(ALL_OR_NOTHING), "90", Fraction(1), "all-or-nothing against final value 90, higher is better"),
        (ALL_OR_NOTHING, _pa(ALL_OR_NOTHING), "89.9", Fraction(0), "all-or-nothing against final value 90, higher is better"),
        (LINEAR, _pa(LINEAR, 70), "86", Fraction(4, 5), "linear from floor 70 to final value 90, higher is better"),
        (BANDS, _pa(BANDS, bands=[Band(D(80), D(50)), Band(D(90), D(100))]), "85", Fraction(1, 2), "bands: best band reached from 80 earns 50%, higher is better"),
        (BANDS, _pa(BANDS, bands=[Band(D(80), D(50)), Band(D(90), D(100))]), "79", Fraction(0), "bands: no band reached (first band from 80), higher is better"),
        (BANDS, _pa(BANDS, bands=[Band(D(80), D(50)), Band(D(90), D(100))]), "90", Fraction(1), "bands: final value 90 met, higher is better"),
    ],
)  # fmt: skip
def test_each_rule_assesses_a_measured_value(rule, pa, value, expected_fraction, words):
    floor = rule.year_end_floor(pa)
    assessed = rule.assess(pa, D(value), D(90), floor, Direction.HIGHER, "final value")
    assert (assessed.fraction, assessed.words) == (expected_fraction, words)


def test_lower_is_better_reverses_meeting_and_the_linear_formula():
    pa = _pa(LINEAR, 15)
    assert LINEAR.assess(pa, D(8), D(5), D(15), Direction.LOWER, "final value").fraction == Fraction(7, 10)
    assert ALL_OR_NOTHING.assess(pa, D("5.1"), D(5), None, Direction.LOWER, "final value").fraction == 0


def test_a_milestone_is_met_or_not_and_is_never_assessed_as_a_value():
    assert MILESTONE.met_or_not and not any(r.met_or_not for r in (ALL_OR_NOTHING, LINEAR, BANDS))
    assert (MILESTONE.assess_met(True).fraction, MILESTONE.assess_met(False).words) == (1, "milestone not met")
    with pytest.raises(TypeError):
        MILESTONE.assess(_pa(MILESTONE), D(1), D(1), None, Direction.HIGHER, "final value")


def test_each_rule_words_itself_for_the_contract_and_for_a_comparison():
    bands = _pa(BANDS, bands=[Band(D("80.50"), D(50)), Band(D(90), D(100))])
    assert BANDS.contract_text(bands) == "Bands (the best band reached): from 80.50: 50%; from 90: 100%"
    assert BANDS.summary(bands) == "bands 50% from 80.50, 100% from 90"
    assert LINEAR.contract_text(_pa(LINEAR, 70)).startswith("Linear: nothing at the floor of 70 or worse")
    assert ALL_OR_NOTHING.summary(_pa(ALL_OR_NOTHING)) == "all-or-nothing"
    assert MILESTONE.contract_text(_pa(MILESTONE)) == "Milestone met (paid in full) or not met (nothing)"


def test_the_bands_rule_checks_its_best_band_pays_all_from_the_final_value():
    short = _pa(BANDS, bands=[Band(D(80), D(50)), Band(D(90), D(80))])
    ((message, path),) = BANDS.problems(short, D(90), Direction.HIGHER)
    assert message.startswith("the best band pays 80%, not 100%")
    assert path == ("partial_achievement", "bands", 1, "fraction")
    early = _pa(BANDS, bands=[Band(D(80), D(50)), Band(D(88), D(100))])
    ((message, path),) = BANDS.problems(early, D(90), Direction.HIGHER)
    assert "starts at 88, not at the final value 90" in message and path[-1] == "from"
    assert list(LINEAR.problems(_pa(LINEAR, 70), D(90), Direction.HIGHER)) == []
