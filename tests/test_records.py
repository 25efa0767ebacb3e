"""Records (cquin_cli/records.py) behave as the frozen dataclasses they replace."""
from __future__ import annotations

import copy
import pickle
from decimal import Decimal

import pytest

from cquin_cli.records import FrozenInstanceError, field, record, replace


@record
class Band:
    start: Decimal
    fraction: Decimal = Decimal(100)
    problems: tuple = field(default=(), compare=False)
    notes: list = field(default_factory=list, compare=False, repr=False)


@record(frozen=False)
class Tally:
    name: str
    lines: list = field(default_factory=list)


def test_fields_in_order_with_defaults_and_keywords():
    band = Band(Decimal("70"))
    assert (band.start, band.fraction, band.problems, band.notes) == (Decimal("70"), Decimal(100), (), [])
    assert Band(start=Decimal(1), fraction=Decimal(2)).fraction == Decimal(2)
    with pytest.raises(TypeError):
        Band()  # the field without a default is required
    with pytest.raises(TypeError):
        Band(Decimal(1), unknown=2)


def test_a_default_factory_gives_each_record_its_own_value():
    a, b = Band(Decimal(1)), Band(Decimal(1))
    a.notes.append("x")
    assert b.notes == []


def test_equality_and_hash_leave_out_compare_false_fields():
    a = Band(Decimal(1), problems=("one",))
    b = Band(Decimal(1), problems=("two",))
    assert a == b and hash(a) == hash(b)
    assert a != Band(Decimal(2))
    assert a != (Decimal(1), Decimal(100))  # never equal to a tuple or another class
    assert {a, b} == {a}


def test_frozen_records_refuse_changes():
    band = Band(Decimal(1))
    with pytest.raises(FrozenInstanceError):
        band.start = Decimal(2)
    with pytest.raises(AttributeError):
        del band.start


def test_mutable_records_change_and_are_unhashable():
    tally = Tally("a")
    tally.lines.append("one")
    tally.name = "b"
    assert tally == Tally("b", ["one"])
    with pytest.raises(TypeError):
        hash(tally)


def test_repr_names_fields_and_leaves_out_repr_false():
    assert repr(Band(Decimal(1))) == "Band(start=Decimal('1'), fraction=Decimal('100'), problems=())"


def test_replace_copies_with_changes_and_refuses_unknown_fields():
    band = Band(Decimal(1), problems=("p",))
    changed = replace(band, fraction=Decimal(50))
    assert changed.fraction == Decimal(50) and changed.problems == ("p",) and band.fraction == Decimal(100)
    with pytest.raises(TypeError):
        replace(band, nope=1)


def test_pickle_and_copy_round_trip_frozen_records():
    band = Band(Decimal("70.5"), problems=("p",), notes=["n"])
    for again in (pickle.loads(pickle.dumps(band)), copy.copy(band), copy.deepcopy(band)):
        assert again == band and again.problems == ("p",) and again.notes == ["n"]
        with pytest.raises(FrozenInstanceError):
            again.start = Decimal(0)


def test_a_required_field_after_a_defaulted_one_is_refused():
    with pytest.raises(TypeError):

        @record
        class Bad:
            a: int = 1
            b: int


def test_the_scheme_records_are_records():
    from cquin_cli.load.scheme import Indicator, Scheme

    assert "problems" in Scheme.__record_fields__ and "problems" not in Scheme.__record_compared__
    assert Indicator.__record_fields__[0] == "number"


def test_a_record_equals_itself_even_holding_nan():
    nan = float("nan")
    band = Band(nan)
    assert band == band and Band(nan) == replace(band)  # compared as tuples, as dataclasses do


@pytest.mark.parametrize("name", ["self", "MISSING", "_record_dict_", "_default_x", "_factory_x"])
def test_names_the_generated_init_uses_are_refused(name):
    with pytest.raises(TypeError):
        record(type("Bad", (), {"__annotations__": {name: "int"}}))
