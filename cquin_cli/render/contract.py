"""One scheme's contract workbook: Schedule 3 Part 4C, Schedule 18 Parts 2 and 3, and a Reconciliation sheet.

A pure function from a priced scheme (and, with ``--month``, its reconciliation) to the
bytes of an .xlsx file; writing the file is the command's job. The sheets, in order:

1. *Schedule 3 Part 4C* (:mod:`cquin_cli.render.schedule_3_part_4c`);
2. *Schedule 18 Part 2* and, only when a separate incentive scheme is agreed,
   *Schedule 18 Part 3* (:mod:`cquin_cli.render.schedule_18`);
3. *Reconciliation* when the month asked for is a checkpoint
   (:mod:`cquin_cli.render.reconciliation_sheet`);
4. *Monitoring* when a month is asked for, any month 1-12
   (:mod:`cquin_cli.render.monitoring_sheet`).
"""

from __future__ import annotations

from typing import Any

from cquin_cli.compute.pricing import price
from cquin_cli.load.scheme import Scheme
from cquin_cli.render import schedule_3_part_4c, schedule_18
from cquin_cli.render.version import SchemeVersion
from cquin_cli.render.workbook import clean_text, new_workbook, workbook_bytes


def scheme_workbook(
    scheme: Scheme,
    version: SchemeVersion,
    source_name: str,
    *,
    reconciliation: Any = None,
    achievement: Any = None,
    monitoring: Any = None,
) -> bytes:
    priced = price(scheme)
    wb = new_workbook()
    wb.properties.title = clean_text(f"CQUIN scheme {scheme.provider.name} {scheme.financial_year}")[:250]
    schedule_3_part_4c.add_sheet(wb, priced, version, source_name)
    schedule_18.add_part_2(wb, priced, version, source_name)
    schedule_18.add_part_3(wb, priced, version, source_name)
    if reconciliation is not None:
        from cquin_cli.render import reconciliation_sheet

        reconciliation_sheet.add_sheet(wb, priced, reconciliation, achievement, version, source_name)
    if monitoring is not None:
        from cquin_cli.render import monitoring_sheet

        monitoring_sheet.add_sheet(wb, priced, monitoring, version, source_name)
    wb.active = 0
    return workbook_bytes(wb, version.date)
