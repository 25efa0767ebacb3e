"""The site's one Jinja2 environment: autoescaping on for every template, so scheme text
(names, descriptions, codes, file names) is always text on a page, never markup or script.

Addresses in the pages are relative (``root`` climbs from a page to the site's root), so
the site works from ``file://`` and from any folder it is copied to. No template reads
the clock or the machine: the same context gives the same bytes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cquin_cli import __version__

_ENVIRONMENT = None


def environment():
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        import jinja2

        from cquin_cli.money import format_money, format_percent

        env = jinja2.Environment(
            loader=jinja2.PackageLoader("cquin_cli.site", "templates"),
            autoescape=True,  # every template, whatever its name
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["money"] = lambda v: "" if v is None else format_money(v)
        env.filters["percent"] = lambda v: "" if v is None else format_percent(v)
        env.filters["stretch"] = lambda v: "n/a" if v is None else f"{v:f}%"
        env.filters["number"] = _number
        env.globals["version"] = __version__
        _ENVIRONMENT = env
    return _ENVIRONMENT


def _number(value: Decimal | None) -> str:
    from cquin_cli.render.words import number

    return "" if value is None else number(value)


def render_page(template: str, context: dict[str, Any], *, depth: int) -> str:
    """A page ``depth`` folders below the site's root, from ``template``."""
    from markupsafe import Markup

    root = Markup("../" * depth)  # the site's own climb to its root: nothing of a scheme's in it
    return environment().get_template(template).render(context, root=root)
