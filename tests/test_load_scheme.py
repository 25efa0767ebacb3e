"""What the scheme records define once: stretch, the same indicator, usable for money, totals per year."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from conftest import SAMPLES, WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_scheme_file
from cquin_cli.compute.pricing import price
from cquin_cli.load.scheme import Period, Problem
from cquin_cli.portfolio.aggregate import year_totals
from cquin_cli.vocabulary import Direction


def _scheme():
    return check_scheme_file(str(WORKED_EXAMPLE)).scheme


def test_stretch_is_the_improvement_asked_for_in_percentage_points_of_the_baseline_in_either_direction():
    indicator = _scheme().indicators[0]
    up = dataclasses.replace(
        indicator, baseline=Period("2008/09", D(60)), final=Period("2009/10", D(75)), direction=Direction.HIGHER
    )
    assert up.stretch == D(25)
    down = dataclasses.replace(up, baseline=Period("2008/09", D(20)), final=Period("2009/10", D(15)), direction=Direction.LOWER)
    assert down.stretch == D(25)
    worse = dataclasses.replace(down, final=Period("2009/10", D(30)))
    assert worse.stretch == D(-50)
    assert dataclasses.replace(up, baseline=Period("2008/09", D(0))).stretch is None
    assert dataclasses.replace(up, direction=None).stretch is None


def test_a_schemes_stretch_is_the_plain_mean_of_its_indicators():
    scheme = _scheme()
    values = [i.stretch for i in scheme.indicators if i.stretch is not None]
    assert len(values) == 3 and scheme.stretch is not None
    assert scheme.stretch.quantize(D("1e-20")) == (sum(values, D(0)) / len(values)).quantize(D("1e-20"))


def test_two_indicators_are_the_same_by_name_ignoring_case_and_punctuation_or_by_national_indicator():
    a = _scheme().indicators[0]
    assert a.same_as(dataclasses.replace(a, name=f"  {a.name.upper()}!! ")) == "name"
    other = dataclasses.replace(a, name="Something else", national_indicator="VTE-1")
    assert other.same_as(dataclasses.replace(a, name="Another", national_indicator="vte 1")) == "national indicator"
    assert other.same_as(dataclasses.replace(a, name="Another", national_indicator="")) is None


def test_a_record_with_a_stood_in_value_is_not_usable_for_money_and_says_why():
    scheme = _scheme()
    assert scheme.unusable_for_money is None
    broken = dataclasses.replace(scheme, problems=(Problem("E105", "1.005 has more than two decimal places", ("rate",)),))
    assert broken.unusable_for_money == (
        "a value in it cannot be used as written (E105 1.005 has more than two decimal places), so its figures would not be the scheme's"
    )


def test_totals_per_year_add_each_years_schemes_to_the_penny_and_never_across_years():
    schemes = [check_scheme_file(str(f)).scheme for f in sorted(SAMPLES.glob("*/*.yaml")) if "achievement" not in f.name]
    prices = [price(s) for s in schemes if s is not None]
    totals = year_totals(prices)
    assert [t.financial_year for t in totals] == sorted({p.scheme.financial_year for p in prices})
    for t in totals:
        mine = [p for p in prices if p.scheme.financial_year == t.financial_year]
        assert (t.schemes, t.expected_value, t.on_account) == (
            len(mine),
            sum((p.expected_value for p in mine), D("0.00")),
            sum((p.on_account_total for p in mine), D("0.00")),
        )
    assert sum(t.schemes for t in totals) == len(prices)
