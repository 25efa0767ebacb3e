"""Every partial-achievement rule of DOMAIN.md §4, in both directions, and carried on account."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from fractions import Fraction

import pytest
from conftest import WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_scheme_file
from cquin_cli.compute.reconciliation import ASSESSED, CARRIED_ON_ACCOUNT, MISSING_AT_YEAR_END, assess, reconcile
from cquin_cli.load.achievement import Achievement, Measurement
from cquin_cli.load.scheme import Band, Milestone, PartialAchievement, Period
from cquin_cli.partial_achievement import rule_named
from cquin_cli.vocabulary import Direction


@pytest.fixture(scope="module")
def s1():
    return check_scheme_file(str(WORKED_EXAMPLE)).scheme.indicators[0]


def _indicator(base, *, rule, direction="higher", final=None, floor=None, bands=(), milestones=()):
    return dataclasses.replace(
        base,
        direction=Direction(direction),
        final=Period("2009/10", D(final)) if final is not None else None,
        partial_achievement=PartialAchievement(rule_named(rule), D(floor) if floor is not None else None, tuple(bands), "", ()),
        milestones=tuple(milestones),
    )


def _value(v, month=12):
    return Measurement("S1", month, D(v), None, "", ())


P = D(90)


@pytest.mark.parametrize(
    "direction, final, floor, value, expected",
    [
        ("higher", 90, 70, "86", Fraction(4, 5)),
        ("higher", 90, 70, "65", Fraction(0)),
        ("higher", 90, 70, "95", Fraction(1)),
        ("higher", 90, 60, "70", Fraction(1, 3)),  # not a terminating decimal: kept exact
        ("lower", 5, 15, "8", Fraction(7, 10)),  # lower is better: floor above the target
        ("lower", 5, 15, "16", Fraction(0)),
        ("lower", 5, 15, "4", Fraction(1)),
    ],
)
def test_linear_both_directions(s1, direction, final, floor, value, expected):
    indicator = _indicator(s1, rule="linear", direction=direction, final=final, floor=floor)
    a = assess(indicator, _value(value), 12, P)
    assert (a.status, a.fraction) == (ASSESSED, expected)
    assert f"{direction} is better" in a.rule_applied


@pytest.mark.parametrize(
    "direction, value, expected", [("higher", "75", 1), ("higher", "74.9", 0), ("lower", "75", 1), ("lower", "75.1", 0)]
)
def test_all_or_nothing_both_directions(s1, direction, value, expected):
    indicator = _indicator(s1, rule="all_or_nothing", direction=direction, final=75)
    assert assess(indicator, _value(value), 12, P).fraction == expected


BANDS_HIGHER = [Band(D(60), D(25)), Band(D(70), D(50)), Band(D(80), D(75)), Band(D(90), D(100))]
BANDS_LOWER = [Band(D(20), D(25)), Band(D(15), D(50)), Band(D(12), D(75)), Band(D(10), D(100))]


@pytest.mark.parametrize(
    "direction, bands, final, value, expected",
    [
        ("higher", BANDS_HIGHER, 90, "59", Fraction(0)),
        ("higher", BANDS_HIGHER, 90, "72", Fraction(1, 2)),
        ("higher", BANDS_HIGHER, 90, "85", Fraction(3, 4)),
        ("higher", BANDS_HIGHER, 90, "90", Fraction(1)),  # the final value is the 100% band's threshold
        ("higher", BANDS_HIGHER, 90, "95", Fraction(1)),
        ("lower", BANDS_LOWER, 10, "21", Fraction(0)),
        ("lower", BANDS_LOWER, 10, "14", Fraction(1, 2)),
        ("lower", BANDS_LOWER, 10, "10", Fraction(1)),
    ],
)
def test_bands_both_directions(s1, direction, bands, final, value, expected):
    indicator = _indicator(s1, rule="bands", direction=direction, final=final, bands=bands)
    assert assess(indicator, _value(value), 12, P).fraction == expected


def test_bands_pay_what_the_bands_say_even_at_the_final_value(s1):
    # A scheme like this fails validation (E212); assessed all the same, it pays its best band, never 100%.
    indicator = _indicator(s1, rule="bands", final=90, bands=[Band(D(70), D(50)), Band(D(90), D(80))])
    assert assess(indicator, _value("90"), 12, P).fraction == Fraction(4, 5)
    assert assess(indicator, _value("99"), 12, P).fraction == Fraction(4, 5)


def test_milestone_with_floor_is_linear_without_is_all_or_nothing(s1):
    indicator = _indicator(
        s1, rule="all_or_nothing", final=80, milestones=[Milestone(6, D(65), D(60), "", ()), Milestone(9, D(70), None, "", ())]
    )
    assert assess(indicator, _value("62.5", 6), 6, P).fraction == Fraction(1, 2)
    assert assess(indicator, _value("69", 9), 9, P).fraction == 0
    assert assess(indicator, _value("70", 9), 9, P).fraction == 1


def test_carried_on_account_and_missing_at_year_end(s1):
    indicator = _indicator(s1, rule="linear", final=90, floor=70, milestones=[Milestone(6, D(60), None, "", ())])
    no_target = assess(indicator, _value("80", 9), 9, P)
    assert (no_target.status, no_target.fraction) == (CARRIED_ON_ACCOUNT, Fraction(9, 10))
    not_measured = assess(indicator, None, 6, P)
    assert (not_measured.status, not_measured.fraction) == (CARRIED_ON_ACCOUNT, Fraction(9, 10))
    year_end = assess(indicator, None, 12, P)
    assert (year_end.status, year_end.fraction) == (MISSING_AT_YEAR_END, 0)
    assert "no measurement for month 12" in year_end.note


def test_on_account_share_other_than_90(s1):
    indicator = _indicator(s1, rule="all_or_nothing", final=90)
    assert assess(indicator, None, 6, D(80)).fraction == Fraction(4, 5)


def test_milestone_rule_met_not_met_and_missing():
    scheme = check_scheme_file(str(WORKED_EXAMPLE)).scheme
    i1 = scheme.indicators[3]
    met = Measurement("I1", 9, None, True, "", ())
    assert assess(i1, met, 9, P).fraction == 1
    assert assess(i1, dataclasses.replace(met, met=False), 9, P).fraction == 0
    assert assess(i1, None, 9, P).status == CARRIED_ON_ACCOUNT
    assert assess(i1, None, 12, P).status == MISSING_AT_YEAR_END


def test_a_third_keeps_e_exact():
    """E(m) is rounded once from the exact product: a = 1/3 does not lose a penny on the way."""
    scheme = check_scheme_file(str(WORKED_EXAMPLE)).scheme
    measurements = (
        Measurement("S1", 12, D("76.6666666666666666666666666666667"), None, "", ()),
        Measurement("E1", 12, D(0), None, "", ()),
        Measurement("X1", 12, D(0), None, "", ()),
        Measurement("I1", 12, None, False, "", ()),
    )
    data = Achievement("", "2009/10", "RNF", "pct", (), D("200000000.00"), measurements, ())
    r = reconcile(scheme, data, 12)
    exact = Fraction(1_000_000) * Fraction(3, 10) * r.indicators[0].exact_fraction
    assert r.earned == (D(round(exact * 100)) / 100).quantize(D("0.01"))


def test_fraction_display_is_exact_when_it_terminates_else_ten_places():
    from cquin_cli.compute.reconciliation import fraction_decimal

    assert fraction_decimal(Fraction(2, 3)) == D("0.6666666667")
    assert fraction_decimal(Fraction(63, 100)) == D("0.63")
    assert fraction_decimal(Fraction(1, 1024)) == D("0.0009765625")
    assert fraction_decimal(Fraction(0)) == 0
