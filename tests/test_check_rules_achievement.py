"""Achievement data checked against its scheme by `cquin validate` (rules E3xx), located to the key."""

from __future__ import annotations

import shutil

import pytest
from conftest import WORKED_EXAMPLE

from cquin_cli.load.discovery import achievement_file_for

ACHIEVEMENT = achievement_file_for(str(WORKED_EXAMPLE))


@pytest.fixture
def pair(tmp_path):
    """The worked example and its achievement data, copied to a scratch folder."""
    scheme = tmp_path / "northfield.yaml"
    shutil.copy(WORKED_EXAMPLE, scheme)
    data = tmp_path / "northfield.achievement.yaml"
    shutil.copy(ACHIEVEMENT, data)
    return scheme, data


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.replace(old, new, 1)


def _where(text, needle):
    """(line, column) of the first ``needle`` in ``text``, 1-based."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def test_the_worked_example_data_is_clean(cquin):
    result = cquin("validate", str(WORKED_EXAMPLE), ACHIEVEMENT)
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize(
    "old, new, code, at, words",
    [
        ("{indicator: S1, month: 9,", "{indicator: S9, month: 9,", "E303", "indicator: S9", "no indicator S9"),
        ("{indicator: X1, month: 12, value: 74", "{indicator: X1, month: 12, met: true", "E302", "met: true", "paid on a target"),
        (
            "{indicator: I1, month: 9, met: true}",
            "{indicator: I1, month: 9, value: 1}",
            "E302",
            "value: 1}",
            "paid on milestones",
        ),
        (
            "{indicator: S1, month: 12, value: 86}",
            "{indicator: S1, month: 9, value: 86}",
            "E305",
            "month: 9, value: 86",
            "measured twice for month 9",
        ),
        ("{month: 9, base:", "{month: 8, base:", "E304", "month: 8", "not a checkpoint"),
        ("provider: RNF", "provider: RXX", "E306", "provider: RXX", "provider RXX"),
        ("financial_year: 2009/10", "financial_year: 2010/11", "E306", "financial_year", "2010/11"),
        ('    amount: "154050.00"', '    amount: "154000.00"', "E308", 'amount: "154000.00"', "earned"),
        ('      5NC: "15405.00"', '      5NX: "15405.00"', "E308", "5NX", "commissioner 5NX"),
        # the baseline year's series (history:) is checked as the measurements are
        (
            "  - {indicator: S1, month: 2, value: 55}",
            "  - {indicator: S1, month: 1, value: 55}",
            "E305",
            "month: 1, value: 55}",
            "twice for month 1 of the baseline year",
        ),
        (
            "  - {indicator: E1, month: 3, value: 58}",
            "  - {indicator: E9, month: 3, value: 58}",
            "E303",
            "indicator: E9",
            "no indicator E9",
        ),
        (
            "  - {indicator: E1, month: 3, value: 58}",
            "  - {indicator: I1, month: 3, value: 58}",
            "E302",
            "value: 58}\n  - {indicator: E1, month: 4",
            "no baseline series",
        ),
        (
            "  - {indicator: E1, month: 3, value: 58}",
            "  - {indicator: E1, month: 13, value: 58}",
            "E108",
            "month: 13",
            "from 1 (April) to 12",
        ),
        (
            "  - {indicator: E1, month: 3, value: 58}",
            '  - {indicator: E1, month: 3, value: "58%"}',
            "E103",
            'value: "58%"',
            "plain number",
        ),
        (
            "  - {indicator: E1, month: 3, value: 58}",
            "  - {indicator: E1, month: 3}",
            "E101",
            "{indicator: E1, month: 3}",
            "no `value`",
        ),
    ],
)
def test_bad_achievement_data_is_located(cquin, pair, old, new, code, at, words):
    scheme, data = pair
    text = _edit(data, old, new)
    result = cquin("validate", str(scheme), str(data))
    assert result.exit_code == 1
    line, column = _where(text, at)
    located = [l for l in result.stdout.splitlines() if f" {code} " in l]
    assert located, result.stdout
    assert located[0].startswith(f"{data}:{line}:{column}: error {code} "), (located, line, column)
    assert words in located[0]


def test_adjustments_out_of_order(cquin, pair):
    scheme, data = pair
    text = data.read_text(encoding="utf-8")
    six = text.index("  - month: 6\n")
    nine = text.index("  - month: 9\n")
    data.write_text(text[:six] + text[nine:] + text[six:nine], encoding="utf-8")
    result = cquin("validate", str(scheme), str(data))
    assert result.exit_code == 1
    assert "E307 the adjustment for month 6 is recorded after the one for month 9" in result.stdout


@pytest.mark.parametrize(
    "old, new, code, at",
    [
        ('actual: "202600000.00"', "actual: 202600000.005", "E105", "actual: "),  # three decimals in a YAML number
        ('actual: "202600000.00"', 'actual: "202600000.005"', "E105", "actual: "),  # ... and in text
        ("value: 62.5}", "value: .nan}", "E103", "value: .nan"),  # not finite
        ("value: 62.5}", "value: sixty}", "E103", "value: sixty"),  # not a number
        ("{indicator: S1, month: 6,", "{indicator: S1, month: 13,", "E108", "month: 13"),  # outside the year
    ],
)
def test_bad_values_are_located(cquin, pair, old, new, code, at):
    scheme, data = pair
    text = _edit(data, old, new)
    result = cquin("validate", str(data))
    assert result.exit_code == 1
    line, column = _where(text, at)
    assert f"{data}:{line}:{column}: error {code} " in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_achievement_data_without_its_scheme(cquin, tmp_path):
    lonely = tmp_path / "lonely.achievement.yaml"
    shutil.copy(ACHIEVEMENT, lonely)
    result = cquin("validate", str(lonely))
    assert result.exit_code == 1
    assert "E301 no scheme beside this achievement data: expected lonely.yaml" in result.stdout
