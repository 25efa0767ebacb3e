"""``cquin site``: a portfolio published as a static site (DOMAIN.md §10; guidance ¶36, ¶76, ¶80).

The site is a folder of HTML pages, CSV files, one stylesheet and one small script,
linked by relative addresses, so it works opened from the files (``file://``) with no
server and fetches nothing from the network:

* :mod:`.build` finds the schemes, works on them one at a time (in worker processes for
  a large portfolio), then writes the pages made from all of them, into a new folder
  that replaces the old site in one rename;
* :mod:`.scheme_page` turns one scheme (and its achievement data) into its page, its
  CSV files and the small :class:`~.scheme_page.SchemeEntry` the portfolio pages need;
* :mod:`.pages` makes the index, the lists and the comparison pages from the entries;
* :mod:`.tables` is the one shape of a table: the HTML shows it, the CSV is written from
  it (``cquin_cli.report.csv_table``, formula-guarded);
* :mod:`.charts` lays out the monthly XmR charts of ``cquin monitor`` as inline SVG;
* :mod:`.html` is the Jinja2 environment: autoescaping on, so scheme text is always text.

Every figure comes from the stage that owns it: money from ``compute.pricing`` and
``compute.reconciliation``, report figures from ``compute.portfolio``, tables from
``portfolio.export_tables``, charts from ``compute.monitoring``. The same input gives the
same bytes: nothing depends on the clock, the machine or the order workers finish.
"""
