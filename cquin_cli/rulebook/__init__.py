"""The rulebook by financial year (DOMAIN.md §7), as data shipped in the package.

Each fact is ``{"value": ..., "source": ...}`` in ``rulebook.json``. Years not listed
there are unknown to cquin, and a scheme for one is an error (rule E214).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from cquin_cli.money import percentage

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any


@dataclass(frozen=True, slots=True)
class Fact:
    value: Any
    source: str


@dataclass(frozen=True, slots=True)
class Year:
    year: str
    facts: dict[str, Fact]

    def get(self, name: str, default: Any = None) -> Any:
        fact = self.facts.get(name)
        return default if fact is None else fact.value

    def source(self, name: str) -> str:
        fact = self.facts.get(name)
        return "" if fact is None else fact.source

    @property
    def suspended(self) -> bool:
        return self.get("status") == "suspended"

    @property
    def rate(self) -> Decimal | None:
        text = self.get("rate")
        return None if text is None else percentage(text)

    @property
    def on_account_share(self) -> Decimal:
        return percentage(self.get("on_account_share", "90%"))

    @property
    def checkpoints(self) -> tuple[int, ...]:
        return tuple(self.get("checkpoints", (6, 9, 12)))


def _rulebook_text() -> str:
    """The JSON beside this module, read as a plain file: ``importlib.resources`` costs
    about 9 ms to import, a tenth of a 1-file ``cquin validate``. A package that is not
    a folder of files (a zip) is read through ``importlib.resources``."""
    try:
        with open(os.path.join(os.path.dirname(__file__), "rulebook.json"), encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        from importlib import resources

        return resources.files(__package__).joinpath("rulebook.json").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def rulebook() -> dict[str, Year]:
    raw = json.loads(_rulebook_text())
    return {
        year: Year(year, {name: Fact(f["value"], f["source"]) for name, f in facts.items()})
        for year, facts in raw["years"].items()
    }


def year(name: str) -> Year | None:
    return rulebook().get(name)
