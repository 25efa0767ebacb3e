"""Money invariants, by hypothesis (DOMAIN.md §4): splits add up, E - P = A, instalments add up, order does not matter."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import WORKED_EXAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from cquin_cli.check.pipeline import check_scheme_file
from cquin_cli.compute.pricing import price
from cquin_cli.compute.reconciliation import reconcile
from cquin_cli.load.achievement import Achievement, Forecast, Measurement
from cquin_cli.load.scheme import ContractValue
from cquin_cli.money import PENNY, fraction_to_penny, instalments, split, to_penny

SETTINGS = settings(max_examples=60, deadline=None)
pence = st.integers(min_value=-(10**13), max_value=10**13).map(lambda p: Decimal(p) * PENNY)
positive_pence = st.integers(min_value=0, max_value=10**13).map(lambda p: Decimal(p) * PENNY)
weights = st.lists(st.integers(min_value=0, max_value=10_000).map(lambda w: Decimal(w) / 100), min_size=1, max_size=12).filter(
    lambda ws: sum(ws) > 0
)


@pytest.fixture(scope="module")
def scheme():
    return check_scheme_file(str(WORKED_EXAMPLE)).scheme


@SETTINGS
@given(total=pence, weights=weights)
def test_splits_sum_exactly_to_the_whole(total, weights):
    parts = split(total, weights)
    assert sum(parts, Decimal(0)) == total
    assert all(p == p.quantize(PENNY) for p in parts)
    exact = [total * w / sum(weights) for w in weights]
    assert all(abs(p - e) < PENNY for p, e in zip(parts, exact))  # each part within a penny of its exact share


@SETTINGS
@given(total=positive_pence, count=st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_instalments_sum_and_differ_by_at_most_a_penny(total, count):
    parts = instalments(total, count)
    assert sum(parts, Decimal(0)) == total
    assert max(parts) - min(parts) <= PENNY
    assert parts == sorted(parts, reverse=True)  # odd pennies to the earliest months


@SETTINGS
@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=1, max_value=10**6))
def test_fraction_rounding_agrees_with_decimal_half_up(numerator, scale):
    value = Decimal(numerator) / Decimal(10 ** (len(str(scale)) + 1))
    assert fraction_to_penny(Fraction(value)) == to_penny(value)


def _shares(draw_shares):
    a, b = sorted(draw_shares)
    return [Decimal(a), Decimal(b - a), Decimal(100 - b)]


def _with(scheme, tariff, shares, instalment_count, on_account):
    commissioners = [dataclasses.replace(c, share=s) for c, s in zip(scheme.commissioners, shares)]
    payment = dataclasses.replace(scheme.payment, instalments=instalment_count, on_account_share=Decimal(on_account))
    return dataclasses.replace(
        scheme,
        contract_value=ContractValue(tariff, Decimal("20500000.00"), Decimal("500000.00")),
        coordinating_commissioner=commissioners[0],
        associates=tuple(commissioners[1:]),
        payment=payment,
    )


schemes = st.tuples(
    st.integers(min_value=10**6, max_value=10**11).map(lambda p: Decimal(p) * PENNY + Decimal("500000")),
    st.tuples(st.integers(0, 100), st.integers(0, 100)),
    st.sampled_from([1, 2, 3, 4, 6, 12]),
    st.integers(min_value=0, max_value=100),
)


@SETTINGS
@given(schemes)
def test_on_account_instalments_sum_to_the_on_account_total(scheme, drawn):
    tariff, cut, count, on_account = drawn
    shares = _shares(cut)
    if sum(shares) != 100 or not any(shares):
        return
    p = price(_with(scheme, tariff, shares, count, on_account))
    assert sum(p.instalments, Decimal(0)) == p.on_account_total
    assert sum((c.on_account for c in p.commissioners), Decimal(0)) == p.on_account_total
    for c in p.commissioners:
        assert sum(c.instalments, Decimal(0)) == c.on_account
    assert sum((i.value for i in p.indicators), Decimal(0)) == p.expected_value
    assert sum((c.value for c in p.commissioners), Decimal(0)) == p.expected_value


measured = st.one_of(st.none(), st.integers(min_value=0, max_value=1000).map(lambda v: Decimal(v) / 10))


def _achievement(scheme, values, met, forecast, actual):
    measurements = []
    for month, month_values in zip((6, 9, 12), values):
        for number, value in zip(("S1", "E1", "X1"), month_values):
            if value is not None:
                measurements.append(Measurement(number, month, value, None, "", ()))
    for month, m in zip((6, 9, 12), met):
        if m is not None:
            measurements.append(Measurement("I1", month, None, m, "", ()))
    forecasts = tuple(Forecast(m, b, ()) for m, b in zip((6, 9), forecast))
    return Achievement("", scheme.financial_year, scheme.provider.code, "pct", forecasts, actual, tuple(measurements), ())


achievements = st.tuples(
    st.lists(st.lists(measured, min_size=3, max_size=3), min_size=3, max_size=3),
    st.lists(st.one_of(st.none(), st.booleans()), min_size=3, max_size=3),
    st.lists(positive_pence, min_size=2, max_size=2),
    positive_pence,
)


@SETTINGS
@given(achievements, st.sampled_from([6, 9, 12]), st.randoms(use_true_random=False))
def test_reconciliation_adds_up_and_ignores_indicator_order(scheme, drawn, month, rng):
    achievement = _achievement(scheme, *drawn)
    r = reconcile(scheme, achievement, month)
    assert r.earned - r.paid == r.adjustment
    assert sum((i.earned for i in r.indicators), Decimal(0)) == r.earned
    assert sum((c.adjustment for c in r.commissioners), Decimal(0)) == r.adjustment
    assert all(0 <= i.exact_fraction <= 1 for i in r.indicators)

    goals = list(scheme.goals)
    rng.shuffle(goals)
    shuffled = dataclasses.replace(scheme, goals=tuple(goals))
    s = reconcile(shuffled, achievement, month)
    assert (s.pot, s.earned, s.paid, s.adjustment) == (r.pot, r.earned, r.paid, r.adjustment)
    assert [c.adjustment for c in s.commissioners] == [c.adjustment for c in r.commissioners]
    assert price(shuffled).expected_value == price(scheme).expected_value
    assert price(shuffled).instalments == price(scheme).instalments


def _largest_remainder(pence: int, weights: list[Fraction]) -> list[int]:
    """An independent exact split in whole pence: floors, then one penny each by remainder, ties to the first listed."""
    whole = sum(weights)
    shares = [pence * w / whole for w in weights]
    parts = [s.numerator // s.denominator for s in shares]
    ranked = sorted(
        range(len(shares)), key=lambda i: shares[i] - parts[i], reverse=True
    )  # stable: equal remainders keep list order
    for i in ranked[: pence - sum(parts)]:
        parts[i] += 1
    return parts


@st.composite
def exact_ties(draw):
    """Weights whose shares of the total have exactly equal fractional pence, at very different sizes.

    Each tied part's exact share is q + k/d pence (q drawn from 1 to 10^12, so the shares differ
    in their number of digits); one filler part makes the total whole pence. The weights are the
    shares times d, written as percentages with two decimals, in a shuffled order.
    """
    d = draw(st.sampled_from([3, 6, 7, 9, 11, 13, 17, 21, 27, 49, 81]))
    k = draw(st.integers(min_value=1, max_value=d - 1))
    tied = draw(
        st.lists(
            st.integers(min_value=0, max_value=12).flatmap(lambda e: st.integers(min_value=10**e, max_value=2 * 10**e)),
            min_size=2,
            max_size=6,
        )
    )
    filler_q = draw(st.integers(min_value=0, max_value=10**9))
    filler_k = -len(tied) * k % d
    shares = [Fraction(q) + Fraction(k, d) for q in tied] + [Fraction(filler_q) + Fraction(filler_k, d)]
    order = draw(st.permutations(range(len(shares))))
    shares = [shares[i] for i in order]
    pence = sum(shares)
    assert pence.denominator == 1
    return Decimal(int(pence)) * PENNY, [Decimal(int(s * d)) / 100 for s in shares]


@SETTINGS
@given(exact_ties())
def test_an_exact_tie_goes_to_the_part_listed_first(drawn):
    total, weights = drawn
    parts = [int(p / PENNY) for p in split(total, weights)]
    pence = int(total / PENNY)
    assert sum(parts) == pence
    exact = [Fraction(pence) * Fraction(w) / sum(map(Fraction, weights)) for w in weights]
    remainder = [e - (e.numerator // e.denominator) for e in exact]
    for i in range(len(parts)):
        for j in range(i + 1, len(parts)):
            if remainder[i] == remainder[j] and remainder[i]:
                up_i, up_j = parts[i] > exact[i], parts[j] > exact[j]
                assert up_i or not up_j, f"part {j + 1} got the penny before part {i + 1}, listed first, with the same remainder"
    assert parts == _largest_remainder(pence, [Fraction(w) for w in weights])


@SETTINGS
@given(total=pence, weights=weights)
def test_splits_agree_with_an_exact_fraction_split(total, weights):
    magnitude = [int(p / PENNY) for p in split(abs(total), weights)]
    assert magnitude == _largest_remainder(int(abs(total) / PENNY), [Fraction(w) for w in weights])
    assert split(total, weights) == [p if total >= 0 else -p for p in split(abs(total), weights)]


def test_a_known_tie_of_two_indicators_goes_to_the_first():
    # 300,000.02 by 7 : 22 : 1 is 70,000.00467, 220,000.01467, 10,000.00067 pence in thirtieths:
    # the first two remainders are both exactly 14/30 of a penny; the first listed wins.
    assert split(Decimal("300000.02"), [Decimal(7), Decimal(22), Decimal(1)]) == [
        Decimal("70000.01"),
        Decimal("220000.01"),
        Decimal("10000.00"),
    ]


def test_fractions_split_exactly_too():
    assert split(Decimal("1.00"), [Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)]) == [
        Decimal("0.34"),
        Decimal("0.33"),
        Decimal("0.33"),
    ]
