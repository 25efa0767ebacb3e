"""`reconcile_checkpoint`: the one way from a scheme and its achievement file to a reconciliation."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from conftest import WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_achievement_file, check_scheme_file
from cquin_cli.compute.checkpoint import (
    DATA_ERRORS,
    NO_DATA,
    NOT_A_CHECKPOINT,
    NOT_A_FILE,
    REFUSED,
    reconcile_checkpoint,
)
from cquin_cli.load.discovery import achievement_file_for

ACHIEVEMENT = achievement_file_for(str(WORKED_EXAMPLE))


@pytest.fixture
def scheme():
    return check_scheme_file(str(WORKED_EXAMPLE)).scheme


@pytest.fixture
def copy(tmp_path):
    """The worked example and its data in a scratch folder; returns (scheme, data path)."""
    shutil.copy(WORKED_EXAMPLE, tmp_path / "northfield.yaml")
    shutil.copy(ACHIEVEMENT, tmp_path / "northfield.achievement.yaml")
    return check_scheme_file(str(tmp_path / "northfield.yaml")).scheme, tmp_path / "northfield.achievement.yaml"


@pytest.mark.parametrize("month, adjustment", [(6, "-128700.00"), (9, "154050.00"), (12, "-175730.00")])
def test_the_data_beside_the_scheme_reconciles_the_worked_example(scheme, month, adjustment):
    done = reconcile_checkpoint(scheme, month)
    assert done.refusal is None and not done.could_not_run
    assert done.achievement_file == ACHIEVEMENT
    assert done.reconciliation.adjustment == Decimal(adjustment)
    assert done.achievement.file == ACHIEVEMENT


def test_not_a_checkpoint_is_refused_before_the_data_is_looked_for(scheme, tmp_path):
    done = reconcile_checkpoint(scheme, 7, str(tmp_path / "nothing-here.yaml"))
    assert done.refused_because == NOT_A_CHECKPOINT and done.could_not_run
    assert "month 7 is not a reconciliation checkpoint" in done.refusal and "months 6, 9, 12" in done.refusal


def test_missing_data_names_the_convention(copy):
    scheme, data = copy
    data.unlink()
    done = reconcile_checkpoint(scheme, 6)
    assert done.refused_because == NO_DATA and done.could_not_run
    assert f"{data} does not exist" in done.refusal and "or name it with --achievement" in done.refusal


@pytest.mark.parametrize("kind", ["folder", "device"])
def test_a_folder_or_a_device_is_not_achievement_data(scheme, tmp_path, kind):
    given = str(tmp_path) if kind == "folder" else "/dev/null"
    done = reconcile_checkpoint(scheme, 6, given)
    assert done.refused_because == NOT_A_FILE and done.could_not_run
    assert ("is a folder" if kind == "folder" else "is not a regular file") in done.refusal


def test_data_with_errors_is_refused_with_its_located_diagnostics_unless_forced(copy):
    scheme, data = copy
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("{indicator: S1, month: 6,", "{indicator: S7, month: 6,", 1), encoding="utf-8")
    done = reconcile_checkpoint(scheme, 6)
    assert done.refused_because == DATA_ERRORS and not done.could_not_run
    assert done.reconciliation is None
    assert [d.code for d in done.errors] == ["E303"] and done.errors[0].location.line > 1
    assert "has 1 error; fix them first" in done.refusal
    forced = reconcile_checkpoint(scheme, 6, force=True)
    assert forced.refusal is None and forced.reconciliation is not None
    assert [d.code for d in forced.errors] == ["E303"]


def test_year_end_without_actual_outturn_is_refused(copy):
    scheme, data = copy
    text = data.read_text(encoding="utf-8")
    start = text.index("  actual:")
    data.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    done = reconcile_checkpoint(scheme, 12)
    assert done.refused_because == REFUSED and done.could_not_run
    assert "needs the actual outturn" in done.refusal


def test_data_already_checked_is_not_read_again(copy):
    scheme, data = copy
    checked = check_achievement_file(str(data), {}, scheme=scheme)
    data.unlink()  # had it been read again, this would be "no achievement data"
    done = reconcile_checkpoint(scheme, 6, str(data), checked=checked)
    assert done.refusal is None and done.reconciliation.adjustment == Decimal("-128700.00")


def test_a_looping_link_is_named_as_such(tmp_path):
    from conftest import WORKED_EXAMPLE, run_cli

    (tmp_path / "loopA").symlink_to(tmp_path / "loopB")
    (tmp_path / "loopB").symlink_to(tmp_path / "loopA")
    result = run_cli("reconcile", str(WORKED_EXAMPLE), "--month", "6", "--achievement", str(tmp_path / "loopA"))
    assert result.exit_code == 2 and "broken or looping symbolic link" in result.stderr
    diff = run_cli("diff", str(WORKED_EXAMPLE), str(tmp_path / "loopA"))
    assert diff.exit_code == 2 and "broken or looping symbolic link" in diff.stderr
