"""The scheme is agreed by 31 March before its financial year starts.

Guidance ¶49: schemes are agreed as part of the contract, before the year begins. A
scheme with no agreement date, or one agreed later, is still valid but late, so this
is a warning. (A full scheme must have an ``agreement`` record at all; that is part
of the format.)
"""

import datetime as dt

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W209"
TITLE = "Agreed by 31 March before the year"
SOURCE = "guidance ¶49"
SCOPE = SCHEME

PASSING = """
financial_year: 2009/10
agreement.date: 2009-03-20
"""
FAILING = """
financial_year: 2009/10
agreement.date: 2009-05-14     # six weeks into the year
"""


def check(scheme):
    try:
        start = int(scheme.financial_year[:4])
    except ValueError:
        return
    deadline = dt.date(start, 3, 31)
    if scheme.agreement is None or scheme.agreement.date is None:
        if any(p.path == ("agreement", "date") for p in scheme.problems):
            return  # a date was written but is not on the calendar: E107 says so already
        if scheme.agreement is not None:
            yield Finding(
                CODE, f"the agreement has no date; schemes are agreed by {deadline:%-d %B %Y} (guidance ¶49)", ("agreement",)
            )
        else:
            yield Finding(CODE, f"the scheme records no agreement; schemes are agreed by {deadline:%-d %B %Y} (guidance ¶49)", ())
        return
    if scheme.agreement.date > deadline:
        yield Finding(
            CODE,
            f"the scheme was agreed on {scheme.agreement.date:%-d %B %Y}, after the deadline of {deadline:%-d %B %Y} (guidance ¶49)",
            ("agreement", "date"),
        )
