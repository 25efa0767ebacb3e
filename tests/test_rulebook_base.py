"""The base of each era: the year's kind of base in the rulebook, the scheme's `base_kind`
checked against it (E227, located), and `cquin price` naming the base with its definition."""

from __future__ import annotations

import json

import pytest
from test_rulebook import scheme_for

from cquin_cli.rulebook import BASE_KINDS, rulebook

ERAS = {
    "2009/10": "contract_value",
    "2010/11": "contract_value",
    "2012/13": "actual_outturn_value",
    "2016/17": "actual_annual_value",
    "2022/23": "fixed_api_element",
    "2023/24": "fixed_contract_value",
}


def test_each_era_has_its_base_kind_with_a_source_and_no_other_year_has_one():
    for name, year in rulebook().items():
        if name in ERAS:
            assert year.base_kind == ERAS[name], name
            assert year.source("base_kind"), name
        else:  # 2011/12, 2013/14-2015/16, 2017/18 on: no source confirms the kind of base
            assert not year.has("base_kind"), name


def test_rules_prints_the_base_kind_with_its_definition(cquin):
    text = cquin("rules", "--year", "2022/23").stdout
    assert "kind of base: the fixed element of the aligned payment and incentive (API) payment\n" in text
    assert "  source: hfma.org.uk/news/news-list/Article/guidance-issued-on-reinstating-cquin" in text


def test_a_scheme_naming_another_base_than_its_years_is_e227_at_the_key(cquin, tmp_path, worked_example_text):
    text = worked_example_text.replace("rate: 0.5%", "rate: 0.5%\nbase_kind: actual_annual_value")
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    line = text.splitlines().index("base_kind: actual_annual_value") + 1
    assert f"{scheme}:{line}:1: error E227 the base of 2009/10 is contract value: tariff income" in result.stdout
    assert "write `base_kind: contract_value`, or leave it out to mean the year's own base" in result.stdout


def test_the_years_own_base_named_or_left_out_validates(cquin, tmp_path, worked_example_text):
    named = tmp_path / "named.yaml"
    named.write_text(worked_example_text.replace("rate: 0.5%", "rate: 0.5%\nbase_kind: contract_value"))
    old = tmp_path / "old.yaml"  # a 2009/10 scheme written before the field: the year's base is meant
    old.write_text(worked_example_text)
    for scheme in (named, old):  # one at a time: they are the same provider's scheme for the year
        result = cquin("validate", str(scheme))
        assert result.exit_code == 0, result.stdout


def test_an_unknown_base_kind_is_a_located_error(cquin, tmp_path, worked_example_text):
    text = worked_example_text.replace("rate: 0.5%", "rate: 0.5%\nbase_kind: turnover")
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    line = text.splitlines().index("base_kind: turnover") + 1
    assert f"{scheme}:{line}:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("kind", sorted(BASE_KINDS))
def test_every_base_kind_has_a_definition(kind):
    assert BASE_KINDS[kind].strip()


def test_price_shows_the_years_base_with_its_definition_and_source(cquin, worked_example_text, tmp_path):
    scheme = tmp_path / "s.yaml"
    scheme.write_text(worked_example_text)
    result = cquin("price", str(scheme))
    assert result.exit_code == 0, result.stderr
    assert (
        "Base: contract value: tariff income including the Market Forces Factor, plus non-tariff income, "
        "less income not financed by the English NHS, the base of 2009/10 "
        "(Department of Health, Using the CQUIN payment framework 2009/10 ¶39-40)\n"
    ) in result.stdout
    document = json.loads(cquin("price", str(scheme), "--format", "json").stdout)
    assert document["schemes"][0]["base_definition"].startswith("contract value: tariff income")
    assert document["schemes"][0]["expected_value"] == "1000000.00"


def test_price_names_a_base_the_scheme_gives_for_a_year_with_none_confirmed(cquin, tmp_path, worked_example_text):
    text = scheme_for("2017/18", worked_example_text, rate="2%").replace(
        "rate: 2%", "rate: 2%\nrate_source: the 2017/18 contract, Schedule 4\nbase_kind: actual_annual_value"
    )
    scheme = tmp_path / "s.yaml"
    scheme.write_text(text)
    out = cquin("price", str(scheme)).stdout
    assert "Base: actual annual value (AAV): all payments under the contract in the year, excluding CQUIN" in out
    assert "after deductions and withholdings, as the scheme says\n" in out
