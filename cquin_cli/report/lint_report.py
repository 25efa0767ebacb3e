"""``cquin lint`` output: the diagnostics reporters, with suppressed findings counted in each.

* ``text`` and ``github``: the summary line says how many findings were suppressed;
* ``json``: ``suppressed`` is the count, and ``suppressions`` lists each suppressed
  finding with its reason and the line of its comment;
* ``sarif``: suppressed findings are results carrying SARIF ``suppressions``
  (``kind: inSource`` with the reason as ``justification``), as code-scanning tools
  expect; the run's ``properties`` hold the count.
"""

from __future__ import annotations

import json

from cquin_cli.report.diagnostics import render


def render_lint(name: str, lint) -> str:
    files = len(lint.files) + len(lint.configs)  # a configuration file is checked too
    suppressed = lint.suppressed
    if name == "json":
        document = json.loads(render("json", lint.diagnostics, files, len(suppressed)))
        document["suppressions"] = [
            dict(s.diagnostic.as_dict(), reason=s.reason, comment={"line": s.comment.line, "column": s.comment.column})
            for s in suppressed
        ]
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if name == "sarif":
        every = sorted([*lint.diagnostics, *(s.diagnostic for s in suppressed)], key=lambda d: d.sort_key)
        reasons = {id(s.diagnostic): s.reason for s in suppressed}
        document = json.loads(render("sarif", every, files, len(suppressed)))
        results = document["runs"][0]["results"]
        for d, result in zip(every, results):
            if id(d) in reasons:
                result["suppressions"] = [{"kind": "inSource", "justification": reasons[id(d)]}]
        document["runs"][0]["properties"] = {"suppressed": len(suppressed)}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return render(name, lint.diagnostics, files, len(suppressed))
