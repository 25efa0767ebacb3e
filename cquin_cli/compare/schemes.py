"""What changed between two versions of a scheme, in a negotiator's words, and what it is worth.

A pure stage: two :class:`Version` values (each the file's bytes, checked and priced)
in, one :class:`SchemeDiff` out. Nothing here reads git or prints.

* **Terms**: the scheme's own terms (year, provider, rate, contract value, payment
  arrangement, commissioners and shares); goals and indicators added or removed;
  for each indicator kept, its weighting, baseline, final value (the target), direction,
  floor and partial-achievement rule, milestones, kind and provenance. Within one year,
  goals and indicators are matched by number (unique in a scheme, E213), then, for a
  renumbered one, by name. Across years they are matched by lineage (``continues:
  2009/10 goal 3``, ``continues: 2009/10 indicator 3.1``), then by name, never by number
  alone: a number is reused from year to year for something else.
* **Money**: :func:`cquin_cli.compute.pricing.price` on both versions; per indicator the
  old £, new £ and the change, and each commissioner's share of that change (the
  commissioner's part of the new value less its part of the old, so the shares add up
  exactly to the change); per commissioner, the change in expected value and on account.
* **Findings**: what ``cquin lint`` reports for the file at its real path, on both
  versions: validate's findings and the design-quality rules with that path's
  configuration (``.cquin.toml`` / ``[tool.cquin]`` found from the file's real path:
  options, disabled rules, severities, per-path blocks) and the ``# cquin: allow``
  suppressions written in that version's own text. A finding is the same on both sides
  when its code, message and document path are (line numbers move when lines are
  added above it), so what is left is *introduced* or *resolved*.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cquin_cli.diagnostics import Diagnostic, Severity, sort_diagnostics
from cquin_cli.load.scheme import Goal, Indicator, Scheme
from cquin_cli.load.yaml_reader import LoadError
from cquin_cli.money import ZERO, format_percent


@dataclass(frozen=True, slots=True)
class Version:
    """One side of a comparison: where it came from, and what cquin makes of it."""

    path: str | None  # as shown to the user (repository-relative), None when absent
    label: str  # "main (3f2a1c9)", "working tree", or a file name
    scheme: Scheme | None = None
    price: Any = None  # cquin_cli.compute.pricing.Price
    diagnostics: tuple[Diagnostic, ...] = ()
    is_scheme: bool = True  # False for YAML that is not a scheme (left out of the diff)
    suppressed: int = 0  # findings suppressed by `# cquin: allow` comments in this version
    errors: tuple[str, ...] = ()  # the codes of its error-level findings: then it is not priced

    @property
    def not_priced(self) -> str | None:
        """Why this version has no money ("not priced: it has errors (E202)"), or None when it is priced."""
        if self.path is None or self.price is not None:
            return None
        if self.errors:
            return f"not priced: it has errors ({', '.join(self.errors)})"
        return "not priced: it cannot be read as a scheme"


def _looks_like_a_scheme(values: Any) -> bool:
    return isinstance(values, dict) and ("financial_year" in values or "goals" in values)


def load_version(
    raw: bytes | LoadError | None, path: str | None, label: str, *, real_path: str | None = None, finder: Any = None
) -> Version:
    """Check, lint and price one version of a file held as bytes (or why it could not be read).

    ``path`` is the name shown, and the bytes are checked as that file
    (:func:`cquin_cli.check.pipeline.check_text`: nothing is written anywhere);
    ``real_path`` is where the file lives (or lived) on disk, from which its
    configuration is found (default: ``path``). The findings are what ``cquin lint``
    reports for the file at ``real_path`` (:func:`cquin_cli.check.lint.lint_findings`):
    the design-quality rules with that path's options, its disabled rules and severities,
    then the suppressions written in this version's own text. The configuration's own
    problems (E50x) are ``cquin lint``'s to report: they are the same on both sides.
    The bytes are parsed once more only when they fail the scheme format, to tell a
    broken scheme from YAML that is not a scheme at all.
    """
    if raw is None or path is None:
        return Version(path, label)
    from cquin_cli.check.config import ConfigFinder
    from cquin_cli.check.lint import lint_findings
    from cquin_cli.check.pipeline import check_text, load_diagnostics
    from cquin_cli.compute.pricing import price
    from cquin_cli.load.yaml_reader import Loaded, parse_yaml

    if isinstance(raw, LoadError):  # the one reader refused it (a FIFO, a device, too large)
        return Version(path, label, diagnostics=tuple(load_diagnostics(Loaded(path, error=raw))))
    settings = (finder or ConfigFinder()).settings_for(real_path or path)
    result = check_text(raw, path, lint=settings)
    if result.scheme is None and not any(d.code.startswith("E0") for d in result.diagnostics):
        if not _looks_like_a_scheme(parse_yaml(raw, path).value):
            return Version(path, label, is_scheme=False)
    scheme = result.scheme if isinstance(result.scheme, Scheme) else None  # check_text keeps whole schemes
    reported, suppressed = lint_findings(result.diagnostics, [result], lambda _file: settings)
    diagnostics = tuple(sort_diagnostics(reported))
    errors = sorted({d.code for d in diagnostics if d.severity is Severity.ERROR})
    priced = None
    if scheme is not None and not errors:  # a version with errors is never priced
        try:
            priced = price(scheme)
        except Exception:  # pragma: no cover - a scheme too broken to price has errors, and is not priced
            priced = None
    return Version(path, label, scheme, priced, diagnostics, suppressed=len(suppressed), errors=tuple(errors))


# ---------------------------------------------------------------------------
# The result.


def _change(old: Decimal | None, new: Decimal | None) -> Decimal | None:
    """new - old; None (no figure) when either version is not priced."""
    return None if old is None or new is None else new - old


@dataclass(frozen=True, slots=True)
class TermChange:
    """One term that changed: what it is, its old and new wording (``None``: absent)."""

    what: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class CommissionerShare:
    code: str
    old: Decimal
    new: Decimal

    @property
    def change(self) -> Decimal:
        return self.new - self.old


@dataclass(frozen=True, slots=True)
class IndicatorDiff:
    number: str
    name: str
    goal: str
    status: str  # added, removed, changed, unchanged
    old_value: Decimal | None  # None: that version is not priced (it has errors)
    new_value: Decimal | None
    terms: tuple[TermChange, ...] = ()
    commissioners: tuple[CommissionerShare, ...] = ()

    @property
    def change(self) -> Decimal | None:
        return _change(self.old_value, self.new_value)


@dataclass(frozen=True, slots=True)
class CommissionerDiff:
    code: str
    name: str
    old_share: Decimal | None
    new_share: Decimal | None
    old_value: Decimal | None  # None: that version is not priced (it has errors)
    new_value: Decimal | None
    old_on_account: Decimal | None
    new_on_account: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return _change(self.old_value, self.new_value)

    @property
    def on_account_change(self) -> Decimal | None:
        return _change(self.old_on_account, self.new_on_account)


@dataclass(frozen=True, slots=True)
class SchemeDiff:
    old: Version
    new: Version
    status: str  # added, deleted, modified, renamed
    title: str
    terms: tuple[TermChange, ...] = ()
    goals: tuple[TermChange, ...] = ()
    indicators: tuple[IndicatorDiff, ...] = ()
    commissioners: tuple[CommissionerDiff, ...] = ()
    old_expected: Decimal | None = ZERO  # None: that version is not priced (it has errors)
    new_expected: Decimal | None = ZERO
    introduced: tuple[Diagnostic, ...] = ()
    resolved: tuple[Diagnostic, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def expected_change(self) -> Decimal | None:
        return _change(self.old_expected, self.new_expected)

    @property
    def changed_indicators(self) -> tuple[IndicatorDiff, ...]:
        return tuple(i for i in self.indicators if i.status != "unchanged")

    @property
    def has_changes(self) -> bool:
        return bool(
            self.status in ("added", "deleted", "renamed")
            or self.terms
            or self.goals
            or self.changed_indicators
            or self.introduced
            or self.resolved
            or any(c.change or c.on_account_change for c in self.commissioners)
        )


# ---------------------------------------------------------------------------
# Wording of values.


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else format_percent(value)


def _period(p) -> str | None:
    if p is None:
        return None
    return f"{_num(p.value)} ({p.period})" if p.value is not None else f"no value ({p.period})"


def _rule(indicator: Indicator) -> str:
    pa = indicator.partial_achievement
    return pa.rule.summary(pa)


def _milestone(m) -> str:
    if m.target is None:
        return m.description or "met / not met"
    return f"{_num(m.target)}" + (f" (floor {_num(m.floor)})" if m.floor is not None else "")


def _term(out: list[TermChange], what: str, old: Any, new: Any) -> None:
    if old != new:
        out.append(TermChange(what, None if old is None else str(old), None if new is None else str(new)))


# ---------------------------------------------------------------------------


def _indicator_terms(old: Indicator, new: Indicator) -> list[TermChange]:
    out: list[TermChange] = []
    if old.number != new.number:
        _term(out, "number", old.number, new.number)
    _term(out, "name", old.name, new.name)
    if old.goal_number != new.goal_number:
        _term(out, "goal", old.goal_number, new.goal_number)
    _term(out, "weighting", _pct(old.weighting), _pct(new.weighting))
    _term(out, "baseline", _period(old.baseline), _period(new.baseline))
    _term(out, "final value (target)", _period(old.final), _period(new.final))
    _term(out, "direction", old.direction and f"{old.direction} is better", new.direction and f"{new.direction} is better")
    _term(out, "floor", _num(old.partial_achievement.floor), _num(new.partial_achievement.floor))
    _term(out, "payment rule", _rule(old), _rule(new))
    old_m = {m.month: m for m in old.milestones}
    new_m = {m.month: m for m in new.milestones}
    for month in sorted(set(old_m) | set(new_m)):
        _term(
            out,
            f"milestone month {month}",
            old_m.get(month) and _milestone(old_m[month]),
            new_m.get(month) and _milestone(new_m[month]),
        )
    _term(out, "final reporting date", old.final_reporting_date, new.final_reporting_date)
    _term(out, "kind", old.kind.replace("_", " "), new.kind.replace("_", " "))
    _term(out, "provenance", old.provenance, new.provenance)
    _term(out, "pathway", old.pathway, new.pathway)
    wording = [
        key.replace("_", " ")
        for key in (
            "description",
            "numerator",
            "denominator",
            "rationale",
            "outcome_link",
            "data_source",
            "collection_frequency",
            "responsible_organisation",
            "reporting_frequency",
            "equality",
        )
        if getattr(old, key) != getattr(new, key)
    ]
    if wording:
        out.append(TermChange("wording of " + ", ".join(wording), None, None))
    return out


def _match(old: tuple[Indicator, ...], new: tuple[Indicator, ...]) -> list[tuple[Indicator | None, Indicator | None]]:
    """Pairs of (old, new) indicators: by number, then a renumbered one by its name."""
    by_number = {i.number: i for i in old}
    pairs: list[tuple[Indicator | None, Indicator | None]] = []
    unmatched_new = []
    used: set[str] = set()
    for indicator in new:
        previous = by_number.get(indicator.number)
        if previous is not None and previous.number not in used:
            used.add(previous.number)
            pairs.append((previous, indicator))
        else:
            unmatched_new.append(indicator)
    left = [i for i in old if i.number not in used]
    for indicator in unmatched_new:
        same_name = next((o for o in left if o.name == indicator.name), None)
        if same_name is not None:
            left.remove(same_name)
            pairs.append((same_name, indicator))
        else:
            pairs.append((None, indicator))
    pairs += [(o, None) for o in left]
    return pairs


def _lineage(link: str, year: str, kind: str) -> str | None:
    """The number ``link`` names in ``year``'s scheme ("2009/10 goal 3" -> "3"), or None when it names another year."""
    prefix = f"{year} {kind} "
    return link[len(prefix) :].strip() if link.startswith(prefix) else None


def _goal_pairs(old: Scheme, new: Scheme) -> list[tuple[Goal | None, Goal | None]]:
    """Goals of two schemes paired: in one year by number; across years by lineage, then by name."""
    if old.financial_year == new.financial_year:
        old_g = {g.number: g for g in old.goals}
        new_g = {g.number: g for g in new.goals}
        return [(old_g.get(n), new_g.get(n)) for n in [*new_g, *(n for n in old_g if n not in new_g)]]
    left = list(old.goals)
    pairs: list[tuple[Goal | None, Goal | None]] = []
    unpaired = []
    for goal in new.goals:
        number = _lineage(goal.continues, old.financial_year, "goal")
        previous = next((g for g in left if g.number == number), None)
        if previous is not None:
            left.remove(previous)
            pairs.append((previous, goal))
        else:
            unpaired.append(goal)
    for goal in unpaired:
        same_name = next((g for g in left if g.name == goal.name), None)
        if same_name is not None:
            left.remove(same_name)
        pairs.append((same_name, goal))
    return pairs + [(g, None) for g in left]


def _match_across_years(old: Scheme, new: Scheme) -> list[tuple[Indicator | None, Indicator | None]]:
    """Indicators of two years' schemes paired by lineage, never by number alone.

    An indicator's own link (``continues: 2009/10 indicator S1``) first, then an indicator
    of the same name. The rest are added or removed: last year's 1.1 and this year's 1.1
    are not the same indicator because they share a number, nor are two indicators because
    their goals continue one another (a continued goal may measure itself anew).
    """
    year = old.financial_year
    left = list(old.indicators)
    paired: dict[int, Indicator] = {}
    for i, indicator in enumerate(new.indicators):
        number = _lineage(indicator.continues, year, "indicator")
        previous = next((o for o in left if o.number == number), None)
        if previous is not None:
            left.remove(previous)
            paired[i] = previous
    for i, indicator in enumerate(new.indicators):
        if i not in paired:
            previous = next((o for o in left if o.name == indicator.name), None)
            if previous is not None:
                left.remove(previous)
                paired[i] = previous
    pairs: list[tuple[Indicator | None, Indicator | None]] = [
        (paired.get(i), indicator) for i, indicator in enumerate(new.indicators)
    ]
    return pairs + [(o, None) for o in left]


def _values(version: Version) -> dict[str, Decimal] | None:
    """Each indicator's value in this version; None when it is not priced (an absent version is worth nothing)."""
    if version.not_priced is not None:
        return None
    if version.price is None:
        return {}
    return {i.number: i.value for i in version.price.indicators}


def _amount(version: Version, amount: Decimal | None) -> Decimal | None:
    """An amount of a priced version as it is (a missing one is zero); None for a version not priced."""
    return None if version.not_priced is not None else amount if amount is not None else ZERO


def _shares(version: Version, amount: Decimal) -> dict[str, Decimal]:
    from cquin_cli.compute.pricing import by_commissioner

    scheme = version.scheme
    if scheme is None or not amount or sum((c.share for c in scheme.commissioners), Decimal(0)) <= 0:
        return {}
    return {c.code: part for c, part in zip(scheme.commissioners, by_commissioner(scheme, amount))}


def _commissioner_codes(old: Version, new: Version) -> list[str]:
    codes: list[str] = []
    for version in (new, old):
        if version.scheme is not None:
            for c in version.scheme.commissioners:
                if c.code not in codes:
                    codes.append(c.code)
    return codes


def _scheme_terms(old: Scheme | None, new: Scheme | None, old_price, new_price) -> list[TermChange]:
    out: list[TermChange] = []
    if old is None or new is None:
        return out
    _term(out, "financial year", old.financial_year, new.financial_year)
    _term(out, "provider", f"{old.provider.name} ({old.provider.code})", f"{new.provider.name} ({new.provider.code})")
    _term(out, "sector", old.provider.sector.replace("_", " "), new.provider.sector.replace("_", " "))
    _term(out, "commissioning route", old.commissioning_route.replace("_", " "), new.commissioning_route.replace("_", " "))
    _term(out, "scheme kind", old.scheme_kind.replace("_", " "), new.scheme_kind.replace("_", " "))
    _term(out, "rate", _pct(old.rate), _pct(new.rate))
    from cquin_cli.money import format_money

    for part in ("tariff_income", "non_tariff_income", "excluded_income"):
        _term(
            out,
            part.replace("_", " "),
            format_money(getattr(old.contract_value, part)),
            format_money(getattr(new.contract_value, part)),
        )
    _term(out, "on-account share", _pct(old.payment.on_account_share), _pct(new.payment.on_account_share))
    _term(out, "instalments", old.payment.instalments, new.payment.instalments)
    _term(
        out,
        "reconciliation checkpoints",
        ", ".join(map(str, old.payment.checkpoints)),
        ", ".join(map(str, new.payment.checkpoints)),
    )
    _term(
        out, "payment arrangement agreed by", ", ".join(old.payment.agreed_by) or None, ", ".join(new.payment.agreed_by) or None
    )
    _term(out, "coordinating commissioner", old.coordinating_commissioner.code, new.coordinating_commissioner.code)
    old_c = {c.code: c for c in old.commissioners}
    new_c = {c.code: c for c in new.commissioners}
    for code in [*new_c, *(c for c in old_c if c not in new_c)]:
        a, b = old_c.get(code), new_c.get(code)
        _term(out, f"share of {code}", a and _pct(a.share), b and _pct(b.share))
    _term(out, "agreement date", old.agreement.date if old.agreement else None, new.agreement.date if new.agreement else None)
    if bool(old.equality) != bool(new.equality):
        _term(out, "equality statement", "stated" if old.equality else None, "stated" if new.equality else None)
    if old.separate_incentive_scheme != new.separate_incentive_scheme:
        old_sis, new_sis = old.separate_incentive_scheme, new.separate_incentive_scheme
        _term(
            out,
            "separate incentive scheme (Schedule 18 Part 3)",
            old_sis and format_money(old_sis.value),
            new_sis and format_money(new_sis.value),
        )
    return out


def _goal_terms(old: Scheme | None, new: Scheme | None) -> list[TermChange]:
    out: list[TermChange] = []
    if old is None or new is None:
        return out
    for a, b in _goal_pairs(old, new):
        if a is None or b is None:
            if b is not None:
                what = f"goal {b.number}"
            else:
                assert a is not None  # a pair is never two absent goals
                # across years a removed goal is named with its year: this year's goal of that number may be another
                what = f"{old.financial_year} goal {a.number}" if old.financial_year != new.financial_year else f"goal {a.number}"
            _term(out, what, a and f"{a.name} ({_pct(a.weighting)})", b and f"{b.name} ({_pct(b.weighting)})")
            continue
        number = b.number
        if a.number != b.number:
            _term(out, f"goal {number} number", a.number, b.number)
        _term(out, f"goal {number} weighting", _pct(a.weighting), _pct(b.weighting))
        _term(out, f"goal {number} name", a.name, b.name)
        _term(out, f"goal {number} domain", a.domain.replace("_", " "), b.domain.replace("_", " "))
    return out


def _finding_key(d: Diagnostic) -> tuple:
    return (d.code, d.message, tuple(d.location.path))


def _difference(left: tuple[Diagnostic, ...], right: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
    """Findings of ``left`` not matched on the ``right`` (counted, so duplicates pair one to one)."""
    remaining = Counter(_finding_key(d) for d in right)
    out = []
    for d in left:
        key = _finding_key(d)
        if remaining[key]:
            remaining[key] -= 1
        else:
            out.append(d)
    return tuple(out)


def compare(old: Version, new: Version, status: str) -> SchemeDiff:
    """The whole difference between two versions of one scheme file."""
    scheme = new.scheme or old.scheme
    title = scheme.title if scheme else (new.path or old.path or "")
    old_values, new_values = _values(old), _values(new)
    indicators = []
    codes = _commissioner_codes(old, new)
    old_inds = old.scheme.indicators if old.scheme else ()
    new_inds = new.scheme.indicators if new.scheme else ()
    if old.scheme is not None and new.scheme is not None and old.scheme.financial_year != new.scheme.financial_year:
        pairs = _match_across_years(old.scheme, new.scheme)  # by lineage, not by number
    else:
        pairs = _match(old_inds, new_inds)
    for a, b in pairs:
        old_value = None if old_values is None else old_values.get(a.number, ZERO) if a else ZERO
        new_value = None if new_values is None else new_values.get(b.number, ZERO) if b else ZERO
        terms = tuple(_indicator_terms(a, b)) if a and b else ()
        if a is None:
            state = "added"
        elif b is None:
            state = "removed"
        else:
            state = (
                "changed"
                if terms or (old_value is not None and new_value is not None and old_value != new_value)
                else "unchanged"
            )
        shares: tuple[CommissionerShare, ...] = ()
        if old_value is not None and new_value is not None and old_value != new_value:
            old_parts, new_parts = _shares(old, old_value), _shares(new, new_value)
            shares = tuple(CommissionerShare(code, old_parts.get(code, ZERO), new_parts.get(code, ZERO)) for code in codes)
        ref = b or a
        assert ref is not None
        indicators.append(IndicatorDiff(ref.number, ref.name, ref.goal_number, state, old_value, new_value, terms, shares))
    commissioners = []
    old_cv = {c.code: c for c in (old.price.commissioners if old.price else ())}
    new_cv = {c.code: c for c in (new.price.commissioners if new.price else ())}
    old_cs = {c.code: c for c in (old.scheme.commissioners if old.scheme else ())}
    new_cs = {c.code: c for c in (new.scheme.commissioners if new.scheme else ())}
    for code in codes:
        a, b = old_cv.get(code), new_cv.get(code)
        name = (new_cs.get(code) or old_cs.get(code)).name  # type: ignore[union-attr]
        commissioners.append(
            CommissionerDiff(
                code,
                name,
                old_cs[code].share if code in old_cs else None,
                new_cs[code].share if code in new_cs else None,
                _amount(old, a and a.value),
                _amount(new, b and b.value),
                _amount(old, a and a.on_account),
                _amount(new, b and b.on_account),
            )
        )
    notes = []
    for version, side in ((old, "old"), (new, "new")):
        if version.path is not None and version.scheme is None:
            errors = [d for d in version.diagnostics if d.severity.value == "error"]
            why = f" ({errors[0]}{f' and {len(errors) - 1} more' if len(errors) > 1 else ''})" if errors else ""
            notes.append(
                f"the {side} version ({version.label}) cannot be read as a scheme{why}: it counts as no indicators, and is not priced"
            )
    return SchemeDiff(
        old=old,
        new=new,
        status=status,
        title=title,
        terms=tuple(_scheme_terms(old.scheme, new.scheme, old.price, new.price)),
        goals=tuple(_goal_terms(old.scheme, new.scheme)),
        indicators=tuple(indicators),
        commissioners=tuple(commissioners),
        old_expected=_amount(old, old.price and old.price.expected_value),
        new_expected=_amount(new, new.price and new.price.expected_value),
        introduced=_difference(new.diagnostics, old.diagnostics),
        resolved=_difference(old.diagnostics, new.diagnostics),
        notes=tuple(notes),
    )
