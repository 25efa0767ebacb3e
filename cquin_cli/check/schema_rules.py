"""The rules schema: the scheme schema with the framework's year-dependent rules, made from the rulebook.

    python -m cquin_cli.check.schema_rules        # rewrites schemas/scheme-rules.schema.json (make schemas)

``schemas/scheme.schema.json`` holds the format of a scheme file: what cquin checks first,
on every file (rule E1). ``schemas/scheme-rules.schema.json`` is that schema with, in
``allOf``, the parts of the framework's rules that JSON Schema can say exactly, generated
here from cquin's rulebook (``cquin_cli/rulebook/rulebook.json``) and its national
indicator library, so they cannot drift from what cquin checks. It is for independent
validators (an editor, check-jsonschema, ajv); cquin itself checks the format with the
base schema and the rules with its own rule modules, whose messages cite their sources.

:data:`CARRIED` names the rules the rules schema carries, each with what of it:
a rule carried ``whole`` is rejected by the schema for exactly the schemes cquin flags
with it (tests/test_check_schema_rules.py checks this over every rule's failing example
and the samples); a rule carried ``in part`` is rejected only where cquin flags it, never
elsewhere, and the words say which part. What the schema cannot know - a local rulebook
(``rulebook = "path"``), whose facts change a year's rules for the repository that has
one - is not in it: the rules schema carries cquin's own rulebook.

``tests/test_check_schema_rules.py`` fails when the committed file differs from what
this module makes: run it again after changing the rulebook, the library or the base schema.
"""

from __future__ import annotations

import json
import os
import re

from cquin_cli.rulebook import rulebook
from cquin_cli.rulebook.national import library
from cquin_cli.schema_files import SOURCE_FOLDER, schema_text

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

TARGET = os.path.join(SOURCE_FOLDER, "scheme-rules.schema.json")
WHOLE = "whole"
IN_PART = "in part"

# Each rule the rules schema carries: whole, or in part and which part.
CARRIED: dict[str, tuple[str, str]] = {
    "E214": (WHOLE, "the financial year is one of the rulebook's years"),
    "E218": (WHOLE, "the year is one in which CQUIN was in force (a non-NHS provider in a year that paid them in full excepted)"),
    "E204": (WHOLE, "the rate is the year's national rate, or at most the year's ceiling, unless `rate_reason` is given"),
    "E220": (WHOLE, "a year with no confirmed rate needs `rate_source`"),
    "E207": (WHOLE, "a quality improvement plan only in the years and sectors that allow it, saying where it is recorded"),
    "E208": (
        IN_PART,
        "the last checkpoint is month 12, and a non-default payment outside the years paid in advance names the SHA in `agreed_by` "
        "(that every associate commissioner is named too is cquin's check alone: a schema cannot compare two lists)",
    ),
    "E210": (WHOLE, "an indicator not paid on milestones has a baseline value, a final value and a direction"),
    "E225": (WHOLE, "the year's required national goals for the provider's sector are named in `national_indicator`"),
    "E227": (WHOLE, "`base_kind`, when given, is the year's base"),
    "E224": (WHOLE, "a `national_indicator` written as an id is an id of the national indicator library"),
    "E228": (WHOLE, "in a year paid in advance, the whole value in 12 instalments (`on_account_share: 100%`)"),
}

NON_BLANK = {"type": "string", "pattern": r"\S"}
DEFAULT_SHARE = "90"
DEFAULT_INSTALMENTS = 12
DEFAULT_CHECKPOINTS = (6, 9, 12)
_PERCENT = re.compile(r"(\d+)(?:\.(\d+))?%\Z")


def _parts(percent: str) -> tuple[str, str]:
    """``"1.25%"`` -> ``("1", "25")``, leading zeros of the whole part and trailing zeros of the fraction dropped."""
    match = _PERCENT.match(percent)
    if match is None:
        raise ValueError(f"{percent!r} is not a percentage written like 25%")
    return match.group(1).lstrip("0"), (match.group(2) or "").rstrip("0")


def equal_to(percent: str) -> str:
    """A pattern for every way the scheme format writes the same percentage as ``percent``
    (``0.5%``, ``00.50%``): cquin compares rates as numbers, not as text."""
    whole, fraction = _parts(percent)
    tail = rf"\.{fraction}0*" if fraction else r"(\.0+)?"
    return rf"^0*{whole}{tail}%$"


def _escaped(text: str) -> str:
    """``text`` as a literal in an ECMA-262 pattern (which, unlike Python's, refuses an escaped hyphen)."""
    return re.sub(r"([.^$*+?()\[\]{}|\\/])", r"\\\1", text)


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"[{low}-{high}]"


def at_most(percent: str) -> str:
    """A pattern for every percentage (as the scheme format writes them) at most ``percent``."""
    whole, fraction = _parts(percent)
    smaller_whole = [""] if whole else []  # 0.x, when the ceiling is 1% or more
    if len(whole) > 1:
        smaller_whole.append(rf"[1-9][0-9]{{0,{len(whole) - 2}}}")
    for i, digit in enumerate(whole):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            smaller_whole.append(
                whole[:i] + _range(low, int(digit) - 1) + (f"[0-9]{{{len(whole) - i - 1}}}" if i < len(whole) - 1 else "")
            )
    smaller_fraction = [fraction + "0*"]
    for i, digit in enumerate(fraction):
        smaller_fraction.append(fraction[:i] + "0*" if i else "0+")
        if int(digit) > 0:
            smaller_fraction.append(fraction[:i] + _range(0, int(digit) - 1) + "[0-9]*")
    below = rf"(?:{'|'.join(dict.fromkeys(smaller_whole))})(\.[0-9]+)?" if smaller_whole else None
    same = rf"{whole}(\.(?:{'|'.join(dict.fromkeys(smaller_fraction))}))?"
    return rf"^0*(?:{below}|{same})%$" if below else rf"^0*{same}%$"


def _when(**properties: Any) -> dict:
    """``if`` the scheme's top-level ``properties`` are these (each present)."""
    return {"properties": properties, "required": sorted(properties)}


def _year_rules() -> list[dict]:
    """One ``if``/``then`` per year fact that decides a rule of the scheme (E204, E207, E218, E220, E227)."""
    out: list[dict] = []
    years = rulebook()
    for name, year in years.items():
        when = {"financial_year": {"const": name}}
        if not year.in_force:  # E218
            if year.get("non_nhs_paid_in_full"):
                from cquin_cli.check.year_rules import NON_NHS_SECTORS

                out.append(
                    {
                        "if": _when(**when),
                        "then": _when(provider={"type": "object", "properties": {"sector": {"enum": sorted(NON_NHS_SECTORS)}}}),
                    }
                )
            else:
                out.append({"if": _when(**when), "then": False})
        if year.base_kind:  # E227
            out.append({"if": _when(**when), "then": {"properties": {"base_kind": {"const": year.base_kind}}}})
        if not year.in_force:
            continue
        if year.has("rate"):  # E204
            rate = {"type": "string", "pattern": equal_to(year.get("rate"))}
        elif year.has("maximum_rate"):
            rate = {"type": "string", "pattern": at_most(year.get("maximum_rate"))}
        else:  # E220
            rate = None
        if rate is not None:
            out.append({"if": _when(**when), "then": {"anyOf": [_when(rate_reason=NON_BLANK), {"properties": {"rate": rate}}]}})
        else:
            out.append({"if": _when(**when), "then": _when(rate_source=NON_BLANK)})
        sectors = year.get("quality_improvement_plan_sectors", [])  # E207
        plan = {"scheme_kind": {"const": "quality_improvement_plan"}}
        allowed = _when(
            quality_improvement_plan=NON_BLANK, provider={"type": "object", "properties": {"sector": {"enum": sorted(sectors)}}}
        )
        out.append({"if": _when(**when, **plan), "then": allowed if sectors else False})
    return out


def _national_goals() -> list[dict]:
    """E225: for each year in force and sector, the national goals its schemes must name."""
    years = rulebook()
    wanted: dict[tuple[str, str], list[str]] = {}
    for ident, entry in library().items():
        for name, facts in entry.years.items():
            if name not in years or not years[name].in_force:
                continue
            for sector in facts.required_for:
                wanted.setdefault((name, sector), []).append(ident)
    out = []
    for (name, sector), idents in sorted(wanted.items()):
        named = [
            {
                "contains": {
                    "type": "object",
                    "required": ["indicators"],
                    "properties": {
                        "indicators": {
                            "type": "array",
                            "contains": {
                                "type": "object",
                                "required": ["national_indicator"],
                                "properties": {
                                    "national_indicator": {"type": "string", "pattern": rf"^\s*{_escaped(ident)}\s*$"}
                                },
                            },
                        }
                    },
                }
            }
            for ident in idents
        ]
        when = _when(
            financial_year={"const": name},
            provider={"type": "object", "properties": {"sector": {"const": sector}}, "required": ["sector"]},
        )
        out.append({"if": when, "then": {"properties": {"goals": {"type": "array", "allOf": named}}}})
    return out


def _payment() -> list[dict]:
    """E208: the last checkpoint is month 12; a payment other than the default names the SHA.
    E228: in a year paid in advance (the rulebook's ``payment_mode``), the whole value in 12
    instalments instead, and no SHA asked."""
    default = {
        "properties": {
            "on_account_share": {
                "description": "The default share on account, 90%.",
                "type": "string",
                "pattern": equal_to(DEFAULT_SHARE + "%"),
            },
            "instalments": {"description": "The default, 12 monthly instalments.", "const": DEFAULT_INSTALMENTS},
            "checkpoints": {
                "description": "The default checkpoints, months 6, 9 and 12.",
                "type": "array",
                "minItems": len(DEFAULT_CHECKPOINTS),
                "maxItems": len(DEFAULT_CHECKPOINTS),
                "uniqueItems": True,
                "items": {"enum": list(DEFAULT_CHECKPOINTS)},
            },
        }
    }
    agreed = {
        "required": ["agreed_by"],
        "properties": {
            "agreed_by": {
                "description": "A non-default arrangement is agreed by the SHA (guidance ¶65).",
                "type": "array",
                "contains": {"const": "SHA"},
            }
        },
    }
    in_advance = [name for name, year in rulebook().items() if year.payment_mode.in_advance]
    whole = {
        "description": "Paid in advance: the whole expected value in 12 monthly instalments (E228).",
        "type": "object",
        "required": ["on_account_share", "instalments"],
        "properties": {
            "on_account_share": {"description": "The whole value, 100%.", "type": "string", "pattern": equal_to("100%")},
            "instalments": {"description": "12 monthly instalments.", "const": DEFAULT_INSTALMENTS},
        },
    }
    last_checkpoint = {
        "properties": {
            "payment": {
                "description": "The last checkpoint is month 12: the final payment rests on the year's outturn (E208).",
                "type": "object",
                "properties": {
                    "checkpoints": {"description": "The last checkpoint is month 12.", "type": "array", "contains": {"const": 12}}
                },
            }
        }
    }
    return [
        last_checkpoint,
        {
            "if": _when(financial_year={"enum": in_advance}),
            "then": {"required": ["payment"], "properties": {"payment": whole}},
            "else": {
                "properties": {
                    "payment": {
                        "description": "The default arrangement, or one the SHA agreed (guidance ¶65-66; E208).",
                        "type": "object",
                        "anyOf": [default, agreed],
                    }
                }
            },
        },
    ]


def _indicator() -> dict:
    """E210: an indicator paid on a rule that measures values has a baseline value, a final value and a direction."""
    from cquin_cli.partial_achievement import RULES

    met_or_not = sorted(name for name, rule in RULES.items() if rule.met_or_not)
    valued = {
        "description": "With a value (guidance ¶56, ¶58; E210).",
        "type": "object",
        "required": ["value"],
        "properties": {"value": True},
    }
    return {
        "if": {
            "properties": {
                "partial_achievement": {"type": "object", "properties": {"rule": {"enum": met_or_not}}, "required": ["rule"]}
            },
            "required": ["partial_achievement"],
        },
        "else": {
            "required": ["baseline", "final", "direction"],
            "properties": {"baseline": valued, "final": valued, "direction": True},
        },
    }


def _national_id() -> dict:
    """E224: a ``national_indicator`` that looks like an id (spaces around it aside) is one of the library's."""
    from cquin_cli.rulebook.national import ID_FORM

    form = ID_FORM.pattern.removeprefix("^").removesuffix("$")
    known = "|".join(_escaped(ident) for ident in library())
    return {
        "properties": {
            "national_indicator": {
                "description": "An id of the national indicator library (E224).",
                "type": "string",
                "anyOf": [{"not": {"pattern": rf"^\s*{form}\s*$"}}, {"pattern": rf"^\s*(?:{known})\s*$"}],
            }
        }
    }


def rules_schema() -> dict:
    """The base scheme schema with the rules of :data:`CARRIED` added to its ``allOf``."""
    schema = json.loads(schema_text("scheme"))
    schema["$id"] = schema["$id"].replace("/scheme.schema.json", "/scheme-rules.schema.json")
    schema["title"] = schema["title"] + ", with the framework's rules"
    schema["description"] = (
        schema["description"] + " This schema adds the rules of cquin's rulebook that JSON Schema can say exactly "
        "(" + ", ".join(CARRIED) + "; docs/rules.md marks them), for editors and independent validators; "
        "it is generated from the rulebook and the national indicator library, and a repository's local rulebook is not in it."
    )
    years = list(rulebook())
    schema["properties"]["financial_year"] = {**schema["properties"]["financial_year"], "enum": years}  # E214
    schema["allOf"] = [*schema.get("allOf", []), *_year_rules(), *_national_goals(), *_payment()]
    indicator = schema["$defs"]["indicator"]
    indicator["allOf"] = [*indicator.get("allOf", []), _indicator(), _national_id()]
    return schema


def rules_schema_text() -> str:
    return json.dumps(rules_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    from cquin_cli.atomic import atomic_write

    atomic_write(TARGET, rules_schema_text())
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
