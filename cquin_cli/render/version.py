"""Which version of a scheme is being rendered: its git commit and commit date, when there is one.

In a repository of schemes the git history is the negotiation record (DOMAIN.md §1), so
the contract tables say which commit they were made from. The answer comes from
``git log -1 -- FILE`` run beside the file (:func:`scheme_versions` asks once for a
folder of files, with the same answers); any failure (no git, not a repository, a
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


@dataclass(frozen=True, slots=True)
class SchemeVersion:
    commit: str  # short hash; "" when not in git
    date: _dt.datetime | None  # commit date (UTC, naive)
    modified: bool  # the working file differs from that commit
    sha256: str = ""  # the file's SHA-256, where no commit says what it is (not in git, or changed since)

    @property
    def text(self) -> str:
        digest = f"file SHA-256 {self.sha256}" if self.sha256 else ""
        if not self.commit:
            return f"not in git; {digest}" if digest else "not in git"
        when = self.date.strftime("%Y-%m-%d %H:%M UTC") if self.date else "date unknown"
        suffix = f" (with changes not yet committed; {digest})" if self.modified and digest else ""
        suffix = suffix or (" (with changes not yet committed)" if self.modified else "")
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
    """The last commit that touched ``file``, or :data:`NOT_IN_GIT`; with the file's SHA-256 where no commit holds it."""
    return _with_digest(file, _git_version(file))


def _git_version(file: str) -> SchemeVersion:
    path = os.path.abspath(file)
    folder, name = os.path.split(path)
    out = _git(["log", "-1", "--format=%h%x09%ct", "--", name], folder)
    if not out or "\t" not in out:
        return NOT_IN_GIT
    commit, stamp = out.strip().split("\t", 1)
    status = _git(["status", "--porcelain", "--", name], folder)
    return SchemeVersion(commit, _date(stamp), bool(status and status.strip()))


def _with_digest(file: str, version: SchemeVersion) -> SchemeVersion:
    """``version`` with the file's SHA-256 when it is not in git or has changed since its commit:
    then the digest says which text was rendered, and what is signed can be checked against it."""
    if version.commit and not version.modified:
        return version
    import hashlib
    import stat
    from dataclasses import replace

    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(file).st_mode):  # a FIFO or a device is never opened (it could block)
            return version
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # swapped for a FIFO since: no wait
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return version
            for block in iter(lambda: handle.read(1 << 20), b""):  # a large file in pieces, not in memory
                digest.update(block)
    except OSError:
        return version
    return replace(version, sha256=digest.hexdigest())


def _date(stamp: str) -> _dt.datetime | None:
    try:
        return _dt.datetime.fromtimestamp(int(stamp), tz=_dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None


# A name git would read as a pattern rather than as the one file.
_PATHSPEC_MAGIC = frozenset("*?[\\")


def scheme_versions(files: list[str]) -> dict[str, SchemeVersion]:
    """:func:`scheme_version` of each file, asking git a few times per folder instead of twice per file.

    A portfolio of 337 schemes took 674 ``git`` processes (about 2 s). Here a folder
    gets at most four: whether the history has a merge, its files' commits in one ``git
    log --name-only`` (the first commit that lists a file is its last commit), where the
    folder sits in the repository, and one ``git status``. In a history without merges
    that walk is exactly the one ``git log -1 -- FILE`` makes for each file; a merge can
    make the two walks differ, so in a history with merges (and for a name git would
    read as a pattern) each file is asked about on its own, by :func:`scheme_version`.
    """
    names_by_folder: dict[str, list[str]] = {}
    for file in files:
        folder, name = os.path.split(os.path.abspath(file))
        names = names_by_folder.setdefault(folder, [])
        if name not in names:
            names.append(name)
    versions: dict[str, SchemeVersion] = {}
    for folder, names in names_by_folder.items():
        plain = [n for n in names if n.endswith((".yaml", ".yml")) and not (_PATHSPEC_MAGIC & set(n) or n.startswith(":"))]
        answers = _folder_versions(folder, plain) if plain else {}
        for name in names:
            path = os.path.join(folder, name)
            versions[path] = (
                _with_digest(path, answers[name]) if answers is not None and name in answers else scheme_version(path)
            )
    return {file: versions[os.path.abspath(file)] for file in files}


def _folder_versions(folder: str, names: list[str]) -> dict[str, SchemeVersion] | None:
    """Every name's version from one walk of a history without merges; None: ask file by file."""
    merges = _git(["rev-list", "-1", "--merges", "HEAD"], folder)
    if merges is None:  # no git, not a repository, or no commit yet: no file has a commit
        return dict.fromkeys(names, NOT_IN_GIT)
    if merges.strip():
        return None
    wanted = set(names)
    out = _git(["log", "--format=%h%x09%ct", "--name-only", "-z", "--no-renames", "--relative", "--", *names], folder)
    if out is None:
        return None
    last: dict[str, tuple[str, str]] = {}
    header: tuple[str, str] | None = None
    # Tokens: "HASH<tab>STAMP", then the commit's names (a newline before the first), and
    # so on. Every name ends in .yaml or .yml, so a name is never taken for a header.
    for token in out.split("\0"):
        if header is not None and token.startswith("\n") and token[1:] in wanted:
            token = token[1:]
        if token in wanted:
            if header is None:
                return None
            last.setdefault(token, header)
        elif token:
            commit, _, stamp = token.strip("\n").partition("\t")
            if not commit or not stamp:
                return None
            header = (commit, stamp)
    if not last:
        return dict.fromkeys(names, NOT_IN_GIT)
    prefix = _git(["rev-parse", "--show-prefix"], folder)
    status = _git(["status", "--porcelain", "-z", "--", *last], folder)
    if prefix is None or status is None:
        return None
    # Porcelain paths are relative to the repository's top; a rename or copy is followed
    # by its original path, which `git status -- ORIGINAL` would list too.
    changed = set()
    entries = status.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        changed.add(entry[3:])
        if "R" in entry[:2] or "C" in entry[:2]:
            changed.add(entries[index] if index < len(entries) else "")
            index += 1
    prefix = prefix.strip("\n")
    return {
        name: SchemeVersion(last[name][0], _date(last[name][1]), prefix + name in changed) if name in last else NOT_IN_GIT
        for name in names
    }
