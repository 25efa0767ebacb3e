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

Money is written as quoted text with two decimals (``"-128700.00"``), the format's
own convention, so no reader ever takes it for a float.
"""
from __future__ import annotations

import datetime as _dt
import difflib
from decimal import Decimal

from cquin_cli.compute.money import format_money, money_text
from cquin_cli.compute.reconciliation import Reconciliation
from dataclasses import dataclass


class RecordRefused(ValueError):
    """The adjustment cannot be recorded; nothing was written."""


@dataclass(frozen=True, slots=True)
class Recorded:
    file: str
    month: int
    amount: Decimal
    recorded: _dt.date
    inserted_lines: int


def _entry(r: Reconciliation, recorded: _dt.date):
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
        if tag == "replace" and i2 - i1 == 1 and before[i1].lstrip().startswith("adjustments:") and not before[i1].startswith((" ", "\t")):
            inserted += (j2 - j1) - 1  # `adjustments: []` became `adjustments:` and its first entry
            continue
        raise RecordRefused(
            "recording would also change lines other than the new adjustment (the file is laid out differently "
            f"from cquin's house style near line {i1 + 1}); nothing was written. Add the adjustment by hand, or "
            "lay the file out with 2-space mappings and '  - ' list items"
        )
    return inserted


def _check_written(text: str, file: str, old_values: dict, r: Reconciliation, recorded: _dt.date) -> None:
    """Read ``text`` with cquin's own reader: the new entry is as meant, everything else unchanged."""
    from cquin_cli.check.schema import ACHIEVEMENT, check_schema
    from cquin_cli.load.achievement import build_achievement
    from cquin_cli.load.yaml_reader import parse_yaml

    loaded = parse_yaml(text, file)
    if loaded.error is not None or not isinstance(loaded.value, dict):
        raise RecordRefused(f"the recorded file would not read back ({loaded.error.message if loaded.error else 'not a mapping'}); nothing was written")
    values = loaded.value
    findings = check_schema(values, ACHIEVEMENT)
    if findings:
        raise RecordRefused(f"the recorded file would not pass the achievement schema ({findings[0].message}); nothing was written")
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
        or (entry.month, entry.amount, entry.earned, entry.paid, entry.recorded, entry.by_commissioner)
        != (r.month, r.adjustment, r.earned, r.paid, recorded, expected_parts)
    ):
        raise RecordRefused("the recorded adjustment does not read back as the values meant; nothing was written")


def record_adjustment(file: str, r: Reconciliation, recorded: _dt.date) -> Recorded:
    """Append the adjustment of ``r`` to ``file``; see the module docstring. Raises :class:`RecordRefused`."""
    import io

    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.util import load_yaml_guess_indent

    from cquin_cli.load.achievement import build_achievement
    from cquin_cli.load.yaml_reader import decode, parse_yaml
    from cquin_cli.load.yaml_roundtrip import atomic_write, roundtrip_yaml

    try:
        with open(file, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise RecordRefused(f"cannot read {file} ({exc.strerror or exc}); nothing was written") from None
    text, error, _ = decode(raw)
    if error is not None or text is None:
        raise RecordRefused(f"cannot read {file}: {error.message if error else 'not text'}; nothing was written")
    if "\r\n" in text:
        raise RecordRefused(f"{file} has Windows line endings; cquin records only into files with Unix line endings, so nothing was written")
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

    base = text if text.endswith("\n") else text + "\n"
    _, sequence, offset = load_yaml_guess_indent(base)
    yaml = roundtrip_yaml()
    yaml.indent(mapping=2, sequence=sequence or 4, offset=offset if offset is not None else 2)
    document = yaml.load(base)
    entry = _entry(r, recorded)
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
    _check_written(new_text, file, old_values, r, recorded)

    atomic_write(file, new_text)
    try:
        with open(file, encoding="utf-8") as handle:
            _check_written(handle.read(), file, old_values, r, recorded)
    except RecordRefused:
        atomic_write(file, text)  # put the original back
        raise
    return Recorded(file, month, r.adjustment, recorded, inserted)
