"""`cquin reconcile --record` is a ledger entry: one writer at a time, and only figures built from the data.

* two runs recording into one achievement file at once: the file's lock serialises
  them; exactly one records, the other refuses (exit 2), the file holds exactly what the
  success message says;
* a file changed by someone else while cquin records is not overwritten: "changed while
  recording, nothing was written";
* a checkpoint where no indicator has a measurement is refused unless
  ``--allow-carried``, and the record then says so;
* the recorded date lies between the end of the checkpoint month and twelve months
  after the financial year ends.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, WORKED_EXAMPLE, run_cli

from cquin_cli.load.discovery import achievement_file_for
from cquin_cli.load.yaml_reader import read_yaml

ACHIEVEMENT = Path(achievement_file_for(str(WORKED_EXAMPLE)))

# Each run is a real `cquin` process. It waits for one byte on its standard input before it
# starts, so the two runs of a pair start together and race for the file.
START_TOGETHER = "import sys; sys.stdin.buffer.read(1); from cquin_cli.cli import main; main(sys.argv[1:])"


def unrecorded(folder: Path) -> tuple[Path, Path]:
    """The worked example in ``folder``, its achievement data before any --record."""
    folder.mkdir(parents=True, exist_ok=True)
    scheme = folder / "northfield.yaml"
    shutil.copy(WORKED_EXAMPLE, scheme)
    text = ACHIEVEMENT.read_text(encoding="utf-8")
    data = folder / "northfield.achievement.yaml"
    data.write_text(text[: text.index("adjustments:\n")], encoding="utf-8")
    return scheme, data


def adjustments(data: Path) -> list[dict]:
    return [
        {k: str(v) if k != "month" else v for k, v in a.items() if k in ("month", "amount", "paid")}
        for a in read_yaml(data).value.get("adjustments") or []
    ]


def race(
    pairs: list[tuple[list[str], list[str]]], folder: Path
) -> list[tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]]:
    """Run each pair of `cquin` command lines as two processes started at the same moment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    results = []
    for n, pair in enumerate(pairs):
        outputs = [(folder / f"out{n}-{i}", folder / f"err{n}-{i}") for i in range(2)]
        procs = []
        for args, (out, err) in zip(pair, outputs):
            with open(out, "w") as stdout, open(err, "w") as stderr:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-c", START_TOGETHER, *args],
                        stdin=subprocess.PIPE,
                        stdout=stdout,
                        stderr=stderr,
                        cwd=ROOT,
                        env=env,
                    )
                )
        for p in procs:
            p.stdin.write(b"g")
        for p in procs:
            p.stdin.close()
        done = [
            subprocess.CompletedProcess(args, p.wait(timeout=60), out.read_text(), err.read_text())
            for p, args, (out, err) in zip(procs, pair, outputs)
        ]
        results.append((done[0], done[1]))
    return results


def record_args(scheme: Path, month: int, date: str) -> list[str]:
    return ["reconcile", str(scheme), "--month", str(month), "--record", "--date", date, "--format", "json"]


# --- item 1: one writer at a time -----------------------------------------------------------


def test_two_runs_recording_one_checkpoint_at_once_record_it_once(tmp_path):
    folders = [unrecorded(tmp_path / f"pair{n}") for n in range(24)]
    pairs = [(record_args(s, 6, "2009-10-30"), record_args(s, 6, "2009-10-31")) for s, _ in folders]
    for (_scheme, data), (a, b) in zip(folders, race(pairs, tmp_path)):
        assert sorted((a.returncode, b.returncode)) == [0, 2], (a.stderr, b.stderr)
        won, lost = (a, b) if a.returncode == 0 else (b, a)
        assert f"recorded the month-6 adjustment of -£128,700.00 in {data}" in won.stderr
        assert "already recorded" in lost.stderr and lost.stdout == ""
        assert "Traceback" not in won.stderr + lost.stderr
        # what the winner said is what the file holds: one adjustment, dated as the winner asked
        date = won.args[won.args.index("--date") + 1]
        assert f"(recorded {date};" in won.stderr
        entries = read_yaml(data).value["adjustments"]
        assert [(a["month"], a["amount"], a["recorded"]) for a in entries] == [(6, "-128700.00", date)]
        assert sorted(p.name for p in data.parent.iterdir()) == ["northfield.achievement.yaml", "northfield.yaml"]


def test_two_runs_recording_consecutive_checkpoints_at_once_keep_the_ledger_true(tmp_path):
    """6 and 9 at once: 9 counts 6 when 6 went first, or 6 is refused as out of order; never a lost or stale entry."""
    folders = [unrecorded(tmp_path / f"pair{n}") for n in range(12)]
    pairs = [(record_args(s, 6, "2009-10-30"), record_args(s, 9, "2010-01-29")) for s, _ in folders]
    for (_scheme, data), (six, nine) in zip(folders, race(pairs, tmp_path)):
        assert nine.returncode == 0, nine.stderr
        if six.returncode == 0:  # 6 went first: 9 was reconciled with it, as the sample was
            assert "recorded the month-6 adjustment of -£128,700.00" in six.stderr
            assert "recorded the month-9 adjustment of £154,050.00" in nine.stderr
            assert data.read_bytes() == ACHIEVEMENT.read_bytes()
            assert adjustments(data) == [
                {"month": 6, "amount": "-128700.00", "paid": "450000.00"},
                {"month": 9, "amount": "154050.00", "paid": "546300.00"},
            ]
        else:  # 9 went first and settled 6 with it
            assert six.returncode == 2 and "checkpoint order" in six.stderr, six.stderr
            assert "recorded the month-9 adjustment of £25,350.00" in nine.stderr
            assert adjustments(data) == [{"month": 9, "amount": "25350.00", "paid": "675000.00"}]


def test_a_file_changed_by_someone_else_while_recording_is_not_overwritten(tmp_path, monkeypatch):
    """An editor saves the file after cquin read it and before cquin renames its new text over it."""
    from cquin_cli.format import adjustment_record

    scheme, data = unrecorded(tmp_path)
    edited = data.read_text(encoding="utf-8").replace(
        "  - {indicator: S1, month: 6, value: 62}\n", "  - {indicator: S1, month: 6, value: 63}  # corrected\n"
    )
    original = adjustment_record._only_inserted

    def meanwhile(old, new):
        data.write_text(edited, encoding="utf-8")  # written in place, as an editor may, without cquin's lock
        return original(old, new)

    monkeypatch.setattr(adjustment_record, "_only_inserted", meanwhile)
    result = run_cli("reconcile", str(scheme), "--month", "6", "--record", "--date", "2009-10-30")
    assert result.exit_code == 2, result.stderr
    assert f"{data} changed while recording, nothing was written" in result.stderr
    assert data.read_text(encoding="utf-8") == edited  # the editor's text is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["northfield.achievement.yaml", "northfield.yaml"]


def test_a_lock_file_left_by_a_killed_run_does_not_stop_the_next(tmp_path):
    scheme, data = unrecorded(tmp_path)
    Path(f"{data}.lock").write_text("", encoding="utf-8")  # as a run killed while recording leaves it
    result = run_cli("reconcile", str(scheme), "--month", "6", "--record", "--date", "2009-10-30")
    assert result.exit_code == 0, result.stderr
    assert adjustments(data) == [{"month": 6, "amount": "-128700.00", "paid": "450000.00"}]
    assert not Path(f"{data}.lock").exists()


def test_a_run_that_waits_too_long_for_the_lock_refuses(tmp_path, monkeypatch):
    import fcntl

    from cquin_cli.format import adjustment_record

    scheme, data = unrecorded(tmp_path)
    before = data.read_bytes()
    monkeypatch.setattr(adjustment_record, "LOCK_WAIT_SECONDS", 0.3)
    with open(f"{data}.lock", "w") as held:  # another cquin run, recording into the same file
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run_cli("reconcile", str(scheme), "--month", "6", "--record", "--date", "2009-10-30")
    assert result.exit_code == 2
    assert f"another cquin run is recording into {data}" in result.stderr and "nothing was written" in result.stderr
    assert data.read_bytes() == before


def test_a_waiting_run_records_once_the_lock_is_released(tmp_path):
    import fcntl

    scheme, data = unrecorded(tmp_path)
    outcome = []
    with open(f"{data}.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = threading.Thread(
            target=lambda: outcome.append(run_cli("reconcile", str(scheme), "--month", "6", "--record", "--date", "2009-10-30"))
        )
        waiting.start()
        waiting.join(0.3)
        assert waiting.is_alive() and "adjustments:" not in data.read_text(encoding="utf-8")
    waiting.join(10)
    assert outcome[0].exit_code == 0, outcome[0].stderr
    assert adjustments(data) == [{"month": 6, "amount": "-128700.00", "paid": "450000.00"}]


# --- item 2: figures built from the data, dated when they can have been agreed --------------


@pytest.fixture
def nothing_measured_at_9(tmp_path):
    """Month 6 recorded; no month-9 measurement and no month-9 forecast."""
    scheme, data = unrecorded(tmp_path)
    assert run_cli("reconcile", str(scheme), "--month", "6", "--record", "--date", "2009-10-30").exit_code == 0
    text = data.read_text(encoding="utf-8")
    for line in (
        '    - {month: 9, base: "203000000.00"}\n',
        "  - {indicator: S1, month: 9, value: 76}\n",
        "  - {indicator: E1, month: 9, value: 68}\n",
        "  - {indicator: I1, month: 9, met: true}\n",
    ):
        assert line in text
        text = text.replace(line, "")
    data.write_text(text, encoding="utf-8")
    return scheme, data


def test_a_checkpoint_with_no_measurement_is_not_recorded(nothing_measured_at_9):
    scheme, data = nothing_measured_at_9
    before = data.read_bytes()
    result = run_cli("reconcile", str(scheme), "--month", "9", "--record", "--date", "2010-01-29")
    assert result.exit_code == 2
    assert "no indicator has a measurement for month 9" in result.stderr
    assert "carried on account" in result.stderr
    assert f"Add the month-9 measurements to {data}" in result.stderr and "--allow-carried" in result.stderr
    assert result.stdout == ""
    assert data.read_bytes() == before
    # reconciling without recording still shows the figure
    shown = run_cli("reconcile", str(scheme), "--month", "9", "--format", "json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["adjustment"] == "128700.00"  # undoes the month-6 clawback


def test_allow_carried_records_it_and_says_so(nothing_measured_at_9):
    scheme, data = nothing_measured_at_9
    result = run_cli("reconcile", str(scheme), "--month", "9", "--record", "--date", "2010-01-29", "--allow-carried")
    assert result.exit_code == 0, result.stderr
    assert "recorded the month-9 adjustment of £128,700.00" in result.stderr
    entry = read_yaml(data).value["adjustments"][-1]
    assert (entry["month"], entry["amount"]) == (9, "128700.00")
    assert (
        entry["note"]
        == "recorded with --allow-carried: no indicator had a measurement for month 9, every indicator was carried on account"
    )
    assert '    note: "recorded with --allow-carried: ' in data.read_text(encoding="utf-8")
    assert run_cli("validate", str(data)).exit_code == 0


def test_one_measurement_is_enough(nothing_measured_at_9):
    scheme, data = nothing_measured_at_9
    data.write_text(
        data.read_text(encoding="utf-8").replace(
            "  - {indicator: I1, month: 6, met: false",
            "  - {indicator: I1, month: 9, met: true}\n  - {indicator: I1, month: 6, met: false",
        ),
        encoding="utf-8",
    )
    result = run_cli("reconcile", str(scheme), "--month", "9", "--record", "--date", "2010-01-29")
    assert result.exit_code == 0, result.stderr
    assert "note" not in read_yaml(data).value["adjustments"][-1]


def test_allow_carried_is_for_record(tmp_path):
    scheme, _ = unrecorded(tmp_path)
    result = run_cli("reconcile", str(scheme), "--month", "6", "--allow-carried")
    assert result.exit_code == 2 and "use it with --record" in result.stderr


@pytest.mark.parametrize(
    "month, date, why",
    [
        (6, "2009-01-01", "before the end of the checkpoint month (30 September 2009)"),
        (6, "2009-09-29", "before the end of the checkpoint month (30 September 2009)"),
        (12, "2010-03-30", "before the end of the checkpoint month (31 March 2010)"),
        (12, "2011-04-01", "more than 12 months after the financial year 2009/10 ended (31 March 2010)"),
        (6, "2031-10-30", "more than 12 months after the financial year 2009/10 ended (31 March 2010)"),
    ],
)
def test_an_implausible_date_is_refused(tmp_path, month, date, why):
    scheme, data = unrecorded(tmp_path)
    before = data.read_bytes()
    result = run_cli("reconcile", str(scheme), "--month", str(month), "--record", "--date", date)
    assert result.exit_code == 2
    assert f"--date {date} is {why}" in result.stderr
    assert "nothing was written" in result.stderr
    assert data.read_bytes() == before


@pytest.mark.parametrize("month, date", [(6, "2009-09-30"), (12, "2010-03-31"), (12, "2011-03-31")])
def test_the_first_and_last_plausible_dates_are_accepted(tmp_path, month, date):
    scheme, data = unrecorded(tmp_path)
    result = run_cli("reconcile", str(scheme), "--month", str(month), "--record", "--date", date)
    assert result.exit_code == 0, result.stderr
    assert read_yaml(data).value["adjustments"][-1]["recorded"] == date


def test_without_date_today_is_refused_when_implausible(tmp_path):
    scheme, data = unrecorded(tmp_path)
    before = data.read_bytes()
    result = run_cli("reconcile", str(scheme), "--month", "6", "--record")
    assert result.exit_code == 2
    today = dt.date.today().isoformat()
    assert f"today ({today}) is more than 12 months after the financial year 2009/10 ended" in result.stderr
    assert "give the date the adjustment was agreed with --date YYYY-MM-DD" in result.stderr
    assert data.read_bytes() == before


@pytest.mark.parametrize(
    "month, today, used",
    [
        (6, dt.date(2009, 10, 30), True),
        (6, dt.date(2009, 9, 29), False),
        (12, dt.date(2011, 3, 31), True),
        (12, dt.date(2011, 4, 1), False),
    ],
)
def test_without_date_today_is_used_only_when_plausible(month, today, used):
    from cquin_cli.format.adjustment_record import RecordRefused, recording_date

    if used:
        assert recording_date("2009/10", month, None, today) == today
    else:
        with pytest.raises(RecordRefused, match=rf"^today \({today.isoformat()}\) is .*--date YYYY-MM-DD; nothing was written$"):
            recording_date("2009/10", month, None, today)
