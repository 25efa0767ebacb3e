"""The format's closed vocabularies (cquin_cli/vocabulary.py) hold exactly the schema's words, and records hold members."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from conftest import ROOT, WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_scheme_file
from cquin_cli.vocabulary import Direction, Domain, Route, SchemeKind, Sector

SCHEMA = json.loads((ROOT / "schemas" / "scheme.schema.json").read_text(encoding="utf-8"))
DEFS = SCHEMA["$defs"]


@pytest.mark.parametrize(
    "vocabulary, words",
    [
        (Domain, DEFS["goal"]["properties"]["domain"]["enum"]),
        (Direction, DEFS["indicator"]["properties"]["direction"]["enum"]),
        (Sector, SCHEMA["properties"]["provider"]["properties"]["sector"]["enum"]),
        (Route, SCHEMA["properties"]["commissioning_route"]["enum"]),
        (SchemeKind, SCHEMA["properties"]["scheme_kind"]["enum"]),
    ],
)
def test_each_vocabulary_is_the_schemas_list_in_its_order(vocabulary, words):
    assert [w.value for w in vocabulary] == words


def test_a_scheme_record_holds_members_that_still_read_as_their_words():
    scheme = check_scheme_file(str(WORKED_EXAMPLE)).scheme
    assert scheme.provider.sector is Sector.ACUTE and f"{scheme.provider.sector}" == "acute"
    assert scheme.commissioning_route is Route.PCT and scheme.scheme_kind is SchemeKind.FULL_SCHEME
    assert [g.domain for g in scheme.goals][:1] == [Domain.SAFETY] and json.dumps(scheme.goals[0].domain) == '"safety"'
    assert scheme.indicators[0].direction is Direction.HIGHER


def test_direction_meets_and_better_in_both_directions():
    assert Direction.HIGHER.meets(D(90), D(90)) and not Direction.HIGHER.meets(D("89.9"), D(90))
    assert Direction.LOWER.meets(D(5), D(5)) and not Direction.LOWER.meets(D("5.1"), D(5))
    assert Direction.LOWER.better(D(4), D(5)) and not Direction.HIGHER.better(D(5), D(5))
    assert (Direction.LOWER.words, Domain.PATIENT_EXPERIENCE.label, Sector.MENTAL_HEALTH.words) == (
        "lower is better",
        "Patient experience",
        "mental health",
    )
