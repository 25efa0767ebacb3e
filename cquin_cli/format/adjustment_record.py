"""``cquin reconcile --record``: write an agreed adjustment into the achievement file.

The achievement file is a negotiation record under review, so recording is careful:

* the new entry is appended to ``adjustments:`` (created at the end of the file if
  absent) through a ruamel.yaml round trip (:mod:`cquin_cli.load.yaml_roundtrip`), so
  comments, key order and the spelling of every other value are kept;
* the new text must differ from the old only by the inserted lines (and, for an empty
  ``adjustments: []``, that one key line). If the round trip would touch anything
  else (a file laid out in another indentation style), nothing is written and the
  user is told why;
* it refuses to record a checkpoint twice, or one earlier than a checkpoint already
  recorded (the adjustments are a ledger in checkpoint order; guidance ¶66);
* the new text is read back with :mod:`cquin_cli.load.yaml_reader` before writing, and
  the file again after writing (one meaning on every path, DOMAIN.md §8): the
  recorded values must be exactly the ones meant and every other value unchanged.
  The write is atomic (a temporary file in the same folder, then a rename); if the
  check after writing fails, the original text is put back.

Recording is a ledger entry, so it is also refused when:

* another run is recording into the same file: :func:`recording_lock` holds an
  exclusive lock (``flock``) on ``FILE.lock`` beside the achievement file from before
  the file is first read until after the new text is renamed into place, so two runs
  are one after the other, and the second sees what the first recorded (a checkpoint
  recorded twice is then refused as above). The lock file is created for the run and
  removed at its end; one left by a run that was killed holds no lock and is taken
  over by the next run. A run waits at most :data:`LOCK_WAIT_SECONDS` for the lock;
* the file changed after it was read (saved by an editor, or anything that does not
  take the lock): the file must still hold the bytes read when the lock was taken
  just before the new text is renamed over it;
* no indicator has a measurement for the checkpoint, so the figure is built from the
  on-account share alone (or, at year end, from nothing: every indicator counts 0),
  unless ``allow_carried``; the entry's ``note`` then says so;
* the date recorded is before the end of the checkpoint month, or more than 12 months
  after the financial year ends (:func:`date_refusal`); without a date, today is used
  only when it passes the same test.

Money is written as quoted text with two decimals (``"-128700.00"``), the format's
own convention, so no reader ever takes it for a float.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import difflib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from cquin_cli.compute.reconciliation import YEAR_END, Reconciliation
from cquin_cli.money import format_money, money_text


class RecordRefused(ValueError):
    """The adjustment cannot be recorded; nothing was written."""


LOCK_SUFFIX = ".lock"  # FILE.lock beside the achievement file FILE
LOCK_WAIT_SECONDS = 60.0  # how long a run waits for another run recording into the same file
_LOCK_POLL_SECONDS = 0.005


@dataclass(frozen=True, slots=True)
class Held:
    """An achievement file locked for recording, and its bytes when the lock was taken."""

    file: str
    raw: bytes


@dataclass(frozen=True, slots=True)
class Recorded:
    file: str
    month: int
    amount: Decimal
    recorded: _dt.date
    inserted_lines: int


def _lock(lock_path: str, file: str) -> int:
    """Open ``lock_path`` and lock it exclusively; the open descriptor. Raises :class:`RecordRefused`."""
    import stat
    import time

    try:
        import fcntl
    except ImportError:  # not a POSIX system
        raise RecordRefused("recording needs file locks (fcntl), which this system does not have; nothing was written") from None
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise RecordRefused(f"cannot create the lock file {lock_path} ({exc.strerror or exc}); nothing was written") from None
        try:
            opened = os.fstat(fd)
            if not stat.S_ISREG(opened.st_mode):
                raise RecordRefused(
                    f"{lock_path} is in the way: it is not a regular file, so {file} cannot be locked; remove it. Nothing was written"
                )
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise RecordRefused(
                            f"another cquin run is recording into {file} (it holds {lock_path}) and has not finished in "
                            f"{LOCK_WAIT_SECONDS:g} seconds; nothing was written"
                        ) from None
                    time.sleep(_LOCK_POLL_SECONDS)
            # The lock is ours if the name still leads to the file locked: the run before may have removed it.
            try:
                now = os.stat(lock_path, follow_symlinks=False)
            except FileNotFoundError:
                now = None
            if now is not None and (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _read_raw(file: str) -> bytes:
    from cquin_cli.load.yaml_reader import MAX_FILE_BYTES

    try:
        with open(file, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)  # a longer file is refused by the reader anyway
    except OSError as exc:
        raise RecordRefused(f"cannot read {file} ({exc.strerror or exc}); nothing was written") from None


@contextmanager
def recording_lock(file: str) -> Iterator[Held | None]:
    """Hold ``FILE.lock`` exclusively for the ``with`` block; see the module docstring.

    Yields the file's bytes as read once the lock is held, or None when ``file`` is not a
    regular file (nothing to record into: the reconciliation says why). Raises
    :class:`RecordRefused` when the lock cannot be had.
    """
    if not os.path.isfile(file):
        yield None
        return
    lock_path = file + LOCK_SUFFIX
    fd = _lock(lock_path, file)
    try:
        yield Held(file, _read_raw(file))
    finally:
        try:
            os.unlink(lock_path)  # before the lock is let go: a run waiting on it then sees it gone, and makes its own
        except OSError:
            pass
        os.close(fd)


def _long_date(day: _dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def date_refusal(financial_year: str, month: int, day: _dt.date) -> str | None:
    """Why ``day`` cannot be the date the adjustment at checkpoint ``month`` was agreed, or None.

    It is agreed once the checkpoint month is over (month 1 is April), and not more than
    12 months after the financial year ends (31 March).
    """
    try:
        first = int(financial_year[:4])
    except ValueError:
        return None
    year, calendar_month = (first, month + 3) if month <= 9 else (first + 1, month - 9)
    month_end = _dt.date(year, calendar_month, calendar.monthrange(year, calendar_month)[1])
    year_end = _dt.date(first + 1, 3, 31)
    if day < month_end:
        return f"before the end of the checkpoint month ({_long_date(month_end)})"
    if day > _dt.date(first + 2, 3, 31):
        return f"more than 12 months after the financial year {financial_year} ended ({_long_date(year_end)})"
    return None


def recording_date(financial_year: str, month: int, given: _dt.date | None, today: _dt.date) -> _dt.date:
    """The date to record: ``given``, else ``today``, when :func:`date_refusal` finds no fault with it."""
    day = given if given is not None else today
    why = date_refusal(financial_year, month, day)
    if why is None:
        return day
    if given is not None:
        raise RecordRefused(f"--date {given.isoformat()} is {why}; give the date the adjustment was agreed; nothing was written")
    raise RecordRefused(
        f"today ({today.isoformat()}) is {why}; give the date the adjustment was agreed with --date YYYY-MM-DD; nothing was written"
    )


def _carried_note(r: Reconciliation, file: str, allow_carried: bool) -> str:
    """The note for a figure with no measurement behind it; refused without ``allow_carried``."""
    if any(i.measured is not None or i.met is not None for i in r.indicators):
        return ""
    if not r.payment_mode.achievement_decides:  # paid in full (2020/21): no measurement decides it
        return ""
    m = r.month
    treated = "counted 0" if m == YEAR_END else "was carried on account"
    if allow_carried:
        return f"recorded with --allow-carried: no indicator had a measurement for month {m}, every indicator {treated}"
    treatment = "counts 0" if m == YEAR_END else "is carried on account"
    raise RecordRefused(
        f"no indicator has a measurement for month {m}, so every indicator {treatment} and the adjustment of "
        f"{format_money(r.adjustment)} measures nothing. Add the month-{m} measurements to {file}, or record it as it stands "
        "with --allow-carried (the record then says so); nothing was written"
    )


def _entry(r: Reconciliation, recorded: _dt.date, note: str):
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Q

    entry = CommentedMap()
    entry["month"] = r.month
    entry["amount"] = Q(money_text(r.adjustment))
    entry["earned"] = Q(money_text(r.earned))
    entry["paid"] = Q(money_text(r.paid))
    parts = CommentedMap()
    for c in r.commissioners:
        parts[c.code] = Q(money_text(c.adjustment))
    entry["by_commissioner"] = parts
    entry["recorded"] = Q(recorded.isoformat())
    if note:
        entry["note"] = Q(note)
    return entry


def _only_inserted(old: str, new: str) -> int:
    """How many lines ``new`` inserts into ``old``; refuses any other change."""
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    inserted = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            inserted += j2 - j1
            continue
        if (
            tag == "replace"
            and i2 - i1 == 1
            and before[i1].lstrip().startswith("adjustments:")
            and not before[i1].startswith((" ", "\t"))
        ):
            inserted += (j2 - j1) - 1  # `adjustments: []` became `adjustments:` and its first entry
            continue
        raise RecordRefused(
            "recording would also change lines other than the new adjustment (the file is laid out differently "
            f"from cquin's house style near line {i1 + 1}); nothing was written. Add the adjustment by hand, or "
            "lay the file out with 2-space mappings and '  - ' list items"
        )
    return inserted


def _check_written(text: str, file: str, old_values: dict, r: Reconciliation, recorded: _dt.date, note: str) -> None:
    """Read ``text`` with cquin's own reader: the new entry is as meant, everything else unchanged."""
    from cquin_cli.check.schema import ACHIEVEMENT, check_schema
    from cquin_cli.load.achievement import build_achievement
    from cquin_cli.load.yaml_reader import parse_yaml

    loaded = parse_yaml(text, file)
    if loaded.error is not None or not isinstance(loaded.value, dict):
        raise RecordRefused(
            f"the recorded file would not read back ({loaded.error.message if loaded.error else 'not a mapping'}); nothing was written"
        )
    values = loaded.value
    findings = check_schema(values, ACHIEVEMENT)
    if findings:
        raise RecordRefused(
            f"the recorded file would not pass the achievement schema ({findings[0].message}); nothing was written"
        )
    rest_new = {k: v for k, v in values.items() if k != "adjustments"}
    rest_old = {k: v for k, v in old_values.items() if k != "adjustments"}
    old_adjustments = list(old_values.get("adjustments") or [])
    new_adjustments = list(values.get("adjustments") or [])
    if rest_new != rest_old or new_adjustments[:-1] != old_adjustments or len(new_adjustments) != len(old_adjustments) + 1:
        raise RecordRefused("recording would change values other than the new adjustment; nothing was written")
    built = build_achievement(values, file)
    entry = built.adjustments[-1] if built.adjustments else None
    expected_parts = tuple((c.code, c.adjustment) for c in r.commissioners)
    if (
        built.problems
        or entry is None
        or (entry.month, entry.amount, entry.earned, entry.paid, entry.recorded, entry.by_commissioner, entry.note)
        != (r.month, r.adjustment, r.earned, r.paid, recorded, expected_parts, note)
    ):
        raise RecordRefused("the recorded adjustment does not read back as the values meant; nothing was written")


def record_adjustment(
    held: Held | None, r: Reconciliation, given_date: _dt.date | None, *, today: _dt.date, allow_carried: bool = False
) -> Recorded:
    """Append the adjustment of ``r`` to the file ``held`` (locked by :func:`recording_lock`).

    ``given_date``: the date agreed (None: ``today``). See the module docstring; raises
    :class:`RecordRefused`, and then nothing was written.
    """
    import io

    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.util import load_yaml_guess_indent

    from cquin_cli.atomic import atomic_write_bytes, atomic_write_with
    from cquin_cli.load.achievement import build_achievement
    from cquin_cli.load.yaml_reader import decode, parse_yaml
    from cquin_cli.load.yaml_roundtrip import roundtrip_yaml

    file = r.achievement_file
    if held is None or held.file != file:
        raise RecordRefused(_changed(file))
    raw = held.raw
    text, error, _ = decode(raw)
    if error is not None or text is None:
        raise RecordRefused(f"cannot read {file}: {error.message if error else 'not text'}; nothing was written")
    if "\r\n" in text:
        raise RecordRefused(
            f"{file} has Windows line endings; cquin records only into files with Unix line endings, so nothing was written"
        )
    loaded = parse_yaml(text, file)
    if loaded.error is not None or not isinstance(loaded.value, dict):
        raise RecordRefused(f"cannot read {file} as achievement data; nothing was written")
    old_values = loaded.value
    existing = build_achievement(old_values, file).adjustments
    month = r.month
    for a in existing:
        if a.month == month:
            when = f" on {a.recorded.isoformat()}" if a.recorded else ""
            raise RecordRefused(
                f"the month-{month} adjustment is already recorded in {file}{when} ({format_money(a.amount)}); cquin never records a "
                "checkpoint twice. If the agreed figure changed, edit the file by hand so the change is reviewed"
            )
    later = sorted(a.month for a in existing if a.month > month)
    if later:
        raise RecordRefused(
            f"the month-{later[-1]} adjustment is already recorded in {file}; adjustments are recorded in checkpoint order, "
            f"so month {month} can no longer be recorded"
        )

    note = _carried_note(r, file, allow_carried)
    recorded = recording_date(r.scheme.financial_year, month, given_date, today)

    base = text if text.endswith("\n") else text + "\n"
    _, sequence, offset = load_yaml_guess_indent(base)
    yaml = roundtrip_yaml()
    yaml.indent(mapping=2, sequence=sequence or 4, offset=offset if offset is not None else 2)
    document = yaml.load(base)
    entry = _entry(r, recorded, note)
    current = document.get("adjustments")
    if current is None:
        seq = CommentedSeq([entry])
        seq.fa.set_block_style()
        document["adjustments"] = seq
    else:
        if len(current) == 0:
            current.fa.set_block_style()
        current.append(entry)
    out = io.StringIO()
    yaml.dump(document, out)
    new_text = out.getvalue()
    inserted = _only_inserted(base, new_text)
    _check_written(new_text, file, old_values, r, recorded, note)

    def write_unless_changed(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            handle.write(new_text.encode("utf-8"))
        if _read_raw(file) != raw:  # the last moment before the new text is renamed over the file
            raise RecordRefused(_changed(file))

    atomic_write_with(file, write_unless_changed)
    try:
        with open(file, encoding="utf-8") as handle:
            _check_written(handle.read(), file, old_values, r, recorded, note)
    except RecordRefused:
        atomic_write_bytes(file, raw)  # put the original back
        raise
    return Recorded(file, month, r.adjustment, recorded, inserted)


def _changed(file: str) -> str:
    return (
        f"{file} changed while recording, nothing was written: something other than cquin saved it after it was read. "
        "Reconcile again to record from what it holds now"
    )
