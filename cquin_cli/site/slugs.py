"""File names for the site's pages, made from scheme text that may hold anything.

A name is safe in a file name and an address on every system (lowercase ``a-z``,
``0-9`` and ``-``), and two different keys never get the same name: a key already in
that form is kept; an NHS-style code in capitals and digits (``RNF``, ``5MDP``) is
lowercased (codes are kept apart by kind, so no lowercase key meets it); anything else
is cleaned and given the first 10 hex digits of its SHA-256, so ``<script>`` becomes
``script-…`` and never markup, a path or an address scheme such as ``javascript:``.
"""

from __future__ import annotations

import hashlib
import re

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE = re.compile(r"[A-Z0-9]+")
_MAX = 48


def slug(key: str) -> str:
    """``key`` as a file name: kept when already one, else cleaned and made unique by a digest."""
    if _SLUG.fullmatch(key) and len(key) <= _MAX:
        return key
    if _CODE.fullmatch(key) and len(key) <= _MAX:
        return key.lower()
    clean = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:_MAX].strip("-")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{clean}-{digest}" if clean else f"x-{digest}"


def year_slug(year: str) -> str:
    """``2009/10`` -> ``2009-10``."""
    return slug(year.replace("/", "-"))


def scheme_slug(provider_code: str, year: str, route: str) -> str:
    """A scheme's page name from its key (provider, year, route): ``rnf-2009-10-pct``."""
    route_part = "scg" if route == "specialised_commissioning_group" else slug(route)
    return f"{slug(provider_code)}-{year_slug(year)}-{route_part}"
