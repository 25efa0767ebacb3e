"""Which version of a scheme is being rendered: its git commit and commit date, when there is one.

In a repository of schemes the git history is the negotiation record (DOMAIN.md §1), so
the contract tables say which commit they were made from. The answer comes from
``git log -1 -- FILE`` run beside the file; any failure (no git, not a repository, a
file never committed) is tolerated and the title block says so. A file with changes
not yet committed is marked, because what is signed must be what was reviewed.

The commit date also becomes the workbook's document date, so that rendering the same
commit always gives the same bytes.
"""
from __future__ import annotations

import datetime as _dt
import os
import shutil
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class SchemeVersion:
    commit: str  # short hash; "" when not in git
    date: _dt.datetime | None  # commit date (UTC, naive)
    modified: bool  # the working file differs from that commit

    @property
    def text(self) -> str:
        if not self.commit:
            return "not in git"
        when = self.date.strftime("%Y-%m-%d %H:%M UTC") if self.date else "date unknown"
        suffix = " (with changes not yet committed)" if self.modified else ""
        return f"git commit {self.commit} of {when}{suffix}"


NOT_IN_GIT = SchemeVersion("", None, False)


def _git(args: list[str], folder: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env["LC_ALL"] = "C"
    try:
        done = subprocess.run([git, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def scheme_version(file: str) -> SchemeVersion:
    """The last commit that touched ``file``, or :data:`NOT_IN_GIT`."""
    path = os.path.abspath(file)
    folder, name = os.path.split(path)
    out = _git(["log", "-1", "--format=%h%x09%ct", "--", name], folder)
    if not out or "\t" not in out:
        return NOT_IN_GIT
    commit, stamp = out.strip().split("\t", 1)
    try:
        date = _dt.datetime.fromtimestamp(int(stamp), tz=_dt.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        date = None
    status = _git(["status", "--porcelain", "--", name], folder)
    return SchemeVersion(commit, date, bool(status and status.strip()))
