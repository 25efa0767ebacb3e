"""From what the documents hold to a scheme in cquin's format, every gap a TODO stub.

:func:`build` turns a :class:`~cquin_cli.importer.reader.Found` and the facts given on
the command line into the scheme's values (plain dicts and lists, in the format's key
order) and the :class:`Note` of each value that was converted, could not be read, or
is missing. A value that could not be read becomes ``"TODO: what belongs here (where
it came from)"``: rule E111 lists each one in ``cquin validate``, the same stub
``cquin new`` writes (:mod:`cquin_cli.format.scaffold` words them). The rate and the
payment terms come from the year's rulebook, as in ``cquin new``, unless the document
states its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from cquin_cli.check.year_rules import OWN_SOURCE
from cquin_cli.format import scaffold
from cquin_cli.importer import values
from cquin_cli.importer.labels import labels, normal
from cquin_cli.importer.reader import Field, Found, GoalFound, IndicatorFound
from cquin_cli.load.scheme import SECTOR_WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Callable
    from typing import Any

TODO = "todo"  # a stub to fill in: needs attention
CONVERTED = "converted"  # read, written another way: said so
UNREAD = "unread"  # in the document, but no label cquin knows: needs attention
DIFFERS = "differs"  # the document's £ value is not the scheme's own price: needs attention
ASSUMED = "assumed"  # not in the document; cquin's default, as `cquin new` writes it
READ_PAST = "read past"  # a heading or a note with no value beside it


@dataclass(frozen=True, slots=True)
class Note:
    kind: str
    where: str  # "scheme.docx table 3 row 5 column 2", or "scheme.docx" when the document holds no such value
    what: str  # "indicator 1.1 numerator"
    message: str

    @property
    def attention(self) -> bool:
        return self.kind in (TODO, UNREAD, DIFFERS)


@dataclass(frozen=True, slots=True)
class Given:
    """Top-level facts from the command line (each None when not given)."""

    provider: str | None = None
    name: str | None = None
    year: str | None = None
    sector: str | None = None
    foundation_trust: bool | None = None
    route: str | None = None
    commissioners: tuple[tuple[str, str | None], ...] = ()  # (code, share text)
    tariff_income: str | None = None
    non_tariff_income: str | None = None
    excluded_income: str | None = None
    contract_value: str | None = None


@dataclass(slots=True)
class Built:
    values: dict[str, Any]
    notes: list[Note] = field(default_factory=list)
    goals: int = 0
    indicators: int = 0
    # The £ values the document states, to hold against the scheme's own price:
    # ("goal" or "indicator", its number as written, the document's field)
    stated_values: list[tuple[str, str, Field]] = field(default_factory=list)


def _stub(what: str, why: str = "") -> str:
    return f"TODO: {what}" + (f" ({why})" if why else "")


class _Builder:
    def __init__(self, found: Found, given: Given, files: list[str]):
        self.found = found
        self.given = given
        self.files = files
        self.notes: list[Note] = []
        self.words = labels()
        self.year: str | None = None
        self.stated_values: list[tuple[str, str, Field]] = []

    # -- reading one value -------------------------------------------------------

    def _where(self, f: Field | None, file: str = "") -> str:
        if f is None:
            return file or ", ".join(self.files)
        return f.where

    def read(
        self,
        f: Field | None,
        what: str,
        belongs: str,
        reader: Callable[[Any], tuple[Any, str]] | None,
        *,
        file: str = "",
        required: bool = True,
    ) -> Any:
        """The value of ``f`` read by ``reader`` (the cell) or as text; else a TODO stub, noted."""
        if f is None or not f.text:
            if not required:
                return None
            why = "not in the document" if f is None else "empty in the document"
            self.notes.append(Note(TODO, self._where(f, file), what, f"{why}; fill in {belongs}"))
            return _stub(belongs, why if f is None else f"empty at {f.where}")
        text = f.text
        if self.words.not_given(text):
            self.notes.append(Note(TODO, self._where(f, file), what, f'"{text}" is not a value yet; fill in {belongs}'))
            return _stub(belongs, f'the document says "{text}" at {f.where}')
        if reader is None:
            return text
        try:
            value, note = reader(f.cell)
        except values.Unreadable as exc:
            self.notes.append(Note(TODO, self._where(f, file), what, f"{exc}; fill in {belongs}"))
            short = text if len(text) <= 40 else text[:37] + "..."
            return _stub(belongs, f'the document says "{short}" at {f.where}')
        if note:
            self.notes.append(Note(CONVERTED, self._where(f, file), what, note))
        return value

    def choice(self, f: Field | None, what: str, belongs: str, group: Any, *, file: str = "", required: bool = True) -> Any:
        def pick(cell: Any) -> tuple[str, str]:
            name = group.match(cell.text)
            if name is None:
                raise values.Unreadable(f'"{cell.text}" is not one of the choices')
            return name, ("" if normal(cell.text) == normal(name.replace("_", " ")) else f'read "{cell.text}" as {name}')

        return self.read(f, what, belongs, pick, file=file, required=required)

    # -- the scheme ------------------------------------------------------------------

    def build(self) -> Built:
        out: dict[str, Any] = {}
        facts = self.found.facts
        for name, held, other in self.found.conflicts:
            self.notes.append(
                Note(
                    UNREAD,
                    self._where(other),
                    name.replace("_", " "),
                    f'"{other.text}" differs from "{held.text}" at {held.where}; the first was kept',
                )
            )
        out["financial_year"] = self._year(facts.get("financial_year"))
        provider, route_kind = self._provider(facts)
        out["provider"] = provider
        out["commissioning_route"], scheme_kind = route_kind
        coordinating, associates = self._commissioners()
        out["coordinating_commissioner"] = coordinating
        if associates:
            out["associates"] = associates
        out["contract_value"] = self._contract_value(facts)
        rate, reason, source = self._rate(facts)
        out["rate"] = rate
        if reason:
            out["rate_reason"] = reason
        if source:
            out["rate_source"] = source
        out["scheme_kind"] = scheme_kind
        if scheme_kind == "quality_improvement_plan":  # guidance ¶45: where the agreed plan is recorded
            out["quality_improvement_plan"] = self.read(
                facts.get("quality_improvement_plan"),
                "quality improvement plan",
                "where the agreed quality improvement plan is recorded (guidance ¶45)",
                None,
            )
        payment = self._payment(facts)
        if payment:
            out["payment"] = payment
        agreement = self._agreement(facts)
        if agreement:
            out["agreement"] = agreement
        incentive = self._incentive(facts)
        if incentive:
            out["separate_incentive_scheme"] = incentive
        goals = self._goals()
        out["goals"] = goals
        for heading in self.found.headings:
            self.notes.append(Note(READ_PAST, heading.where, f'"{_short(heading.text)}"', heading.why))
        for unread in self.found.unread:
            self.notes.append(Note(UNREAD, unread.where, f'"{_short(unread.text)}"', unread.why))
        built = Built(out, self.notes, stated_values=self.stated_values)
        built.goals = len(goals)
        built.indicators = sum(len(g["indicators"]) for g in goals if isinstance(g.get("indicators"), list))
        return built

    def _year(self, f: Field | None) -> str:
        if self.given.year is not None:
            year, note = values.financial_year(self.given.year)
            if f is not None and f.text:
                try:
                    in_document = values.financial_year(f.text)[0]
                except values.Unreadable:
                    in_document = f.text
                if in_document != year:
                    self.notes.append(
                        Note(CONVERTED, self._where(f), "financial year", f'the document says "{f.text}"; --year {year} was used')
                    )
            self.year = year
            return year
        value = self.read(
            f, "financial year", "the financial year, e.g. 2010/11 (or give --year)", lambda c: values.financial_year(c.text)
        )
        if not str(value).startswith("TODO"):
            self.year = value
        return value

    def _provider(self, facts: dict[str, Field]) -> tuple[dict[str, Any], tuple[str, str]]:
        given = self.given
        f = facts.get("provider")
        name = code = sector = None
        foundation: Any = None
        line = _PROVIDER_LINE.fullmatch(f.text) if f is not None else None
        if line:  # the provider line cquin renders: "Name (CODE); acute contract; not a foundation trust"
            name, code = line["name"], line["code"]
            sector = next((k for k, w in SECTOR_WORDS.items() if w == line["sector"]), None)
            foundation = line["ft"] == "NHS foundation trust"
        provider: dict[str, Any] = {}
        code_field = facts.get("provider_code")
        if given.provider is not None:
            provider["code"] = given.provider
        elif code is not None:
            provider["code"] = code
        else:
            provider["code"] = self.read(
                code_field, "provider code", "the provider's organisation code, e.g. RNF (or give --provider)", None
            )
        if given.name is not None:
            provider["name"] = given.name
        elif name is not None:
            provider["name"] = name
        else:
            provider["name"] = self.read(f, "provider name", "the provider's name (or give --name)", None)
        if given.sector is not None:
            provider["sector"] = given.sector
        elif sector is not None:
            provider["sector"] = sector
        else:
            provider["sector"] = self.choice(
                facts.get("sector"), "provider sector", ", ".join(scaffold.SECTORS) + " (or give --sector)", _SectorGroup()
            )
        if given.foundation_trust is not None:
            provider["foundation_trust"] = given.foundation_trust
        elif foundation is not None:
            provider["foundation_trust"] = foundation
        else:
            provider["foundation_trust"] = self.read(
                None,
                "provider foundation trust",
                "true for an NHS foundation trust, else false (or give --foundation-trust)",
                None,
            )
        route, kind = self._route_and_kind(facts.get("scheme"))
        return provider, (route, kind)

    def _route_and_kind(self, f: Field | None) -> tuple[str, str]:
        route = kind = None
        if f is not None:
            text = f.text.casefold()
            if "quality improvement plan" in text:
                kind = "quality_improvement_plan"
            elif "cquin scheme" in text or "full" in text:
                kind = "full_scheme"
            if "specialised commissioning group" in text:
                route = "specialised_commissioning_group"
            elif "pct" in text:
                route = "pct"
        if self.given.route is not None:
            route = self.given.route
        if route is None:
            route = "pct"
            self.notes.append(
                Note(
                    ASSUMED,
                    self._where(f),
                    "commissioning route",
                    "not in the document: pct (PCT-led), as cquin new assumes; give --route otherwise",
                )
            )
        if kind is None:
            kind = "full_scheme"
            self.notes.append(Note(ASSUMED, self._where(f), "scheme kind", "not in the document: a full CQUIN scheme"))
        return route, kind

    def _commissioners(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        parties = self.found.parties
        entries: list[dict[str, Any]] = []
        coordinating_at = 0
        if parties:
            for at, party in enumerate(parties):
                n = at + 1
                role = party.get("role")
                if role is not None and "coordinating" in normal(role.text).replace("co ordinating", "coordinating"):
                    coordinating_at = at
                entries.append(
                    {
                        "code": self.read(
                            party.get("code"), f"commissioner {n} code", "the commissioner's organisation code", None
                        ),
                        "name": self.read(party.get("name"), f"commissioner {n} name", "the commissioner's name", None),
                        "share": self.read(
                            party.get("share"), f"commissioner {n} share", "its share of the contract, e.g. 70%", values.percent
                        ),
                    }
                )
            entries.insert(0, entries.pop(coordinating_at))
        elif _commissioners_line(self.found.facts.get("commissioners")):
            # the commissioners line cquin renders: "Name (CODE), coordinating commissioner, 70%; ..."
            line = self.found.facts["commissioners"]
            for at, part in enumerate(line.text.split("; ")):
                one = _ONE_COMMISSIONER.fullmatch(part)
                assert one is not None
                entries.append({"code": one["code"], "name": one["name"], "share": one["share"]})
                if one["role"] == "coordinating commissioner":
                    coordinating_at = at
            entries.insert(0, entries.pop(coordinating_at))
        elif self.given.commissioners:
            only_one = len(self.given.commissioners) == 1
            named = self.found.facts.get("coordinating_commissioner")
            for at, (code, share) in enumerate(self.given.commissioners):
                entry: dict[str, Any] = {"code": code}
                if at == 0 and named is not None:
                    entry["name"] = self.read(
                        named, "coordinating commissioner name", "the coordinating commissioner's name", None
                    )
                else:
                    entry["name"] = _stub(f"the name of commissioner {code}")
                    self.notes.append(
                        Note(TODO, "command line", f"commissioner {code} name", "not in the document; fill in its name")
                    )
                if share is not None:
                    entry["share"] = share
                elif only_one:
                    entry["share"] = "100%"
                else:
                    entry["share"] = _stub(
                        "its share of the contract; all shares sum to 100% (or give --commissioner CODE=SHARE)"
                    )
                    self.notes.append(Note(TODO, "command line", f"commissioner {code} share", "not given; fill in its share"))
                entries.append(entry)
        else:
            named = self.found.facts.get("coordinating_commissioner")
            entries.append(
                {
                    "code": self.read(
                        None,
                        "coordinating commissioner code",
                        "the coordinating commissioner's organisation code (or give --commissioner)",
                        None,
                    ),
                    "name": self.read(named, "coordinating commissioner name", "the coordinating commissioner's name", None),
                    "share": self.read(
                        None,
                        "coordinating commissioner share",
                        "its share of the contract, e.g. 100% when it is the only one",
                        None,
                    ),
                }
            )
        return entries[0], entries[1:]

    def _contract_value(self, facts: dict[str, Field]) -> dict[str, Any]:
        given = self.given
        out: dict[str, Any] = {}
        if given.contract_value is not None:
            out = {"tariff_income": given.contract_value, "non_tariff_income": "0.00", "excluded_income": "0.00"}
            self.notes.append(
                Note(
                    CONVERTED,
                    "command line",
                    "contract value",
                    "--contract-value is written as tariff income, with no non-tariff or excluded income",
                )
            )
            return out
        for key, what, option, reader in (
            ("tariff_income", "tariff income including the Market Forces Factor, in pounds", "--tariff-income", values.amount),
            ("non_tariff_income", "non-tariff income, in pounds", "--non-tariff-income", values.amount),
            (
                "excluded_income",
                "income not financed by the English NHS, in pounds (0.00 if none; guidance ¶40)",
                "--excluded-income",
                values.signed_amount,
            ),
        ):
            held = getattr(given, key)
            if held is not None:
                out[key] = held
            else:
                out[key] = self.read(facts.get(key), key.replace("_", " "), f"{what} (or give {option})", reader)
        return out

    def _rate(self, facts: dict[str, Field]) -> tuple[Any, str, str]:
        """The rate, with the reason for another rate and the scheme's own source, as cquin render writes them beside it."""
        f = facts.get("rate")
        reason = source = ""
        own_source = f"rate: {OWN_SOURCE}"
        if f is not None and f.cells:
            first = f.cells[0]
            for extra in f.cells[1:]:
                if normal(extra.text).startswith("reason for this rate"):
                    reason = extra.text.split(":", 1)[1].strip() if ":" in extra.text else extra.text
                elif extra.text.strip().lower().startswith(own_source.lower()):
                    source = extra.text.strip()[len(own_source) :].strip()
            f = Field(f.label, [first], first.where)
        if f is not None and f.text:
            return self.read(f, "rate", "the CQUIN rate, e.g. 1.5%", values.percent), reason, source
        if self.year is not None:
            try:
                year = scaffold.rulebook_year_of(self.year)[0]
            except scaffold.ScaffoldError as exc:
                self.notes.append(Note(TODO, "rulebook", "rate", f"{exc}; fill in the rate"))
                return _stub("the CQUIN rate, e.g. 1.5%", "the rulebook has none for this year"), "", ""
            from cquin_cli.money import format_percent

            assert year.rate is not None
            self.notes.append(
                Note(
                    ASSUMED,
                    "rulebook",
                    "rate",
                    f"the national rate for {self.year}, {format_percent(year.rate)}" + _source(year.source("rate")),
                )
            )
            return format_percent(year.rate), "", ""
        self.notes.append(
            Note(
                TODO, ", ".join(self.files), "rate", "not in the document, and no year to take it from the rulebook; give --year"
            )
        )
        return _stub("the CQUIN rate, e.g. 1.5% (or give --year for the rulebook's)"), "", ""

    def _payment(self, facts: dict[str, Field]) -> dict[str, Any]:
        from cquin_cli.money import format_percent

        rulebook = None
        if self.year is not None:
            try:
                rulebook = scaffold.rulebook_year_of(self.year)[0]
            except scaffold.ScaffoldError:
                rulebook = None
        out: dict[str, Any] = {}
        share = facts.get("on_account_share")
        if share is not None and share.text:
            out["on_account_share"] = self.read(share, "on-account share", "the share paid on account, e.g. 90%", values.percent)
        elif rulebook is not None:
            out["on_account_share"] = format_percent(rulebook.on_account_share)
        count = facts.get("instalments")
        if count is not None and count.text:
            out["instalments"] = self.read(count, "number of instalments", "the number of instalments, e.g. 12", values.integer)
        elif rulebook is not None:
            out["instalments"] = int(rulebook.get("instalments", 12))
        months: list[Any] = []
        for at, row in enumerate(self.found.checkpoints):
            months.append(self.read(row.get("month"), f"checkpoint {at + 1}", "the checkpoint month, 1-12", values.integer))
        if months:
            out["checkpoints"] = months
        elif rulebook is not None:
            out["checkpoints"] = list(rulebook.checkpoints)
        agreed = facts.get("payment_arrangement_agreed_by")
        if agreed is not None and agreed.text and normal(agreed.text) != "nobody recorded":
            out["agreed_by"] = [part.strip() for part in agreed.text.split(",") if part.strip()]
        if out and rulebook is not None and share is None and count is None and not months:
            self.notes.append(
                Note(
                    ASSUMED,
                    "rulebook",
                    "payment",
                    f"the default arrangement for {self.year}"
                    + _source(rulebook.source("on_account_share") or rulebook.source("checkpoints")),
                )
            )
        return out

    def _agreement(self, facts: dict[str, Field]) -> dict[str, Any]:
        date = facts.get("date_agreed")
        if date is not None and normal(date.text) == "not recorded":
            date = None
        if date is None and not self.found.signatories:
            # no record of agreement: the stubs `cquin new` writes for one, each reported
            start = self.year[:4] if self.year else "YYYY"
            return {
                "date": self.read(
                    None, "date agreed", f"the date the scheme was agreed, YYYY-MM-DD, by {start}-03-31 (guidance ¶49)", None
                ),
                "signatories": [self._stub_signatory()],
            }
        out: dict[str, Any] = {"date": self.read(date, "date agreed", "the date the scheme was agreed, YYYY-MM-DD", values.date)}
        signatories = []
        for at, row in enumerate(self.found.signatories):
            n = at + 1
            person: dict[str, Any] = {
                "name": self.read(row.get("name"), f"signatory {n} name", "who signed", None),
                "role": self.read(row.get("role"), f"signatory {n} role", "their role, e.g. Medical Director", None),
                "organisation": self.read(
                    row.get("organisation"), f"signatory {n} organisation", "the organisation they signed for", None
                ),
            }
            lead = row.get("clinical_lead")
            if lead is not None and lead.text:
                word = normal(lead.text)
                if word in ("yes", "y", "true"):
                    person["clinical_lead"] = True
                elif word not in ("no", "n", "false"):
                    person["clinical_lead"] = self.read(
                        lead, f"signatory {n} clinical lead", "true or false", lambda c: _no_guess(c)
                    )
            signatories.append(person)
        out["signatories"] = signatories or [self._stub_signatory()]
        return out

    def _stub_signatory(self) -> dict[str, Any]:
        return {
            "name": self.read(None, "signatory name", "who signed", None),
            "role": self.read(None, "signatory role", "their role, e.g. Medical Director", None),
            "organisation": self.read(None, "signatory organisation", "the organisation they signed for", None),
            "clinical_lead": True,
        }

    def _incentive(self, facts: dict[str, Field]) -> dict[str, Any]:
        name = facts.get("incentive_name")
        if name is None:
            return {}
        out: dict[str, Any] = {"name": self.read(name, "separate incentive scheme name", "its name", None)}
        description = facts.get("incentive_description")
        if description is not None and description.text:
            out["description"] = description.text
        out["value"] = self.read(
            facts.get("incentive_value"), "separate incentive scheme value", "its additional money, in pounds", values.amount
        )
        goals = []
        for at, row in enumerate(self.found.incentive_goals):
            goal: dict[str, Any] = {
                "number": self.read(row.get("number"), f"separate scheme goal {at + 1} number", "its number", values.number),
                "name": self.read(row.get("name"), f"separate scheme goal {at + 1} name", "its name", None),
            }
            if row.get("description") is not None and row["description"].text:
                goal["description"] = row["description"].text
            value = self.read(
                row.get("value"), f"separate scheme goal {at + 1} value", "its value", values.amount, required=False
            )
            if value is not None:
                goal["value"] = value
            goals.append(goal)
        out["goals"] = goals or _stub("its goals (none found in the document)")
        return out

    # -- goals and indicators -------------------------------------------------------

    def _goals(self) -> list[dict[str, Any]]:
        found = self.found
        merged: list[GoalFound] = []
        by_number: dict[str, GoalFound] = {}
        for goal in found.goals:
            number = goal.fields.get("number")
            key = normal(number.text) if number is not None and number.text else ""
            if key and key in by_number:
                held = by_number[key]
                for name, value in goal.fields.items():
                    if name not in held.fields or not held.fields[name].text:
                        held.fields[name] = value
                for indicator in goal.indicators:
                    indicator.goal = held
                    held.indicators.append(indicator)
                continue
            if key:
                by_number[key] = goal
            merged.append(goal)
        # An indicator with no goal above it finds it by its number: 2.1 is goal 2's.
        orphans = []
        for indicator in found.indicators:
            if indicator.goal is not None and indicator.goal in merged:
                continue
            number = indicator.fields.get("number")
            prefix = normal(number.text).split(" ")[0] if number is not None and number.text else ""
            owner = by_number.get(prefix)
            if owner is None and number is not None and re.match(r"[0-9]+[.\-]", number.text.strip()):
                owner = by_number.get(re.split(r"[.\-]", number.text.strip())[0])
            if owner is not None:
                indicator.goal = owner
                owner.indicators.append(indicator)
                self.notes.append(
                    Note(
                        CONVERTED,
                        self._where(number, indicator.file),
                        f"indicator {number.text if number else ''}",
                        f"placed under goal {owner.fields['number'].text} by its number",
                    )
                )
            else:
                orphans.append(indicator)
        for indicator in orphans:
            goal = GoalFound({}, indicator.where, indicator.file, [indicator], made=True)
            indicator.goal = goal
            merged.append(goal)
        for goal in merged:  # a goal's labels written in its indicators' tables ("Quality domain")
            for indicator in goal.indicators:
                for name, value in indicator.goal_fields.items():
                    if name not in goal.fields or not goal.fields[name].text:
                        goal.fields[name] = value
        out = []
        for at, goal in enumerate(merged):
            out.append(self._goal(goal, at + 1, made=goal.made))
        return out

    def _goal(self, goal: GoalFound, position: int, *, made: bool) -> dict[str, Any]:
        f = goal.fields
        file = goal.file
        if made:
            self.notes.append(
                Note(
                    ASSUMED,
                    goal.where,
                    f"goal {position}",
                    "the document has no goal for this indicator: one is made for it, numbered in order; fill in what it lacks",
                )
            )
        number = (
            self.read(f.get("number"), f"goal {position} number", "the goal's number", values.number, file=file)
            if not made
            else position
        )
        label = f"goal {number}" if not str(number).startswith("TODO") else f"goal {position}"
        out: dict[str, Any] = {"number": number}
        if f.get("expected_value") is not None and not str(number).startswith("TODO"):
            self.stated_values.append(("goal", str(number), f["expected_value"]))
        out["name"] = self.read(f.get("name"), f"{label} name", "the goal's name", None, file=file)
        out["description"] = self.read(f.get("description"), f"{label} description", "what the goal aims at", None, file=file)
        out["domain"] = self.choice(
            f.get("domain"),
            f"{label} domain",
            "safety, effectiveness, patient_experience or innovation (guidance ¶33)",
            self.words.domains,
            file=file,
        )
        weighting_field = f.get("weighting")
        weighting = None
        if weighting_field is not None:
            weighting = self.read(
                weighting_field, f"{label} weighting", "the goal's weighting, % of the scheme", values.percent, file=file
            )
        inherit = None
        if _is_percent(weighting) and len(goal.indicators) == 1 and goal.indicators[0].fields.get("weighting") is None:
            inherit = weighting  # the goal's only indicator carries the goal's weighting
        indicators = [self._indicator(i, label, n + 1, inherit) for n, i in enumerate(goal.indicators)]
        if weighting_field is not None:
            out["weighting"] = weighting
        elif indicators and all(_is_percent(i["weighting"]) for i in indicators):
            from cquin_cli.money import format_percent, percentage

            total = sum((percentage(i["weighting"]) for i in indicators), Decimal(0))
            out["weighting"] = format_percent(total)
            self.notes.append(
                Note(
                    CONVERTED,
                    goal.where,
                    f"{label} weighting",
                    f"not in the document: {out['weighting']}, the sum of its indicators' weightings",
                )
            )
        else:
            out["weighting"] = self.read(None, f"{label} weighting", "the goal's weighting, % of the scheme", None, file=file)
        out["indicators"] = indicators or _stub("the goal's indicators (none found in the document)")
        if not indicators:
            self.notes.append(Note(TODO, goal.where, f"{label} indicators", "the document has no indicator for this goal"))
        return out

    def _indicator(self, indicator: IndicatorFound, goal_label: str, position: int, inherit: Any = None) -> dict[str, Any]:
        f = indicator.fields
        file = indicator.file
        out: dict[str, Any] = {}
        number_field = f.get("number")
        heading = _HEADING.match(indicator.heading) if indicator.heading else None
        if (number_field is None or not number_field.text) and heading:
            out["number"] = heading["number"]
            self.notes.append(
                Note(
                    CONVERTED,
                    indicator.heading_where,
                    f"indicator {heading['number']}",
                    f'number taken from the heading "{_short(indicator.heading)}"',
                )
            )
        else:
            out["number"] = self.read(
                number_field,
                f"{goal_label} indicator {position} number",
                f"the indicator's number (indicator {position} of {goal_label})",
                values.number,
                file=file,
            )
        label = (
            f"indicator {out['number']}" if not str(out["number"]).startswith("TODO") else f"{goal_label} indicator {position}"
        )

        def text(key: str, *, required: bool = True) -> Any:
            return self.read(
                f.get(key),
                f"{label} {key.replace('_', ' ')}",
                scaffold.INDICATOR_TEXT_STUBS.get(key, key.replace("_", " ")),
                None,
                file=file,
                required=required,
            )

        if (f.get("name") is None) and heading and heading["name"]:
            out["name"] = heading["name"]
            self.notes.append(
                Note(CONVERTED, indicator.heading_where, f"{label} name", f'taken from the heading "{_short(indicator.heading)}"')
            )
        else:
            out["name"] = text("name")
        for key in ("description", "numerator", "denominator", "rationale"):
            out[key] = text(key)
        link = text("outcome_link", required=False)
        if link is not None:
            out["outcome_link"] = link
        for key in ("data_source", "collection_frequency", "responsible_organisation", "reporting_frequency"):
            out[key] = text(key)
        rule, floor, bands, note, direction_in_rule = self._partial(f.get("partial_achievement"), label, file)
        milestone_rule = rule == "milestone"
        for part, period_key, value_key in (
            ("baseline", "baseline_period", "baseline_value"),
            ("final", "final_period", "final_value"),
        ):
            period_field, value_field = f.get(period_key), f.get(value_key)
            if period_field is None and value_field is None and milestone_rule:
                continue
            what = "the baseline" if part == "baseline" else "the final indicator"
            entry = {"period": self.read(period_field, f"{label} {part} period", f"{what} period", None, file=file)}
            entry["value"] = self.read(value_field, f"{label} {part} value", f"{what} value, a number", values.measure, file=file)
            out[part] = entry
        out["final_reporting_date"] = self.read(
            f.get("final_reporting_date"),
            f"{label} final reporting date",
            "the final reporting date, YYYY-MM-DD",
            values.date,
            file=file,
        )
        direction_field = f.get("direction")
        if direction_field is not None and direction_field.text:
            out["direction"] = self.choice(
                direction_field, f"{label} direction", scaffold.DIRECTION_STUB, self.words.directions, file=file
            )
        elif direction_in_rule:
            out["direction"] = direction_in_rule
        elif not milestone_rule:
            out["direction"] = self.read(None, f"{label} direction", scaffold.DIRECTION_STUB, None, file=file)
        milestones = self._milestones(indicator, label)
        if milestones is not None:
            out["milestones"] = milestones
        partial: dict[str, Any] = {"rule": rule}
        if floor is not None:
            partial["floor"] = floor
        if bands:
            partial["bands"] = bands
        if note:
            partial["note"] = note
        out["partial_achievement"] = partial
        if inherit is not None:
            out["weighting"] = inherit
            self.notes.append(
                Note(
                    CONVERTED,
                    indicator.where,
                    f"{label} weighting",
                    f"not in the document: {inherit}, its goal's weighting (the goal's only indicator)",
                )
            )
        else:
            out["weighting"] = self.read(
                f.get("weighting"), f"{label} weighting", "the indicator's weighting, % of the scheme", values.percent, file=file
            )
        out["kind"] = self.choice(f.get("kind"), f"{label} kind", scaffold.KIND_STUB, self.words.kinds, file=file)
        out["provenance"] = self.choice(
            f.get("provenance"), f"{label} provenance", scaffold.PROVENANCE_STUB, self.words.provenances, file=file
        )
        return out

    def _partial(self, f: Field | None, label: str, file: str) -> tuple[Any, Any, list[dict[str, Any]], str, str]:
        """(rule, floor, bands, note, direction) from the partial-achievement text."""
        what = f"{label} partial achievement"
        if f is None or not f.text:
            return self.read(f, what, scaffold.RULE_STUB, None, file=file), None, [], "", ""
        text = f.text.strip()
        direction = ""
        note = ""
        found = _RULE_WORDS.match(text)
        if found:
            rest = found["rest"]
            d = re.match(r" \((higher|lower) is better\)", rest)
            if d:
                direction = d[1]
                rest = rest[d.end() :]
            if rest.startswith(". "):
                note = rest[2:]
            elif rest:
                found = None
        if found:
            kind = found["kind"].casefold()
            if kind.startswith("linear"):
                return "linear", values.measure(_text_cell(found["floor"], f))[0], [], note, direction
            if kind.startswith("bands"):
                bands = []
                for part in found["bands"].split("; "):
                    b = re.fullmatch(r"from (\S+): (\S+%)", part)
                    if not b:
                        break
                    bands.append({"from": values.measure(_text_cell(b[1], f))[0], "fraction": b[2]})
                else:
                    return "bands", None, bands, note, direction
            elif kind.startswith("milestone"):
                return "milestone", None, [], note, direction
            else:
                return "all_or_nothing", None, [], note, direction
        if self.words.none(text) or normal(text).startswith("no "):
            self.notes.append(
                Note(CONVERTED, self._where(f, file), what, f'read "{_short(text)}" as all or nothing (no partial achievement)')
            )
            return "all_or_nothing", None, [], "" if self.words.none(text) else text, ""
        self.notes.append(
            Note(
                TODO,
                self._where(f, file),
                what,
                f"the rule is in words; choose {scaffold.RULE_STUB}; the text is kept as its note",
            )
        )
        return _stub(scaffold.RULE_STUB, f"see the note, from {f.where}"), None, [], text, ""

    def _milestones(self, indicator: IndicatorFound, label: str) -> Any:
        f = indicator.fields.get("milestones")
        file = indicator.file
        out: list[dict[str, Any]] = []
        for month, note, value in indicator.milestone_rows:
            text = value.text
            if month == 0:  # a dated milestone row: its month is its date's
                dated = self._dated_milestone(value, label)
                if dated is None:
                    return _stub("the milestones, each a month and a target or description", f"from {value.where}")
                month, text = dated
            elif note:
                self.notes.append(Note(CONVERTED, self._where(value, file), f"{label} milestone", note))
            entry: dict[str, Any] = {"month": month}
            detail = self._milestone_detail(text, value, label, file)
            if detail is None:
                return _stub("the milestones, each a month and a target or description", f"from {value.where}")
            entry.update(detail)
            out.append(entry)
        if f is not None and f.text and not self.words.none(f.text) and not normal(f.text).startswith("none in year"):
            for line in [part for part in f.text.splitlines() if part.strip()]:
                head = re.match(r"\s*([^:]+?)\s*(?:\([^)]*\))?\s*[:\-–]\s*(.*)\Z", line)
                named = values.month_of(head[1], self.year) if head else None
                if head is None or named is None:
                    if normal(line).startswith(("yes", "see")):
                        continue
                    self.notes.append(
                        Note(
                            TODO,
                            self._where(f, file),
                            f"{label} milestones",
                            f'"{_short(line)}" names no month of the year; fill in the milestones',
                        )
                    )
                    return _stub(
                        "the milestones, each a month and a target or description",
                        f'the document says "{_short(f.text)}" at {f.where}',
                    )
                if named[1]:
                    self.notes.append(Note(CONVERTED, self._where(f, file), f"{label} milestone", named[1]))
                entry = {"month": named[0]}
                detail = self._milestone_detail(head[2], f, label, file)
                if detail is None:
                    return _stub("the milestones, each a month and a target or description", f"from {f.where}")
                entry.update(detail)
                out.append(entry)
        return out or None

    def _dated_milestone(self, value: Field, label: str) -> tuple[int, str] | None:
        """(month of the financial year, the rest of the row) from "30/09/2016 | 60%"; None when not one year's."""
        for at, cell in enumerate(value.cells):
            try:
                iso, _ = values.date(cell)
            except values.Unreadable:
                continue
            year, month = int(iso[:4]), int(iso[5:7])
            start = year if month >= 4 else year - 1
            held = f"{start}/{(start + 1) % 100:02d}"
            if self.year is not None and held != self.year:
                self.notes.append(
                    Note(TODO, cell.where, f"{label} milestone", f"{iso} is not in {self.year}; fill in the milestones")
                )
                return None
            fy_month = (month - 4) % 12 + 1
            self.notes.append(
                Note(CONVERTED, cell.where, f"{label} milestone", f"read the date {cell.text} as month {fy_month} of {held}")
            )
            rest = "; ".join(c.text for n, c in enumerate(value.cells) if n != at)
            return fy_month, rest
        return None

    def _milestone_detail(self, text: str, f: Field, label: str, file: str) -> dict[str, Any] | None:
        detail: dict[str, Any] = {}
        words: list[str] = []
        text = text.strip()
        if text.casefold() == "milestone":
            return detail
        parts = text.split("; ")
        for at, part in enumerate(parts):
            m = re.fullmatch(r"(target|floor) (\S+)", part)
            if m and not words and m[1] not in detail:
                detail[m[1]] = values.measure(_text_cell(m[2], f))[0]
                continue
            if at == 0 and re.fullmatch(r"[0-9]+(?:\.[0-9]+)?\s*%?", part):
                detail["target"] = values.measure(_text_cell(part, f))[0]
                continue
            words = parts[at:]
            break
        if words:
            detail["description"] = "; ".join(words)
        return detail


class _SectorGroup:
    def match(self, text: str) -> str | None:
        t = normal(text).removesuffix(" contract")
        for key, word in SECTOR_WORDS.items():
            if t in (normal(key), normal(word)):
                return key
        return None


def _text_cell(text: str, f: Field):
    from cquin_cli.importer.documents import Cell

    return Cell(text, f.where, 0, text)


def _source(text: str) -> str:
    return f" ({text})" if text else ""


def _no_guess(cell: Any) -> tuple[Any, str]:
    raise values.Unreadable(f'"{cell.text}" is neither yes nor no')


def _is_percent(value: Any) -> bool:
    return isinstance(value, str) and value.endswith("%") and not value.startswith("TODO")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


_PROVIDER_LINE = re.compile(
    r"(?P<name>.+) \((?P<code>[^()]+)\); (?P<sector>[a-z ]+) contract; (?P<ft>NHS foundation trust|not a foundation trust)"
)
_ONE_COMMISSIONER_TEXT = (
    r"(?P<name>[^;]+) \((?P<code>[^();]+)\), (?P<role>coordinating commissioner|associate), (?P<share>[0-9]+(?:\.[0-9]+)?%)"
)
_ONE_COMMISSIONER = re.compile(_ONE_COMMISSIONER_TEXT)


def _commissioners_line(f: Field | None) -> bool:
    return f is not None and all(_ONE_COMMISSIONER.fullmatch(part) for part in f.text.split("; "))


_HEADING = re.compile(r"\s*(?P<number>[0-9]+(?:\.[0-9]+)*)\.?\s+(?P<name>.*?)\s*\Z")
# The partial-achievement rule in the words cquin renders it (cquin_cli/render/words.py).
_RULE_WORDS = re.compile(
    r"(?P<kind>Linear: nothing at the floor of (?P<floor>\S+) or worse, in full at the target, in proportion between"
    r"|Bands \(the best band reached\): (?P<bands>.*?(?=(?: \((?:higher|lower) is better\))?(?:\. |\Z)))"
    r"|Milestone met \(paid in full\) or not met \(nothing\)"
    r"|All or nothing: paid in full when the target is met, else nothing)(?P<rest>.*)\Z",
    re.DOTALL,
)


def stated_value_notes(built: Built, priced: Any) -> list[Note]:
    """Each £ value the document states that is not what the scheme is worth (DOMAIN.md §4's split).

    The document's goal and indicator values are not imported: cquin prices them from
    the rate, the base and the weightings. A value that disagrees is reported, so a
    scheme whose figures never added up is seen before it is signed.
    """
    from cquin_cli.money import format_money

    goals = {g.number: g for g in priced.goals}
    indicators = {i.number: i for i in priced.indicators}
    notes = []
    for kind, number, f in built.stated_values:
        held = (goals if kind == "goal" else indicators).get(number)
        if held is None:
            continue
        try:
            stated = Decimal(values.amount(f.cell)[0])
        except values.Unreadable:
            continue
        if stated != held.value:
            notes.append(
                Note(
                    DIFFERS,
                    f.where,
                    f"{kind} {number} expected value",
                    f"the document says {format_money(stated)}; the scheme gives {format_money(held.value)} "
                    f"({held.weighting.normalize():f}% of the expected value {format_money(priced.expected_value)})",
                )
            )
    return notes


def build(found: Found, given: Given, files: list[str]) -> Built:
    return _Builder(found, given, files).build()
