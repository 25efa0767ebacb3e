"""The shipped sample schemes: each validates clean, lints clean, and shows what it claims to.

A newcomer's first run is `cquin validate sample_schemes/`, so every sample must be a
scheme the framework accepts and a well-designed one by the lint checks (the one
warning, W219 on the 2020/21 sample, is the year's own: CQUIN was suspended); the achievement data beside three of them must reconcile at
every checkpoint and, between them, exercise linear, banded and lower-is-better
indicators and carrying on account (issue 3, item 5). docs/samples.md describes each.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_paths
from cquin_cli.load.discovery import achievement_file_for, is_achievement_file

SCHEME_FILES = sorted(p for p in SAMPLES.rglob("*.yaml") if not is_achievement_file(str(p)))
OWN_SCHEMES = [p for p in SCHEME_FILES if p.parent != WORKED_EXAMPLE.parent]
ACHIEVEMENT_FILES = sorted(p for p in SAMPLES.rglob("*.yaml") if is_achievement_file(str(p)))
OWN_ACHIEVEMENTS = [p for p in ACHIEVEMENT_FILES if p.parent != WORKED_EXAMPLE.parent]
CLEAN = "no problems (0 errors, 0 warnings)"
# The one warning a sample carries on purpose: in 2020/21 CQUIN was suspended and a non-NHS
# provider paid in full, which `cquin validate` says (W219); `cquin lint` sees it suppressed.
PAID_IN_FULL = SAMPLES / "later-years" / "northfield-treatment-centre-2020-21.yaml"
W219 = "0 errors, 1 warning"


def _id(path: Path) -> str:
    return str(path.relative_to(SAMPLES))


def test_at_least_eight_samples_besides_the_worked_example():
    assert len(OWN_SCHEMES) >= 8, [_id(p) for p in OWN_SCHEMES]


@pytest.mark.parametrize("scheme", SCHEME_FILES, ids=_id)
def test_each_sample_scheme_validates_clean(cquin, scheme):
    result = cquin("validate", str(scheme))
    assert result.exit_code == 0, result.stdout
    if scheme == PAID_IN_FULL:
        assert W219 in result.stdout and result.stdout.count(" warning W219 ") == 1, result.stdout
    else:
        assert CLEAN in result.stdout, result.stdout


@pytest.mark.parametrize("achievement", ACHIEVEMENT_FILES, ids=_id)
def test_each_achievement_file_validates_clean_beside_its_scheme(cquin, achievement):
    scheme = next(p for p in SCHEME_FILES if achievement_file_for(str(p)) == str(achievement))
    result = cquin("validate", str(scheme), str(achievement))
    assert result.exit_code == 0, result.stdout
    assert (W219 if scheme == PAID_IN_FULL else CLEAN) in result.stdout, result.stdout


def test_the_whole_folder_validates_clean_together(cquin):
    # Validated together, the one-scheme-per-provider-per-year rule (E203) sees every file.
    result = cquin("validate", str(SAMPLES))
    assert result.exit_code == 0, result.stdout
    assert f"{W219} in 1 of {len(SCHEME_FILES) + len(ACHIEVEMENT_FILES)} files" in result.stdout
    assert result.stdout.count(": warning ") == 1 and ": warning W219 " in result.stdout


def test_the_samples_are_good_schemes_by_the_design_checks(cquin):
    # Every design-quality check of DOMAIN.md §6, portfolio checks (unequal stretch
    # between providers of one commissioner, ¶71) included.
    result = cquin("lint", *(str(p) for p in OWN_SCHEMES + OWN_ACHIEVEMENTS))
    assert result.exit_code == 0, result.stdout
    # the one suppression: W219 on the 2020/21 sample, with its reason
    assert "no problems (0 errors, 0 warnings, 1 suppressed)" in result.stdout, result.stdout
    assert "# cquin: allow W219 -- CQUIN suspended" in PAID_IN_FULL.read_text(encoding="utf-8")


def test_the_samples_are_laid_out_canonically(cquin):
    # A newcomer copies a sample to start a scheme; it should already be as `cquin fmt` writes it.
    result = cquin("fmt", "--check", *(str(p) for p in OWN_SCHEMES + OWN_ACHIEVEMENTS))
    assert result.exit_code == 0, result.stdout
    assert f"0 of {len(OWN_SCHEMES) + len(OWN_ACHIEVEMENTS)} files would be reformatted" in result.stdout


def test_no_two_samples_share_a_provider_year_and_route():
    schemes = [r.scheme for r in check_paths([str(SAMPLES)]).results if r.scheme is not None]
    keys = [s.key for s in schemes]
    assert len(keys) == len(SCHEME_FILES) == len(set(keys))


def test_coventry_dementia_pathway_is_shared_by_three_sectors():
    # Seed 002: one pathway across acute, community and mental health providers.
    schemes = [r.scheme for r in check_paths([str(SAMPLES)]).results if r.scheme is not None]
    carrying = [s for s in schemes if any(i.pathway == "cw-dementia" for i in s.indicators)]
    assert sorted(s.provider.sector for s in carrying) == ["acute", "community", "mental_health"]
    for scheme in carrying:
        assert scheme.financial_year == "2010/11"
        assert scheme.rate == Decimal("1.5")
        assert scheme.coordinating_commissioner.code == "5MD"


def test_at_least_three_samples_besides_the_worked_example_have_achievement_data():
    assert len(OWN_ACHIEVEMENTS) >= 3
    for achievement in OWN_ACHIEVEMENTS:
        assert any(achievement_file_for(str(p)) == str(achievement) for p in OWN_SCHEMES), achievement


def _reconcile(cquin, achievement: Path, month: int) -> dict:
    scheme = next(p for p in SCHEME_FILES if achievement_file_for(str(p)) == str(achievement))
    result = cquin("reconcile", str(scheme), "--month", str(month), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_sample_achievement_data_exercises_every_kind_of_payment(cquin):
    """Between them: linear, bands and lower-is-better indicators assessed; carried on account; milestones."""
    seen: set[tuple[str, str, str]] = set()
    checkpoints = {r.file: r.scheme.payment.checkpoints for r in check_paths([str(SAMPLES)]).results if r.scheme is not None}
    for achievement in OWN_ACHIEVEMENTS:
        scheme = next(p for p in SCHEME_FILES if achievement_file_for(str(p)) == str(achievement))
        for month in checkpoints[str(scheme)]:  # a year paid in advance reconciles at its own checkpoints
            report = _reconcile(cquin, achievement, month)
            assert report["month"] == month
            for indicator in report["indicators"]:
                seen.add((indicator["rule"], indicator["direction"] or "", indicator["status"]))
    assessed = {(rule, direction) for rule, direction, status in seen if status == "assessed"}
    assert ("linear", "higher") in assessed
    assert ("linear", "lower") in assessed
    assert ("bands", "higher") in assessed
    assert any(rule == "milestone" for rule, _ in assessed)
    assert any(status == "carried_on_account" and rule == "linear" for rule, _, status in seen), (
        "a measured indicator with no month-6 value"
    )
    assert not any(status == "missing_at_year_end" for _, _, status in seen)
