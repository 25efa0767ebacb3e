"""From a scheme and its achievement file to a reconciliation at a checkpoint: the steps every command takes.

``cquin reconcile``, ``cquin render --month`` and the Quality Accounts report all need
the same answer to "can this scheme be reconciled at month m, and if so, what is it?":

1. the month must be one of the scheme's checkpoints (guidance ¶66);
2. the achievement data is the file named (``--achievement``), else the one beside the
   scheme by convention (``NAME.yaml`` -> ``NAME.achievement.yaml``,
   :func:`cquin_cli.load.discovery.achievement_file_for`); it must exist and be a
   regular file (not a folder, not a device such as ``/dev/null``);
3. it is checked against *this* scheme whatever it is called
   (:func:`cquin_cli.check.pipeline.check_achievement_file` with ``scheme=``): format,
   values, then the achievement rules (E3xx);
4. data with errors is not reconciled (``force=True``: it is, when its values could be
   read at all);
5. :func:`cquin_cli.compute.reconciliation.reconcile` — which still refuses a year end
   without an actual outturn.

:func:`reconcile_checkpoint` does them in that order and never raises for anything the
files hold: it returns a :class:`CheckpointRun` with the reconciliation, or the reason
there is none. A reason is either *could not run* (exit 2: not a checkpoint, no usable
file, no actual outturn at year end) or the data's own errors (exit 1; they are in
``diagnostics``, located).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from cquin_cli.diagnostics import Diagnostic, Severity

# Why a scheme was not reconciled (CheckpointRun.refused_because).
NOT_A_CHECKPOINT = "not_a_checkpoint"
NO_DATA = "no_data"  # no achievement file where it was looked for
NOT_A_FILE = "not_a_file"  # a folder, a device, or a file that cannot be read
DATA_ERRORS = "data_errors"  # the data has errors (in diagnostics)
REFUSED = "refused"  # reconcile() refused: no actual outturn at year end


@dataclass(frozen=True, slots=True)
class CheckpointRun:
    """One scheme at one checkpoint: its reconciliation, or why there is none."""

    scheme: Any  # cquin_cli.load.scheme.Scheme
    month: int
    achievement_file: str  # the file used or looked for
    diagnostics: tuple[Diagnostic, ...] = ()  # the achievement data's findings, every severity
    reconciliation: Any = None  # cquin_cli.compute.reconciliation.Reconciliation
    achievement: Any = None  # cquin_cli.load.achievement.Achievement, when it could be built
    refusal: str | None = None  # why there is no reconciliation, in words (None: reconciled)
    refused_because: str | None = None  # one of the constants above

    @property
    def could_not_run(self) -> bool:
        """Refused for a reason that is not a finding in the data (a command exits 2)."""
        return self.refusal is not None and self.refused_because != DATA_ERRORS

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


def _not_a_file(path: str) -> str | None:
    """Why ``path`` cannot be achievement data, or None when it is a regular file."""
    if os.path.islink(path) and not os.path.exists(path):
        return f"{path} is a broken or looping symbolic link, not an achievement file"
    if os.path.isdir(path):
        return f"{path} is a folder, not an achievement file"
    if not os.path.isfile(path):
        return f"{path} is not a regular file (a device or a pipe), not an achievement file"
    return None


def data_file_of(scheme: Any, achievement_file: str | None = None) -> str:
    """The achievement data of ``scheme``: the file named, else the one beside it by convention."""
    from cquin_cli.load.discovery import achievement_file_for

    return achievement_file or achievement_file_for(scheme.file)


def reconcile_checkpoint(
    scheme: Any, month: int, achievement_file: str | None = None, *, force: bool = False, checked: Any = None
) -> CheckpointRun:
    """Reconcile ``scheme`` at ``month`` from its achievement data; see the module docstring.

    ``achievement_file``: the data to use (default: beside the scheme by convention).
    ``force``: reconcile data that has errors, as long as its values could be read.
    ``checked``: the data's :class:`cquin_cli.check.pipeline.FileResult` when the caller
    has already checked it against this scheme (a portfolio run), so it is not read twice.
    """
    from cquin_cli.compute.reconciliation import ReconciliationRefused, reconcile

    checkpoints = sorted(scheme.payment.checkpoints)
    if month not in checkpoints:
        listed = ", ".join(str(c) for c in checkpoints)
        return CheckpointRun(
            scheme,
            month,
            data_file_of(scheme, achievement_file),
            refusal=f"month {month} is not a reconciliation checkpoint of {scheme.file}; its checkpoints are months {listed} (guidance ¶66)",
            refused_because=NOT_A_CHECKPOINT,
        )
    loaded = checked_achievement(scheme, month, achievement_file, force=force, checked=checked)
    if loaded.refusal is not None:
        return loaded
    data = loaded.achievement
    try:
        reconciliation = reconcile(scheme, data, month)
    except ReconciliationRefused as exc:
        return CheckpointRun(
            scheme,
            month,
            loaded.achievement_file,
            loaded.diagnostics,
            achievement=data,
            refusal=str(exc),
            refused_because=REFUSED,
        )
    return CheckpointRun(scheme, month, loaded.achievement_file, loaded.diagnostics, reconciliation, data)


def checked_achievement(
    scheme: Any, month: int, achievement_file: str | None = None, *, force: bool = False, checked: Any = None
) -> CheckpointRun:
    """Steps 2-4 for any month (``cquin monitor`` too): the data found, checked and built, or why not.

    The result has ``achievement`` set and no reconciliation, or a ``refusal``.
    """
    from cquin_cli.check.pipeline import check_achievement_file
    from cquin_cli.load.achievement import build_achievement

    data_file = data_file_of(scheme, achievement_file)
    if checked is None:
        if not os.path.lexists(data_file):
            how = (
                ""
                if achievement_file
                else (
                    f" (the achievement data of {os.path.basename(scheme.file)} is kept beside it as "
                    f"{os.path.basename(data_file)}; or name it with --achievement)"
                )
            )
            return CheckpointRun(
                scheme, month, data_file, refusal=f"no achievement data: {data_file} does not exist{how}", refused_because=NO_DATA
            )
        why = _not_a_file(data_file)
        if why is not None:
            return CheckpointRun(scheme, month, data_file, refusal=f"no achievement data: {why}", refused_because=NOT_A_FILE)
        checked = check_achievement_file(data_file, {}, scheme=scheme)
    diagnostics = tuple(checked.diagnostics)
    unreadable = next((d for d in diagnostics if d.code == "E001"), None)
    if unreadable is not None:
        return CheckpointRun(
            scheme, month, data_file, diagnostics, refusal=f"{data_file}: {unreadable.message}", refused_because=NOT_A_FILE
        )
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    if checked.values is None or (errors and not force):
        return CheckpointRun(
            scheme,
            month,
            data_file,
            diagnostics,
            refusal=f"{data_file} has {errors} error{'s' if errors != 1 else ''}; fix them first (`cquin validate`)",
            refused_because=DATA_ERRORS,
        )
    data = checked.achievement if checked.achievement is not None else build_achievement(checked.values, data_file)
    return CheckpointRun(scheme, month, data_file, diagnostics, achievement=data)
