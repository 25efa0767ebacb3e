"""The XmR chart and its four special-cause tests on series whose answers are known by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cquin_cli.compute import spc


def signals(c):
    return [(s.test, s.points, s.side) for s in c.signals]


def test_limits_are_mean_plus_minus_2_66_mean_moving_ranges_exactly():
    # mean 58/5 = 11.6; moving ranges 2, 1, 2, 1 -> 1.5; limits 11.6 -+ 3.99
    c = spc.chart([Decimal(10), Decimal(12), Decimal(11), Decimal(13), Decimal(12)])
    assert c.mean == Fraction("11.6")
    assert c.mean_moving_range == Fraction("1.5")
    assert c.upper == Fraction("15.59") and c.lower == Fraction("7.61")
    assert c.sigma == Fraction("1.5") / Fraction("1.128")
    assert c.signals == () and c.variation == spc.COMMON_CAUSE


def test_decimal_values_stay_exact():
    c = spc.chart([Decimal("0.1"), Decimal("0.2"), Decimal("0.3")])
    assert c.mean == Fraction(1, 5)  # not 0.20000000000000001
    assert spc.as_decimal(c.upper) == Decimal("0.47")


def test_fewer_than_two_points_has_no_chart():
    assert spc.chart([Decimal(5)]) is None
    assert spc.chart([]) is None


def test_a_point_outside_the_limits_and_a_shift_before_it():
    # nine 10s then 30: mean 12, mean moving range 20/9, upper limit 17.91
    c = spc.chart([10] * 9 + [30], direction="higher")
    assert signals(c) == [
        ("shift", tuple(range(9)), "low"),
        ("outside_limits", (9,), "high"),
    ]
    assert c.variation == spc.IMPROVING  # the latest point is high, and higher is better
    assert spc.chart([10] * 9 + [30], direction="lower").variation == spc.CONCERNING


def test_seven_points_on_one_side_of_the_mean_is_a_shift():
    series = [50, 51, 50, 51, 50, 51, 50, 52, 53, 52, 53, 52, 53, 52]
    c = spc.chart(series)
    assert signals(c) == [
        ("shift", (0, 1, 2, 3, 4, 5, 6), "low"),
        ("shift", (7, 8, 9, 10, 11, 12, 13), "high"),
    ]
    assert c.variation == spc.IMPROVING


def test_the_run_length_is_an_option():
    series = [50, 52, 50, 52, 50, 52, 50, 55, 57, 55, 57, 55, 57, 55]
    assert [s.test for s in spc.chart(series).signals] == ["shift", "shift"]
    assert spc.chart(series, shift_run=8).signals == ()  # runs of 7 are not runs of 8


def test_a_point_on_the_mean_ends_a_run():
    # mean 5: six 4s, a 5, six 6s -- no run reaches 7
    c = spc.chart([4] * 6 + [5] + [6] * 6)
    assert c.mean == 5
    assert [s for s in c.signals if s.test == spc.SHIFT] == []


def test_seven_points_rising_is_a_trend():
    c = spc.chart([14, 20, 12, 19, 13, 20, 14, 15, 16, 17, 18, 19, 20])
    assert signals(c) == [("trend", (6, 7, 8, 9, 10, 11, 12), "high")]
    assert c.variation == spc.IMPROVING


def test_seven_points_falling_is_concerning_when_higher_is_better_and_improving_when_lower_is():
    series = [20, 12, 19, 13, 20, 14, 21, 20, 19, 18, 17, 16, 15]
    assert signals(spc.chart(series)) == [("trend", (6, 7, 8, 9, 10, 11, 12), "low")]
    assert spc.chart(series, direction="higher").variation == spc.CONCERNING
    assert spc.chart(series, direction="lower").variation == spc.IMPROVING
    assert spc.chart(series, trend_run=8).signals == ()


def test_an_equal_value_ends_a_trend():
    assert spc.chart([14, 20, 12, 19, 13, 20, 14, 15, 16, 16, 17, 18, 19]).signals == ()


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    # mean 11.92, two sigma 4.67: the two 17s are beyond mean + two sigma (16.59), inside the upper limit (18.93)
    c = spc.chart([10, 12, 10, 12, 10, 12, 10, 12, 10, 17, 17, 11])
    assert signals(c) == [("two_of_three", (9, 10), "high")]
    assert c.variation == spc.COMMON_CAUSE  # the latest point (11) is in no signal


def test_assurance_compares_the_target_with_the_limits():
    series = [10, 12, 11, 13, 12]  # limits 7.61 .. 15.59
    assert spc.chart(series, target=Decimal(8)).assurance == spc.HIT_AND_MISS
    assert spc.chart(series, target=Decimal(7)).assurance == spc.RELIABLY_MET
    assert spc.chart(series, target=Decimal(16)).assurance == spc.RELIABLY_MISSED
    assert spc.chart(series, target=Decimal(16), direction="lower").assurance == spc.RELIABLY_MET
    assert spc.chart(series, target=Decimal(7), direction="lower").assurance == spc.RELIABLY_MISSED
    assert spc.chart(series, target=Decimal("7.61")).assurance == spc.RELIABLY_MET  # on a limit counts as beyond it
    assert spc.chart(series).assurance is None


def test_a_flat_series_has_zero_width_limits():
    c = spc.chart([7, 7, 7, 7])
    assert c.upper == c.lower == 7 and c.signals == ()


def test_run_lengths_below_two_are_refused():
    with pytest.raises(ValueError):
        spc.chart([1, 2, 3], shift_run=1)


# The chart decides every test in whole numbers (docs/performance.md); the same tests
# written the obvious way with Fractions must flag exactly the same points.
def _signals_by_fractions(values, shift_run, trend_run):
    v = [Fraction(x) for x in values]
    n = len(v)
    mean = sum(v, Fraction(0)) / n
    mmr = sum((abs(v[i] - v[i - 1]) for i in range(1, n)), Fraction(0)) / (n - 1)
    upper, lower, sigma = mean + Fraction("2.66") * mmr, mean - Fraction("2.66") * mmr, mmr / Fraction("1.128")
    flagged = {
        "outside": {i for i, x in enumerate(v) if x > upper or x < lower},
        "high2": {i for i, x in enumerate(v) if x > mean + 2 * sigma},
        "low2": {i for i, x in enumerate(v) if x < mean - 2 * sigma},
        "above": {i for i, x in enumerate(v) if x > mean},
        "below": {i for i, x in enumerate(v) if x < mean},
        "up": {i for i in range(1, n) if v[i] > v[i - 1]},
        "down": {i for i in range(1, n) if v[i] < v[i - 1]},
    }
    return flagged


@given(
    st.lists(st.decimals(min_value=-50, max_value=150, places=2, allow_nan=False), min_size=2, max_size=30),
    st.integers(2, 8),
    st.integers(2, 8),
)
@settings(max_examples=300, deadline=None)
def test_whole_number_tests_agree_with_fraction_arithmetic(values, shift_run, trend_run):
    c = spc.chart(values, shift_run=shift_run, trend_run=trend_run)
    expected = _signals_by_fractions(values, shift_run, trend_run)
    outside = {p for s in c.signals if s.test == spc.OUTSIDE_LIMITS for p in s.points}
    assert outside == expected["outside"]
    for s in c.signals:
        points = set(s.points)
        if s.test == spc.SHIFT:
            assert points <= expected["above" if s.side == spc.HIGH else "below"] and len(points) >= shift_run
        elif s.test == spc.TREND:
            steps = set(s.points[1:])
            assert steps <= expected["up" if s.side == spc.HIGH else "down"] and len(s.points) >= trend_run
        elif s.test == spc.TWO_OF_THREE:
            assert points <= expected["high2" if s.side == spc.HIGH else "low2"]
    # two-of-three windows: every qualifying window, overlapping ones merged (the first overlap found takes it)
    for side, key in ((spc.HIGH, "high2"), (spc.LOW, "low2")):
        chains: list[set[int]] = []
        for i in range(len(values) - 2):
            window = {j for j in range(i, i + 3) if j in expected[key]}
            if len(window) >= 2:
                overlapping = next((c for c in chains if c & window), None)
                if overlapping is not None:
                    overlapping |= window
                else:
                    chains.append(window)
        found = [set(s.points) for s in c.signals if s.test == spc.TWO_OF_THREE and s.side == side]
        assert sorted(map(sorted, found)) == sorted(map(sorted, chains))
    # every run long enough is found
    for side, key in ((spc.HIGH, "above"), (spc.LOW, "below")):
        run = 0
        for i in range(len(values)):
            run = run + 1 if i in expected[key] else 0
            if run >= shift_run:
                assert any(s.test == spc.SHIFT and s.side == side and i in s.points for s in c.signals)
