"""`cquin new`: a scaffold from the rulebook that validates only once its stubs are filled in."""

from __future__ import annotations

import re

from cquin_cli.format.layout import format_bytes


def fill(text: str) -> str:
    """Fill every stub the way a contract manager would (the values are illustrative)."""
    values = {
        "provider's name": '"Northfield Hospitals NHS Trust"',
        "acute, community": "acute",
        "true for an NHS foundation trust": "false",
        "coordinating commissioner's name": '"Northfield PCT"',
        "its share of the contract, e.g. 70%": "70%",
        "the name of associate": '"Bramley PCT"',
        "its share of the contract; all shares": "30%",
        "tariff income including": '"180000000.00"',
        "non-tariff income": '"20500000.00"',
        "income not financed": '"500000.00"',
        "the date the scheme was agreed": "2010-03-20",
        "who signed": "Dr A. Moss",
        "their role": "Medical Director",
        "the organisation they signed for": "Northfield Hospitals NHS Trust",
        "how the scheme considers equality": "Every measure is reported by age, sex and ethnicity.",
        "the baseline value": "55",
        "the value to reach": "90",
        "YYYY-MM-DD, e.g.": "2011-04-30",
        "higher or lower": "higher",
        "all_or_nothing, linear": "all_or_nothing",
        "process, outcome": "outcome",
        "national, regional or local": "national",
    }

    def replace(match: re.Match) -> str:
        hint = match.group(1)
        for start, value in values.items():
            if hint.startswith(start) or start in hint:
                return value
        return '"Filled in: ' + hint.replace('"', "'") + '"'

    return re.sub(r'"TODO: ([^"]*)"', replace, text)


def test_scaffold_lists_each_stub_at_its_line_and_validates_once_filled(cquin, tmp_path):
    scheme = tmp_path / "northfield-2010-11.yaml"
    made = cquin(
        "new", "--provider", "RNF", "--year", "2010/11", "--commissioner", "5NF", "--commissioner", "5NB", "-o", str(scheme)
    )
    assert made.exit_code == 0, made.stderr
    text = scheme.read_text()
    assert "rate: 1.5%" in text and "on_account_share: 90%" in text and "checkpoints: [6, 9, 12]" in text
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("domain:")] == [
        "domain: safety",
        "domain: effectiveness",
        "domain: patient_experience",
        "domain: innovation",
    ]
    assert text.count("weighting: 25%") == 8

    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    stub_lines = [n for n, line in enumerate(text.splitlines(), start=1) if '"TODO:' in line]
    reported = [line for line in result.stdout.splitlines() if re.match(r"^\S+:\d+:\d+: error ", line)]
    assert all(" E111 fill in " in line for line in reported), reported  # nothing but the stubs
    assert sorted(int(line.split(":")[1]) for line in reported) == stub_lines  # each stub, at its line
    assert f"{scheme}:7:3: error E111 fill in `name` of `provider`: the provider's name" in result.stdout
    assert "fill in `share` of associate 5NB" in result.stdout
    assert "fill in `name` of signatory 1: who signed" in result.stdout
    assert "fill in `direction` of indicator 1.1: higher or lower: which is better" in result.stdout

    # 2010/11 acute schemes must include two national goals (E225); the scaffold says which
    assert (
        "# 2010/11 acute schemes must include the national goals vte-risk-assessment (VTE risk assessment), patient-personal-needs"
        in text
    )
    filled_text = fill(text)
    for number, ident in (("1.1", "vte-risk-assessment"), ("3.1", "patient-personal-needs")):
        at = filled_text.index("        provenance: national\n", filled_text.index(f'      - number: "{number}"'))
        filled_text = filled_text[:at] + f"        national_indicator: {ident}\n" + filled_text[at:]
    scheme.write_text(filled_text)
    filled = cquin("validate", str(scheme))
    assert filled.exit_code == 0, filled.stdout
    assert "no problems" in filled.stdout


def test_the_scaffold_is_in_canonical_layout(cquin, tmp_path):
    text = cquin("new", "--provider", "RNF", "--year", "2009/10", "--name", "Northfield", "--sector", "acute").stdout
    assert "rate: 0.5%" in text
    assert 'name: "Northfield"' in text and "sector: acute" in text
    assert not format_bytes(text.encode(), "s.yaml").changed


def test_never_overwrites_a_file(cquin, tmp_path):
    existing = tmp_path / "scheme.yaml"
    existing.write_text("agreed: true\n")
    result = cquin("new", "--provider", "RNF", "--year", "2010/11", "-o", str(existing))
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert existing.read_text() == "agreed: true\n"


def test_a_year_the_rulebook_does_not_know_exits_2(cquin):
    result = cquin("new", "--provider", "RNF", "--year", "2031/32")
    assert result.exit_code == 2
    assert "the rulebook has no financial year '2031/32'" in result.stderr
    suspended = cquin("new", "--provider", "RNF", "--year", "2020/21")
    assert suspended.exit_code == 2 and "suspended" in suspended.stderr


def test_a_todo_left_in_a_real_scheme_is_reported(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "s.yaml"
    scheme.write_text(worked_example_text.replace("name: Northfield PCT", 'name: "TODO: check the PCT\'s legal name"'))
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    assert re.search(
        r":14:3: error E111 fill in `name` of `coordinating_commissioner`: check the PCT's legal name", result.stdout
    )


def test_an_unknown_year_names_the_years_the_rulebook_knows(cquin):
    result = cquin("new", "--provider", "RXX", "--year", "2008/09")
    assert result.exit_code == 2
    assert "it knows 2009/10, 2010/11" in result.stderr


def test_a_todo_spelt_with_an_escape_is_still_reported(cquin, tmp_path, worked_example_text):
    """The text is searched for TODO before the values are walked; an escape hides it from the text."""
    scheme = tmp_path / "s.yaml"
    scheme.write_text(worked_example_text.replace("name: Northfield PCT", 'name: "\\x54ODO: check the PCT\'s legal name"'))
    assert "TODO" not in scheme.read_text()
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    assert re.search(
        r":14:3: error E111 fill in `name` of `coordinating_commissioner`: check the PCT's legal name", result.stdout
    )


# --- values given on the command line are written as exactly that text -----------------

import pytest  # noqa: E402

from cquin_cli.load.yaml_reader import parse_yaml  # noqa: E402


@pytest.mark.parametrize("option", ["--provider", "--name", "--commissioner"])
@pytest.mark.parametrize(
    "character, words",
    [
        ("\n", "U+000A"),
        ("\r", "U+000D"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\x00", "U+0000"),
    ],
)
def test_a_control_character_in_a_value_is_refused_and_nothing_is_written(cquin, tmp_path, option, character, words):
    out = tmp_path / "new.yaml"
    args = ["new", "--provider", "RNF", "--year", "2010/11", "--commissioner", "5N4", "-o", str(out)]
    value = f"RNF{character}rate: 99%"
    if option == "--provider":
        args[2] = value
    else:
        args += [option, value]
    result = cquin(*args)
    assert result.exit_code == 2
    assert option in result.stderr and words in result.stderr
    assert not out.exists()


def test_an_overlong_value_is_refused(cquin):
    result = cquin("new", "--provider", "R" * 201, "--year", "2010/11")
    assert result.exit_code == 2
    assert "--provider" in result.stderr and "200 characters" in result.stderr


VALUES = [
    'Say "hi"',
    "a: b",
    "x # not a comment",
    "  leading and trailing  ",
    "yes",
    "017",
    "Ysbyty Gwynedd — Bangor £ ü 病院",
    "'single'",
    "-",
    "@x",
    "null",
    "~",
    "{a: 1}",
    "[1]",
    "&anchor",
    "*alias",
    "!tag",
    "%",
    "\\back\\slash",
]


@pytest.mark.parametrize("value", VALUES)
def test_every_written_value_reads_back_as_the_same_text(cquin, value):
    result = cquin(
        "new", "--provider", value, "--year", "2010/11", "--name", value, "--commissioner", value, "--commissioner", value + "2"
    )
    assert result.exit_code == 0, result.stderr
    loaded = parse_yaml(result.stdout)
    assert loaded.error is None, loaded.error
    data = loaded.value
    assert data["provider"]["code"] == value and data["provider"]["name"] == value
    assert data["coordinating_commissioner"]["code"] == value
    assert data["associates"][0]["code"] == value + "2"
    assert list(data)[:3] == ["financial_year", "provider", "commissioning_route"]
    assert "rate" in data and str(data["rate"]) != "99%"
