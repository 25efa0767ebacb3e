"""Records: the small part of :mod:`dataclasses` cquin uses, cheap to import and define.

Every stage passes frozen records (STYLE.md §2). :mod:`dataclasses` made them, but on
the one-file path of ``cquin validate`` it cost about 30 ms of a 100 ms budget
(issue 6, docs/performance.md): importing it imports :mod:`inspect` (about 10 ms), and
defining each of the thirty record classes on that path took about 0.7 ms (several
``exec`` calls per class, and ``inspect.signature`` for a class without a docstring).

:func:`record` makes the same classes at about a tenth of the cost: one generated
``__init__`` per class, and shared ``__eq__``, ``__hash__``, ``__repr__`` and (when
frozen, the default) ``__setattr__``/``__delattr__`` that refuse changes. Fields are the
class's annotations, in order; a default is a plain class attribute or :func:`field`.
Instances keep a ``__dict__`` and pickle as dataclasses do (unpickling fills the
``__dict__`` without calling ``__setattr__``; the worker processes of
``check_scheme_files`` send records to the parent).

What is deliberately left out, because nothing here uses it: inheritance between
records, ordering, ``ClassVar``/``InitVar``, ``__post_init__``, slots.
"""
from __future__ import annotations

__all__ = ["FrozenInstanceError", "field", "record", "replace"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


class FrozenInstanceError(AttributeError):
    """Raised on an attempt to change a frozen record."""


class Field:
    """What :func:`field` says of one field."""

    __slots__ = ("default", "default_factory", "compare", "repr")

    def __init__(self, default: object, default_factory: object, compare: bool, repr: bool):  # noqa: A002
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr


def field(*, default: object = MISSING, default_factory: object = MISSING, compare: bool = True, repr: bool = True) -> object:  # noqa: A002
    """A field with a default, a default factory, or left out of ``==``/``hash`` or ``repr``."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("a field cannot have both a default and a default_factory")
    return Field(default, default_factory, compare, repr)


def _eq(self: object, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    compared = self.__record_compared__  # type: ignore[attr-defined]
    mine, theirs = self.__dict__, other.__dict__
    # As tuples, like dataclasses: a value is equal to itself even when it is NaN.
    return tuple(mine[name] for name in compared) == tuple(theirs[name] for name in compared)


def _hash(self: object) -> int:
    mine = self.__dict__
    return hash(tuple(mine[name] for name in self.__record_compared__))  # type: ignore[attr-defined]


def _repr(self: object) -> str:
    mine = self.__dict__
    shown = ", ".join(f"{name}={mine[name]!r}" for name in self.__record_shown__)  # type: ignore[attr-defined]
    return f"{self.__class__.__qualname__}({shown})"


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


# Names the generated __init__ uses itself.
_RESERVED = frozenset({"self", "MISSING", "_record_dict_"})


def record(cls: type | None = None, /, *, frozen: bool = True):  # type: ignore[no-untyped-def]
    """Make ``cls`` a record: ``@record`` (frozen) or ``@record(frozen=False)``."""

    def make(cls: type) -> type:
        names = tuple(cls.__dict__.get("__annotations__", {}))
        params: list[str] = []
        lines: list[str] = []
        namespace: dict[str, object] = {"MISSING": MISSING}
        compared: list[str] = []
        shown: list[str] = []
        defaulted = False
        for name in names:
            if name in _RESERVED or name.startswith(("_default_", "_factory_")):
                raise TypeError(f"{cls.__name__}: {name!r} cannot be a field name of a record")
            spec = cls.__dict__.get(name, MISSING)
            default, factory, compare, show = spec, MISSING, True, True
            if isinstance(spec, Field):
                default, factory, compare, show = spec.default, spec.default_factory, spec.compare, spec.repr
                if default is MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, default)
            if factory is not MISSING or default is not MISSING:
                defaulted = True
            elif defaulted:
                raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with a default")
            if factory is not MISSING:
                namespace[f"_factory_{name}"] = factory
                params.append(f"{name}=MISSING")
                lines.append(f"    if {name} is MISSING: {name} = _factory_{name}()")
            elif default is not MISSING:
                namespace[f"_default_{name}"] = default
                params.append(f"{name}=_default_{name}")
            else:
                params.append(name)
            lines.append(f"    _record_dict_[{name!r}] = {name}")
            if compare:
                compared.append(name)
            if show:
                shown.append(name)
        source = f"def __init__(self, {', '.join(params)}):\n    _record_dict_ = self.__dict__\n" + "\n".join(lines) + "\n"
        if not names:
            source = "def __init__(self):\n    pass\n"
        exec(source, namespace)  # noqa: S102 - the text is made above from the class's own field names
        init = namespace["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
        cls.__init__ = init  # type: ignore[misc]
        cls.__record_fields__ = names  # type: ignore[attr-defined]
        cls.__record_compared__ = tuple(compared)  # type: ignore[attr-defined]
        cls.__record_shown__ = tuple(shown)  # type: ignore[attr-defined]
        cls.__match_args__ = names  # type: ignore[attr-defined]
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = _repr  # type: ignore[method-assign]
        if "__eq__" not in cls.__dict__:
            cls.__eq__ = _eq  # type: ignore[method-assign]
            cls.__hash__ = _hash if frozen else None  # type: ignore[method-assign, assignment]
        if frozen:
            cls.__setattr__ = _frozen_setattr  # type: ignore[method-assign, assignment]
            cls.__delattr__ = _frozen_delattr  # type: ignore[method-assign, assignment]
        return cls

    return make if cls is None else make(cls)


def replace(instance: object, /, **changes: object) -> object:
    """A copy of ``instance`` with some fields changed (like :func:`dataclasses.replace`)."""
    fields = instance.__class__.__record_fields__  # type: ignore[attr-defined]
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"{instance.__class__.__name__} has no field {sorted(unknown)[0]!r}")
    mine = instance.__dict__
    return instance.__class__(**{name: changes[name] if name in changes else mine[name] for name in fields})


def fields_of(instance_or_class: object) -> tuple[str, ...]:
    """The field names of a record, in order."""
    return instance_or_class.__record_fields__  # type: ignore[attr-defined]
