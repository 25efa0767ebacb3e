"""Schedule 18 Part 2 (the CQUIN payment mechanism) and Part 3 (a separate incentive scheme).

Part 2 (guidance ¶44, footnote 27; ¶64-66): the parties and their shares, the financial
year, the contract value base and its parts (¶39-40), the rate (¶38), the expected value,
the on-account share and the instalment table by commissioner with its totals, the
reconciliation checkpoints, the payment arrangement, the dispute route (¶49: the
contract's dispute resolution procedure) and the record of agreement.

Part 3 (¶41, footnote 15) appears only when the scheme has a separate incentive scheme:
its goals and its additional money, shown apart from the CQUIN expected value, which it
never adds to.

Every amount comes from :func:`cquin_cli.compute.pricing.price`; the instalment table's
row and column totals are sums of the priced instalments, checked against the
on-account total.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Alignment
from openpyxl.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from cquin_cli.check.year_rules import rate_origin
from cquin_cli.compute.pricing import Price
from cquin_cli.load.scheme import Signatory
from cquin_cli.money import ZERO
from cquin_cli.render import words
from cquin_cli.render.schedule_3_part_4c import TotalsMismatch, title_lines
from cquin_cli.render.version import SchemeVersion
from cquin_cli.render.workbook import (
    BOLD,
    GRID,
    LABEL,
    SIGN_HERE,
    SUBTITLE,
    TOTAL_FILL,
    fit_row_heights,
    header_row,
    merge_wrapped,
    print_setup,
    put_date,
    put_money,
    put_number,
    put_percent,
    put_text,
    set_widths,
    style_row,
    title_block,
)

PART_2 = "Schedule 18 Part 2"
PART_3 = "Schedule 18 Part 3"

DISPUTE_ROUTE = (
    "Any dispute about this CQUIN scheme, its achievement or its payments is managed through the "
    "dispute resolution procedure of the contract (guidance ¶49)."
)


def _section(ws: Worksheet, row: int, text: str) -> int:
    put_text(ws, row, 1, text, font=SUBTITLE, wrap=False)
    ws.row_dimensions[row].height = 18
    return row + 1


def _note(ws: Worksheet, row: int, text: str, last_column: int) -> int:
    put_text(ws, row, 1, text)
    merge_wrapped(ws, row, 1, last_column)
    return row + 1


def _held_back(ws: Worksheet, row: int, price: Price, last: int) -> int:
    """4b: the parts the year holds back (2017/18, 2018/19), each its own line, apart from the pot."""
    commissioners = price.commissioners
    row = _section(ws, row, "4b. Parts held back (not paid on account)")
    header_row(ws, row, ["Part held back", "Rate", *(f"{c.name} (£)" for c in commissioners), "Total (£)"])
    fit_row_heights(ws, row, row)
    row += 1
    column_totals = [ZERO] * len(commissioners)
    for v in price.held_back:
        shares = dict(v.by_commissioner)
        put_text(ws, row, 1, v.label)
        put_percent(ws, row, 2, v.part.rate)
        for j, c in enumerate(commissioners):
            put_money(ws, row, 3 + j, shares.get(c.code, ZERO))
            column_totals[j] += shares.get(c.code, ZERO)
        put_money(ws, row, last, v.value, font=BOLD)
        style_row(ws, row, 1, last)
        row += 1
    put_text(ws, row, 1, "Total held back", font=BOLD)
    for j, total in enumerate(column_totals):
        put_money(ws, row, 3 + j, total, font=BOLD)
    put_money(ws, row, last, sum((v.value for v in price.held_back), ZERO), font=BOLD)
    style_row(ws, row, 1, last, fill=TOTAL_FILL)
    row += 1
    paid = " or ".join(f"{v.part.kind.named} {v.part.kind.paid_outcome}" for v in price.held_back)
    sources = "; ".join(sorted({v.part.source for v in price.held_back}))
    text = (
        f"Each part is the rate of the base, kept apart from the expected value and not paid on account; it is paid "
        f"only once the parties record {paid}, with the date and the source of the decision. Rates: {sources}."
    )
    return _note(ws, row, text, last) + 1


def add_part_2(wb: Workbook, price: Price, version: SchemeVersion, source_name: str) -> None:
    scheme = price.scheme
    commissioners = price.commissioners
    ws = wb.create_sheet(PART_2)
    # A: labels and months; B: codes and amounts; C: names; then one column per commissioner.
    table_columns = max(6, 3 + len(commissioners) + 1)
    set_widths(ws, [44, 16, 30] + [17] * (table_columns - 3))
    title = f"Schedule 18 Part 2: CQUIN payment mechanism, {scheme.provider.name}, {scheme.financial_year}"
    row = title_block(ws, title, title_lines(price, version), span=table_columns - 1)

    # 1. Parties
    row = _section(ws, row, "1. Parties and shares")
    header_row(
        ws, row, ("Role", "Code", "Commissioner", "Share", "Share of expected value (£)", "Share of on-account payments (£)")
    )
    row += 1
    first = row
    for c in commissioners:
        put_text(ws, row, 1, "Coordinating commissioner" if c.coordinating else "Associate commissioner")
        put_text(ws, row, 2, c.code)
        put_text(ws, row, 3, c.name)
        put_percent(ws, row, 4, c.share)
        put_money(ws, row, 5, c.value)
        put_money(ws, row, 6, c.on_account)
        style_row(ws, row, 1, 6)
        row += 1
    put_text(ws, row, 1, "Total", font=BOLD)
    put_percent(ws, row, 4, sum((c.share for c in commissioners), Decimal(0)), font=BOLD)
    put_money(ws, row, 5, sum((c.value for c in commissioners), ZERO), font=BOLD)
    put_money(ws, row, 6, sum((c.on_account for c in commissioners), ZERO), font=BOLD)
    style_row(ws, row, 1, 6, fill=TOTAL_FILL)
    fit_row_heights(ws, first, row)
    row += 1
    put_text(ws, row, 1, "Provider", font=BOLD)
    put_text(ws, row, 2, words.provider_line(scheme), wrap=False)
    row += 2

    # 2. Year, base, rate, expected value (¶38-40)
    row = _section(ws, row, "2. Financial year, contract value and expected value")
    cv = scheme.contract_value
    put_text(ws, row, 1, "Financial year", font=BOLD)
    put_text(ws, row, 2, scheme.financial_year)
    row += 1
    for label, amount, bold in (
        ("Tariff income, including the Market Forces Factor", cv.tariff_income, False),
        ("Non-tariff income", cv.non_tariff_income, False),
        ("Less: income not financed by the English NHS", -cv.excluded_income if cv.excluded_income else ZERO, False),
        ("Base (guidance ¶39-40)", price.planned_base, True),
    ):
        put_text(ws, row, 1, label, font=BOLD)
        put_money(ws, row, 2, amount, font=BOLD)
        if bold:
            style_row(ws, row, 1, 2, fill=TOTAL_FILL)
        row += 1
    put_text(ws, row, 1, "CQUIN rate (guidance ¶38)", font=BOLD)
    put_percent(ws, row, 2, price.rate)
    if scheme.rate_reason:
        put_text(ws, row, 3, f"Reason for this rate: {scheme.rate_reason}", wrap=False)
    else:  # where the rate came from: the year's rulebook fact and its source, or the scheme's own
        put_text(ws, row, 3, f"Rate: {rate_origin(scheme)}", wrap=False)
    row += 1
    put_text(ws, row, 1, "Expected value (rate × base)", font=BOLD)
    put_money(ws, row, 2, price.expected_value, font=BOLD)
    style_row(ws, row, 1, 2, fill=TOTAL_FILL)
    row += 2

    # 3. Payment on account (¶65), or in advance in the years that paid so
    mode = price.payment_mode
    if mode.in_advance:
        row = _section(ws, row, "3. Payment in advance (section 6 gives the source)")
        put_text(ws, row, 1, f"Share of the expected value {mode.heading.lower()}", font=BOLD)
    else:
        row = _section(ws, row, "3. Payment on account (guidance ¶65)")
        put_text(ws, row, 1, "On-account share of the expected value", font=BOLD)
    put_percent(ws, row, 2, price.on_account_share)
    row += 1
    put_text(ws, row, 1, mode.paid_label, font=BOLD)
    put_money(ws, row, 2, price.on_account_total, font=BOLD)
    row += 1
    put_text(ws, row, 1, "Number of instalments", font=BOLD)
    put_number(ws, row, 2, len(price.instalment_months), number_format="0")
    row += 2

    row = _section(ws, row, "4. Instalments")
    headers = ["Month", "Calendar month", *(f"{c.name} (£)" for c in commissioners), "Total (£)"]
    header_row(ws, row, headers)
    fit_row_heights(ws, row, row)
    row += 1
    last = len(headers)
    column_totals = [ZERO] * len(commissioners)
    for k, month in enumerate(price.instalment_months):
        put_number(ws, row, 1, month, number_format="0")
        ws.cell(row=row, column=1).alignment = Alignment(vertical="top", horizontal="left")
        put_text(ws, row, 2, words.calendar_month(scheme.financial_year, month), wrap=False)
        for j, c in enumerate(commissioners):
            put_money(ws, row, 3 + j, c.instalments[k])
            column_totals[j] += c.instalments[k]
        put_money(ws, row, last, price.instalments[k], font=BOLD)
        style_row(ws, row, 1, last)
        row += 1
    if sum(price.instalments, ZERO) != price.on_account_total and price.instalments:
        raise TotalsMismatch("the instalments do not add up to the on-account total")
    put_text(ws, row, 1, f"Total {mode.paid_label.lower()}", font=BOLD)
    for j, total in enumerate(column_totals):
        put_money(ws, row, 3 + j, total, font=BOLD)
    put_money(ws, row, last, sum(price.instalments, ZERO), font=BOLD)
    style_row(ws, row, 1, last, fill=TOTAL_FILL)
    row += 2
    if price.held_back:
        row = _held_back(ws, row, price, last)

    # 5. Reconciliation (¶66; footnote 13)
    # Sections 5-8 start a printed page, so no heading is left at the foot of the first.
    ws.row_breaks.append(Break(id=row - 1))
    row = _section(ws, row, "5. Reconciliation checkpoints (guidance ¶66)")
    header_row(ws, row, ("Checkpoint month", "Calendar month", "What is reconciled", *([""] * (last - 3))))
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=last)
    row += 1
    checkpoints = sorted(scheme.payment.checkpoints)
    for month in checkpoints:
        put_number(ws, row, 1, month, number_format="0")
        ws.cell(row=row, column=1).alignment = Alignment(vertical="top", horizontal="left")
        put_text(ws, row, 2, words.calendar_month(scheme.financial_year, month), wrap=False)
        if mode.repayment_only:
            what = (
                f"Earned to date against the amount {mode.paid_label.lower()} (the whole value, as if fully achieved): "
                f"under-achievement is recovered ({mode.repayment.lower()}), split by commissioner share; nothing more is paid."
            )
        elif month == 12 or month == checkpoints[-1]:
            what = (
                "Year-end reconciliation on the actual outturn contract value: earned for the year against paid on "
                "account and earlier adjustments; the difference is paid or repaid, split by commissioner share."
            )
        else:
            what = (
                "Earned to date (expected value at the forecast outturn base × achievement × months elapsed ÷ 12) "
                "against paid to date; the adjustment is paid or repaid, split by commissioner share."
            )
        put_text(ws, row, 3, what)
        style_row(ws, row, 1, last)
        merge_wrapped(ws, row, 3, last)
        row += 1
    row += 1

    # 6. Arrangement, disputes, agreement
    row = _section(ws, row, "6. Payment arrangement")
    if mode.in_advance:
        text = (
            f"{scheme.financial_year} was {mode.words} ({price.payment_source}): the whole expected value in "
            f"{len(price.instalment_months)} monthly instalments."
        )
    elif scheme.payment.is_default:
        text = "The default arrangement of the framework: 90% of the expected value on account in 12 equal monthly instalments, reconciled at months 6, 9 and 12 (guidance ¶65-66)."
    else:
        agreed = ", ".join(scheme.payment.agreed_by) or "nobody recorded"
        text = f"A non-default arrangement, agreed by all associates and the SHA as guidance ¶65 requires. Agreed by: {agreed}."
    row = _note(ws, row, text, last) + 1
    row = _section(ws, row, "7. Disputes")
    row = _note(ws, row, DISPUTE_ROUTE, last) + 1
    row = _section(ws, row, "8. Agreement")
    agreement = scheme.agreement
    put_text(ws, row, 1, "Date agreed", font=BOLD)
    if agreement is not None and agreement.date is not None:
        put_date(ws, row, 2, agreement.date)
    else:
        put_text(ws, row, 2, "not recorded")
    row += 1
    if agreement is not None and agreement.signatories:
        header_row(ws, row, ("Signatory", "Role", "Organisation", "Clinical lead"))
        row += 1
        first = row
        for s in agreement.signatories:
            put_text(ws, row, 1, s.name)
            put_text(ws, row, 2, s.role)
            put_text(ws, row, 3, s.organisation)
            put_text(ws, row, 4, "yes" if s.clinical_lead else "no")
            style_row(ws, row, 1, 4)
            row += 1
        fit_row_heights(ws, first, row - 1)
    row = _signatures(ws, row + 1, price, last)
    ws.freeze_panes = "A2"
    print_setup(ws, header_rows=(1, 1), title=f"{title}. Source: {source_name}")


# Signature blocks on a printed page: four fit at the scale of the widest Part 2 (one
# column per commissioner) with the section's heading; LibreOffice's PDF of the samples shows it.
BLOCKS_PER_PAGE = 4
SIGNATURE_LINES = ("Signatory name", "Signatory role", "Signatory organisation", "Signature", "Date of signature")


def _signatures(ws: Worksheet, row: int, price: Price, last: int) -> int:
    """9: a signature and approval block for the provider and each commissioner, filled from the
    scheme's signatories where their organisation is the party's; a party with none gets blank lines."""
    scheme = price.scheme
    ws.row_breaks.append(Break(id=row - 1))  # the block starts a printed page: no party is cut in two
    row = _section(ws, row, "9. Signatures and approval")
    row = _note(
        ws,
        row,
        "Signed for the provider and for each commissioner, each by a person with the authority to agree this "
        "schedule, with the date of signature.",
        last,
    )
    parties = [("provider", scheme.provider.name)] + [
        ("coordinating commissioner" if c.coordinating else "associate commissioner", c.name) for c in price.commissioners
    ]
    signatories = scheme.agreement.signatories if scheme.agreement is not None else ()
    blocks = 0
    for party, organisation in parties:
        same = " ".join(organisation.split()).lower()
        named: list[Signatory | None] = [s for s in signatories if " ".join(s.organisation.split()).lower() == same]
        for signatory in named or [None]:
            if blocks and blocks % BLOCKS_PER_PAGE == 0:
                ws.row_breaks.append(Break(id=row))  # a new printed page: no block is cut in two
            blocks += 1
            row += 1
            put_text(ws, row, 1, f"Signed for {organisation} ({party})", font=BOLD)
            row += 1
            filled = (signatory.name, signatory.role) if signatory is not None else ("", "")
            for label, value in zip(SIGNATURE_LINES, (*filled, organisation, "", "")):
                put_text(ws, row, 1, label, font=LABEL, wrap=False)
                if value:
                    put_text(ws, row, 2, value)
                ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
                for column in range(2, 5):
                    ws.cell(row=row, column=column).border = SIGN_HERE
                ws.row_dimensions[row].height = 24 if label in ("Signature", "Date of signature") else 15
                row += 1
    return row


def add_part_3(wb: Workbook, price: Price, version: SchemeVersion, source_name: str) -> bool:
    """Part 3, only when a separate incentive scheme is agreed; returns whether it was added."""
    scheme = price.scheme
    separate = scheme.separate_incentive_scheme
    if separate is None:
        return False
    ws = wb.create_sheet(PART_3)
    set_widths(ws, [44, 16, 48, 17])
    title = f"Schedule 18 Part 3: separate incentive scheme, {scheme.provider.name}, {scheme.financial_year}"
    row = title_block(ws, title, title_lines(price, version), span=3)
    put_text(ws, row, 1, "Separate incentive scheme", font=BOLD)
    put_text(ws, row, 2, separate.name, font=BOLD, wrap=False)
    row += 1
    if separate.description:
        put_text(ws, row, 1, "What it rewards", font=BOLD)
        put_text(ws, row, 2, separate.description)
        merge_wrapped(ws, row, 2, 4)
        row += 1
    put_text(ws, row, 1, "Additional money under this scheme", font=BOLD)
    put_money(ws, row, 2, separate.value, font=BOLD)
    style_row(ws, row, 1, 2, fill=TOTAL_FILL)
    row += 1
    put_text(ws, row, 1, "CQUIN expected value (kept apart)", font=BOLD)
    put_money(ws, row, 2, price.expected_value)
    row += 2
    row = (
        _note(
            ws,
            row,
            "This money is additional to the CQUIN scheme and kept apart from its expected value (guidance ¶41, footnote 15). "
            "It is not paid on account under Schedule 18 Part 2 and does not enter the CQUIN reconciliation.",
            4,
        )
        + 1
    )
    header_row(ws, row, ("Goal number", "Goal name", "Description", "Value (£)"))
    row += 1
    first = row
    for goal in separate.goals:
        put_text(ws, row, 1, goal.number)
        put_text(ws, row, 2, goal.name)
        put_text(ws, row, 3, goal.description)
        put_money(ws, row, 4, goal.value)
        style_row(ws, row, 1, 4)
        row += 1
    valued = [g.value for g in separate.goals if g.value is not None]
    put_text(ws, row, 1, "Total of the goals' values", font=BOLD)
    put_money(ws, row, 4, sum(valued, ZERO), font=BOLD)
    style_row(ws, row, 1, 4, fill=TOTAL_FILL)
    fit_row_heights(ws, first, row)
    for column in range(1, 5):
        ws.cell(row=row, column=column).border = GRID
    ws.freeze_panes = "A2"
    print_setup(ws, header_rows=(1, 1), title=f"{title}. Source: {source_name}")
    return True
