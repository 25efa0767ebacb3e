"""The year-end forecast: seeded simulation through the real reconciliation, checked against an analytic answer."""

from __future__ import annotations

from decimal import Decimal as D
from statistics import NormalDist

import pytest
from conftest import WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_scheme_file
from cquin_cli.compute.monitoring import monitor
from cquin_cli.load.achievement import build_achievement


@pytest.fixture(scope="module")
def scheme():
    return check_scheme_file(str(WORKED_EXAMPLE)).scheme


def data(measurements, history=(), actual="202600000.00"):
    return build_achievement(
        {
            "financial_year": "2009/10",
            "provider": "RNF",
            "outturn": {"actual": actual},
            "measurements": [
                {
                    "indicator": i,
                    "month": m,
                    **({"met": v} if isinstance(v, bool) else {"value": v}),
                }
                for i, m, v in measurements
            ],
            "history": [{"indicator": i, "month": m, "value": v} for i, m, v in history],
        },
        "test.achievement.yaml",
    )


# E1 is all-or-nothing at year end against 80 (higher is better). Before month 12 the forecast
# rests on the latest forecast outturn, here none: the planned base £200,000,000.00, whose pot
# is £1,000,000.00, E1's 30% share £300,000.00 (the actual outturn is not known in year).
E1_PROCESS = [("E1", m, 78 if m % 2 else 80) for m in range(1, 9)]  # mean 79, mean moving range 2
E1_HISTORY = [("E1", m, 78 if m % 2 else 80) for m in range(1, 13)]


def test_the_chance_of_meeting_an_all_or_nothing_target_matches_the_normal_distribution(
    scheme,
):
    report = monitor(scheme, data(E1_PROCESS, E1_HISTORY), 8, runs=4000)
    e1 = next(i for i in report.forecast.indicators if i.number == "E1")
    assert e1.forecastable
    sigma = 2 / 1.128  # mean moving range / 1.128
    analytic = 1 - NormalDist(79, sigma).cdf(80)  # 0.2864
    assert abs(float(e1.meets_final) - analytic) < 0.025  # 4000 runs: standard error 0.0071; 3.5 of them
    # met in about 29% of the runs: P10 and P50 earn nothing from E1, P90 earns it all
    assert (e1.earned.p10, e1.earned.p50, e1.earned.p90) == (
        D("0.00"),
        D("0.00"),
        D("300000.00"),
    )
    # nothing else earns (S1, X1 unmeasured count 0 at year end; I1 not met): E(12) is E1's line
    assert (
        report.forecast.earned.p10,
        report.forecast.earned.p50,
        report.forecast.earned.p90,
    ) == (D("0.00"), D("0.00"), D("300000.00"))
    # P(12) = £900,000.00 on account: A(12) = E(12) - P(12)
    assert report.forecast.adjustment.p50 == D("-900000.00") and report.forecast.adjustment.p90 == D("-600000.00")
    # each commissioner's part, by share 70/20/10
    assert [(c.code, c.adjustment.p90) for c in report.forecast.commissioners] == [
        ("5NF", D("-420000.00")),
        ("5NB", D("-120000.00")),
        ("5NC", D("-60000.00")),
    ]
    assert [(c.code, c.earned.p90) for c in report.forecast.commissioners] == [
        ("5NF", D("210000.00")),
        ("5NB", D("60000.00")),
        ("5NC", D("30000.00")),
    ]


def test_the_same_input_gives_the_same_forecast(scheme):
    first = monitor(scheme, data(E1_PROCESS, E1_HISTORY), 8)
    again = monitor(scheme, data(E1_PROCESS, E1_HISTORY), 8)
    assert first.forecast == again.forecast and first.forecast.runs == 1000
    changed = monitor(scheme, data(E1_PROCESS[:-1] + [("E1", 8, 81)], E1_HISTORY), 8)
    assert changed.forecast.seed != first.forecast.seed


def test_too_few_points_is_not_forecastable_never_guessed(scheme):
    report = monitor(
        scheme,
        data([("E1", 1, 78), ("E1", 2, 80), ("E1", 3, 79), ("E1", 4, 81), ("E1", 5, 80)]),
        5,
    )
    e1 = next(i for i in report.forecast.indicators if i.number == "E1")
    assert not e1.forecastable
    assert e1.reason == "5 points measured; a forecast needs at least 6"
    assert e1.meets_final is None
    # held at its latest value (80 meets the final value): every run earns E1's line
    assert e1.earned.p10 == e1.earned.p90 == D("300000.00")
    i1 = next(i for i in report.forecast.indicators if i.number == "I1")
    assert "milestone indicator" in i1.reason


def test_a_linear_indicator_spreads_the_forecast(scheme):
    # S1: linear from floor 70 to the final value 90; a process around 80 earns about half
    s1 = [("S1", m, v) for m, v in enumerate([78, 82, 79, 81, 80, 83, 77, 80, 81, 79], 1)]
    report = monitor(scheme, data(s1), 10)
    line = next(i for i in report.forecast.indicators if i.number == "S1")
    assert line.earned.p10 < line.earned.p50 < line.earned.p90
    assert D("120000.00") < line.earned.p50 < D("180000.00")  # half of £300,000.00 is £150,000.00


def test_at_year_end_nothing_is_simulated(scheme):
    report = monitor(scheme, data(E1_PROCESS + [("E1", 12, 81)], E1_HISTORY), 12)
    assert {i.reason for i in report.forecast.indicators} == {"the year is over: no months remain"}
    assert report.forecast.earned.p10 == report.forecast.earned.p90 == report.year_ended_now.earned
