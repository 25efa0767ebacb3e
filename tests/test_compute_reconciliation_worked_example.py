"""DOMAIN.md §4's worked example, to the penny, at every checkpoint (the library, not the CLI)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_scheme_file, read_document
from cquin_cli.check.schema import ACHIEVEMENT
from cquin_cli.compute.reconciliation import CARRIED_ON_ACCOUNT, ReconciliationRefused, reconcile
from cquin_cli.load.achievement import build_achievement
from cquin_cli.load.discovery import achievement_file_for

D = Decimal


@pytest.fixture(scope="module")
def scheme():
    result = check_scheme_file(str(WORKED_EXAMPLE))
    assert not result.diagnostics
    return result.scheme


@pytest.fixture(scope="module")
def achievement():
    file = achievement_file_for(str(WORKED_EXAMPLE))
    values, diagnostics = read_document(file, ACHIEVEMENT)
    assert not diagnostics
    built = build_achievement(values, file)
    assert not built.problems
    return built


EXPECTED = {
    # month: pot, sum(w x a), E, P, A, A by commissioner, a by indicator
    6: (
        "1020000.00",
        "0.63",
        "321300.00",
        "450000.00",
        "-128700.00",
        ("-90090.00", "-25740.00", "-12870.00"),
        ("1", "0.5", "0.9", "0"),
    ),
    9: (
        "1015000.00",
        "0.92",
        "700350.00",
        "546300.00",
        "154050.00",
        ("107835.00", "30810.00", "15405.00"),
        ("1", "0.8", "0.9", "1"),
    ),
    12: (
        "1013000.00",
        "0.74",
        "749620.00",
        "925350.00",
        "-175730.00",
        ("-123011.00", "-35146.00", "-17573.00"),
        ("0.8", "1", "0", "1"),
    ),
}


@pytest.mark.parametrize("month", [6, 9, 12])
def test_worked_example_to_the_penny(scheme, achievement, month):
    pot, weighted, earned, paid, adjustment, parts, fractions = EXPECTED[month]
    r = reconcile(scheme, achievement, month)
    assert r.pot == D(pot)
    assert r.weighted_achievement == D(weighted)
    assert r.earned == D(earned)
    assert r.paid == D(paid)
    assert r.adjustment == D(adjustment)
    assert [c.code for c in r.commissioners] == ["5NF", "5NB", "5NC"]
    assert [c.adjustment for c in r.commissioners] == [D(p) for p in parts]
    assert [i.fraction for i in r.indicators] == [D(f) for f in fractions]
    assert sum(i.earned for i in r.indicators) == r.earned
    assert r.earned - r.paid == r.adjustment


def test_x1_is_carried_on_account_in_year(scheme, achievement):
    x1 = reconcile(scheme, achievement, 6).indicators[2]
    assert x1.number == "X1" and x1.status == CARRIED_ON_ACCOUNT
    assert "carried on account at 90%" in x1.rule_applied


def test_month_7_is_refused(scheme, achievement):
    with pytest.raises(ReconciliationRefused, match="checkpoints are months 6, 9, 12"):
        reconcile(scheme, achievement, 7)
