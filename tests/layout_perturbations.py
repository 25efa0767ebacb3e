"""Perturbations of scheme text in canonical layout, for the tests of `cquin fmt`'s fast check.

Each takes the lines of a file and a seeded ``random.Random`` and returns other lines:
keys reordered (also the first key of a list item, which carries the dash), values
re-quoted or replaced by scalars whose spelling the round trip changes or keeps, keys
that are not plain words, comments and blank lines anywhere, end-of-line comments,
indentation of a line or a block, trailing spaces, flow style spaced otherwise or
turned into block style and back, block scalars with other headers or indents, list
dashes written otherwise, lines deleted or repeated, anchors and tags; and, for a whole
file, no final newline, CRLF, a byte-order mark, a tab, document markers. Many results
are not canonical, some are still canonical, some do not parse: the tests compare the
fast verdict with the round trip on each.
"""

from __future__ import annotations

import re

KEY_LINE = re.compile(r"^( *)(- )?([^\s#'\"{\[][^:#]*):(?: (.*))?$")
TRICKY = [
    "True",
    "TRUE",
    "true",
    "null",
    "~",
    "Null",
    "",
    "+3",
    "-3",
    "017",
    "-017",
    "1_000",
    "0x1F",
    "0o7",
    "1e3",
    "1E3",
    ".5",
    "5.",
    "1.50",
    "-0.0",
    ".inf",
    ".nan",
    "yes",
    "on",
    "2009-03-31",
    "2009-3-31",
    "12:30",
    "1:20",
    "'a\"b'",
    "'ab'",
    "''",
    '""',
    '"a\\"b"',
    '"a\\tb"',
    '"\\u00e9"',
    "é ¶",
    "\u00a0x",
    "\u200bx",
    "a#b",
    "a #b",
    "x:",
    "?x",
    "-x",
    ":x",
    "%x",
    "@x",
    "`x",
    "!x",
    "&a x",
    "*a",
    "!!str x",
    "[1,2]",
    "[ 1, 2 ]",
    "{a: 1,b: 2}",
    "{ a: 1 }",
    "{a: }",
    "{a}",
    "[a: 1]",
    "[{a: 1}]",
    "[[[1]]]",
    "[[{a: 1, b: 2}]]",
    "[{a: [[1]], b: 1}]",
    "[{a: 1, b: 2}]",
    "[{}]",
    "[]",
    "{}",
    "{a: [1, 2], b: {c: d}}",
    '{"a": 1}',
    "'x'",
    '"x"',
    "x y",
    "x  y",
    "£5",
    "(a)",
    "/p",
    "$x",
    "<<",
    "=",
    "5AFC",
    "5E3",
    "6AAD0",
    "1.1.1",
    "0.5%",
    "x\u2028y",
    "\ufeffx",
    "a,b",
    "a[b]",
    "a{b}",
    "a ,b",
    "---",
    "...",
    "- x",
    "|",
    ">-",
    "a: b",
    "'a''b'",
    "'a\"''b'",
    '"a\'b"',
    "\U0001f600",
    "x\x85y",
    "1.0e3",
    "0b101",
    "+.5",
    "1__0",
    "0_1",
    "Yes",
    "NO",
    "y",
    "n",
    "=x",
    "<x",
    "0",
    "-0",
    "00",
]
TRICKY_KEYS = ['"name"', "'name'", "true", "null", "1", "1.5", "5NF", "a b", "x-y", "?x", "name ", "NaMe", "~", "<<", "1e3", "é"]


def lines_of(text):
    return text.split("\n")[:-1]


def join(lines):
    return "\n".join(lines) + "\n"


def indent(line):
    return len(line) - len(line.lstrip(" "))


def key_lines(lines):
    return [i for i, l in enumerate(lines) if KEY_LINE.match(l) and not l.lstrip().startswith("#")]


def block_end(lines, i, n):
    j = i + 1
    while j < len(lines) and (indent(lines[j]) > n or not lines[j].strip()):
        j += 1
    return j


def m_swap_keys(lines, r):
    cands = []
    for i in key_lines(lines):
        m = KEY_LINE.match(lines[i])
        if m.group(2):
            continue
        n = len(m.group(1))
        j = block_end(lines, i, n)
        if j < len(lines) and indent(lines[j]) == n and KEY_LINE.match(lines[j]) and not KEY_LINE.match(lines[j]).group(2):
            cands.append((i, j, n))
    if not cands:
        return lines
    i, j, n = r.choice(cands)
    k = block_end(lines, j, n)
    return lines[:i] + lines[j:k] + lines[i:j] + lines[k:]


def m_dash_swap(lines, r):
    # swap the first key of a list item with the second (moves the dash)
    cands = [i for i in key_lines(lines) if KEY_LINE.match(lines[i]).group(2)]
    if not cands:
        return lines
    i = r.choice(cands)
    m = KEY_LINE.match(lines[i])
    n = len(m.group(1)) + 2
    j = block_end(lines, i, n)
    if j >= len(lines) or indent(lines[j]) != n or not KEY_LINE.match(lines[j]):
        return lines
    k = block_end(lines, j, n)
    first = [" " * n + lines[i][n:]] + lines[i + 1 : j]
    second = lines[j:k]
    second = [" " * (n - 2) + "- " + second[0][n:]] + second[1:]
    return lines[:i] + second + first + lines[k:]


def m_value(lines, r):
    cands = [i for i in key_lines(lines) if KEY_LINE.match(lines[i]).group(4)]
    if not cands:
        return lines
    i = r.choice(cands)
    m = KEY_LINE.match(lines[i])
    value = m.group(4)
    comment = ""
    if " #" in value and not value.startswith(("'", '"')):
        value, comment = value.split(" #", 1)
        comment = " #" + comment
    choice = r.random()
    if choice < 0.5:
        new = r.choice(TRICKY)
    elif choice < 0.65 and value.startswith('"'):
        new = "'" + value[1:-1] + "'" if value.endswith('"') else value
    elif choice < 0.8 and not value.startswith(("'", '"', "{", "[", ">", "|")):
        new = r.choice(['"', "'"]) + value + ('"' if r.random() < 0.9 else "'")
    elif value.startswith('"') and value.endswith('"'):
        new = value[1:-1]
    else:
        new = value + r.choice(["", " ", ":", " x", "  x", ","])
    out = list(lines)
    out[i] = m.group(1) + (m.group(2) or "") + m.group(3) + ":" + (" " + new if new or r.random() < 0.5 else "") + comment
    return out


def m_key(lines, r):
    cands = key_lines(lines)
    i = r.choice(cands)
    m = KEY_LINE.match(lines[i])
    out = list(lines)
    out[i] = m.group(1) + (m.group(2) or "") + r.choice(TRICKY_KEYS) + ":" + (" " + m.group(4) if m.group(4) is not None else "")
    return out


def m_comment(lines, r):
    i = r.randrange(len(lines) + 1)
    text = r.choice(["# c", "#c", "# c: d", "#", "# - x", "#  spaced", "# 'q'"])
    return lines[:i] + [" " * r.choice([0, 0, 1, 2, 2, 3, 4, 4, 6, 8, 10]) + text] + lines[i:]


def m_eol(lines, r):
    i = r.randrange(len(lines))
    out = list(lines)
    out[i] = out[i] + r.choice(["  # c", " # c", " #c", "#c", "   # c: d", "\t# c", " # "])
    return out


def m_indent(lines, r):
    i = r.randrange(len(lines))
    out = list(lines)
    choice = r.random()
    if choice < 0.4:
        out[i] = " " * r.choice([1, 2, 4]) + out[i]
    elif choice < 0.6:
        out[i] = out[i][r.choice([1, 2]) :] if out[i].startswith("  ") else out[i]
    else:  # a whole block
        n = indent(out[i])
        j = block_end(out, i, n)
        d = r.choice([2, 1, 4, -2])
        for k in range(i, j):
            if d > 0:
                out[k] = " " * d + out[k]
            elif out[k].startswith(" " * -d):
                out[k] = out[k][-d:]
    return out


def m_trailing(lines, r):
    i = r.randrange(len(lines))
    out = list(lines)
    out[i] = out[i] + r.choice([" ", "  ", "\t"])
    return out


def m_flow_spacing(lines, r):
    cands = [i for i, l in enumerate(lines) if "{" in l or "[" in l]
    if not cands:
        return lines
    i = r.choice(cands)
    out = list(lines)
    l = out[i]
    choice = r.choice(["{ ", "[ ", " }", " ]", ",", ",  ", ": ", "  "])
    if choice == "{ ":
        l = l.replace("{", "{ ", 1)
    elif choice == "[ ":
        l = l.replace("[", "[ ", 1)
    elif choice == " }":
        l = l.replace("}", " }", 1)
    elif choice == " ]":
        l = l.replace("]", " ]", 1)
    elif choice == ",":
        l = l.replace(", ", ",", 1)
    elif choice == ",  ":
        l = l.replace(", ", ",  ", 1)
    elif choice == ": ":
        at = l.find("{")
        l = l[:at] + l[at:].replace(": ", ":  ", 1) if at >= 0 else l
    else:
        at = l.find("{")
        l = l[:at] + " " + l[at:] if at >= 0 else l
    out[i] = l
    return out


FLOW_MAP = re.compile(r"^( *)(- )?(?:([^\s:#]+): )?\{(.*)\}$")


def m_flow_to_block(lines, r):
    cands = [
        i
        for i, l in enumerate(lines)
        if FLOW_MAP.match(l) and "{" not in FLOW_MAP.match(l).group(4) and "[" not in FLOW_MAP.match(l).group(4)
    ]
    if not cands:
        return lines
    i = r.choice(cands)
    m = FLOW_MAP.match(lines[i])
    n = len(m.group(1))
    pairs = [p for p in m.group(4).split(", ") if p]
    if not pairs:
        return lines
    new = []
    if m.group(3):
        base = n + 2 if not m.group(2) else n + 4
        head = m.group(1) + (m.group(2) or "") + m.group(3) + ":"
        new.append(head)
        new += [" " * base + p for p in pairs]
    else:  # a list item
        new.append(m.group(1) + "- " + pairs[0])
        new += [" " * (n + 2) + p for p in pairs[1:]]
    return lines[:i] + new + lines[i + 1 :]


def m_block_to_flow(lines, r):
    # a key whose value is a block mapping of scalars only -> flow
    cands = []
    for i in key_lines(lines):
        m = KEY_LINE.match(lines[i])
        if m.group(4) is None and not m.group(2):
            n = len(m.group(1))
            j = block_end(lines, i, n)
            body = lines[i + 1 : j]
            if body and all(
                KEY_LINE.match(b)
                and KEY_LINE.match(b).group(4)
                and len(KEY_LINE.match(b).group(1)) == n + 2
                and not KEY_LINE.match(b).group(2)
                for b in body
            ):
                cands.append((i, j, m))
    if not cands:
        return lines
    i, j, m = r.choice(cands)
    pairs = ", ".join(l.strip() for l in lines[i + 1 : j])
    return lines[:i] + [m.group(1) + m.group(3) + ": {" + pairs + "}"] + lines[j:]


def m_blank(lines, r):
    i = r.randrange(len(lines) + 1)
    return lines[:i] + [r.choice(["", "", " "])] + lines[i:]


def m_block_scalar(lines, r):
    cands = [i for i, l in enumerate(lines) if re.search(r": [|>][-+0-9]*$", l)]
    if not cands:
        # make one from a long plain value
        cands2 = [
            i
            for i in key_lines(lines)
            if (KEY_LINE.match(lines[i]).group(4) or "").count(" ") > 3
            and not (KEY_LINE.match(lines[i]).group(4) or "").startswith(("'", '"', "{", "["))
        ]
        if not cands2:
            return lines
        i = r.choice(cands2)
        m = KEY_LINE.match(lines[i])
        words = m.group(4).split(" ")
        cut = len(words) // 2
        n = len(m.group(1)) + (2 if m.group(2) else 0)
        header = r.choice([">-", "|", "|-", ">", ">+", "|+", "|2", ">-  # c"])
        ind = n + r.choice([2, 2, 2, 4, 1])
        return (
            lines[:i]
            + [
                m.group(1) + (m.group(2) or "") + m.group(3) + ": " + header,
                " " * ind + " ".join(words[:cut]),
                " " * ind + " ".join(words[cut:]),
            ]
            + lines[i + 1 :]
        )
    i = r.choice(cands)
    out = list(lines)
    choice = r.random()
    if choice < 0.3:
        out[i] = re.sub(r"[|>][-+0-9]*$", r.choice([">-", "|", "|-", ">", ">+", "|+", "|4", ">2-"]), out[i])
    elif choice < 0.5:
        out.insert(i + 2, "")
    elif choice < 0.7:
        out[i + 1] = "  " + out[i + 1]
    elif choice < 0.85:
        n = indent(out[i + 1])
        j = i + 1
        while j < len(out) and indent(out[j]) >= n and out[j].strip():
            out[j] = "  " + out[j]
            j += 1
    else:
        out.insert(i + 2, " " * indent(out[i + 1]) + r.choice(["# not a comment", "x: y", "- z", ""]))
    return out


def m_dash(lines, r):
    cands = [i for i, l in enumerate(lines) if l.lstrip().startswith("- ")]
    if not cands:
        return lines
    i = r.choice(cands)
    out = list(lines)
    n = indent(out[i])
    choice = r.random()
    if choice < 0.4:
        out[i] = " " * n + "-   " + out[i][n + 2 :]
    elif choice < 0.7:
        return out[:i] + [" " * n + "-", " " * (n + 2) + out[i][n + 2 :]] + out[i + 1 :]
    else:
        out[i] = " " * n + "-  # c"
        return out[: i + 1] + [" " * (n + 2) + lines[i][n + 2 :]] + out[i + 1 :]
    return out


def m_delete(lines, r):
    i = r.randrange(len(lines))
    return lines[:i] + lines[i + 1 :]


def m_duplicate(lines, r):
    i = r.choice(key_lines(lines))
    return lines[: i + 1] + [lines[i]] + lines[i + 1 :]


def m_anchor(lines, r):
    cands = [i for i in key_lines(lines) if KEY_LINE.match(lines[i]).group(4)]
    i = r.choice(cands)
    m = KEY_LINE.match(lines[i])
    out = list(lines)
    out[i] = m.group(1) + (m.group(2) or "") + m.group(3) + ": " + r.choice(["&a ", "!!str ", "!x "]) + m.group(4)
    return out


def m_seq_indent(lines, r):
    # write a list at its key's own indent (a common non-canonical layout)
    cands = [
        i
        for i in key_lines(lines)
        if KEY_LINE.match(lines[i]).group(4) is None and i + 1 < len(lines) and lines[i + 1].lstrip().startswith("- ")
    ]
    if not cands:
        return lines
    i = r.choice(cands)
    j = block_end(lines, i, indent(lines[i]))
    out = list(lines)
    for k in range(i + 1, j):
        if out[k].startswith("  "):
            out[k] = out[k][2:]
    return out


LINE_MUTATIONS = [
    m_swap_keys,
    m_dash_swap,
    m_value,
    m_value,
    m_value,
    m_key,
    m_comment,
    m_comment,
    m_eol,
    m_indent,
    m_trailing,
    m_flow_spacing,
    m_flow_to_block,
    m_block_to_flow,
    m_blank,
    m_block_scalar,
    m_block_scalar,
    m_dash,
    m_delete,
    m_duplicate,
    m_anchor,
    m_seq_indent,
]


def m_whole(text, r):
    choice = r.choice(["nofinal", "extra", "crlf", "bom", "tab", "docstart", "docend", "leadblank", "cr", "nul", "directive"])
    if choice == "nofinal":
        return text.rstrip("\n")
    if choice == "extra":
        return text + "\n"
    if choice == "crlf":
        return text.replace("\n", "\r\n")
    if choice == "bom":
        return "\ufeff" + text
    if choice == "tab":
        at = r.randrange(len(text))
        return text[:at] + "\t" + text[at:]
    if choice == "docstart":
        return "---\n" + text
    if choice == "docend":
        return text + "...\n"
    if choice == "leadblank":
        return "\n" + text
    if choice == "cr":
        return text.replace("\n", "\r", 1)
    if choice == "nul":
        return text + "\x00"
    return "%YAML 1.2\n---\n" + text


def perturb(text, r, count=None):
    lines = lines_of(text)
    for _ in range(count or r.choice([1, 1, 1, 2, 3])):
        if r.random() < 0.06:
            return m_whole(join(lines), r)
        try:
            lines = r.choice(LINE_MUTATIONS)(lines, r)
        except (IndexError, ValueError):
            pass
        if not lines:
            lines = ["financial_year: 2009/10"]
    return join(lines)


def truncated(text, r):
    """A shorter scheme: the lines up to a random top-level key (plus, sometimes, one later key's block)."""
    lines = lines_of(text)
    tops = [i for i, l in enumerate(lines) if l and l[0] not in " #"]
    if len(tops) < 3:
        return text
    cut = r.choice(tops[2:])
    return join(lines[:cut])


# ---------------------------------------------------------------------------
# Small documents built from scratch, most in the canonical layout, some not.

WORDS = ["RNF", "Northfield Acute", "2009/10", "0.5%", "30%", "12", "1.10", "true", "false", "2010-03-31", "acute", "5NF"]
TOP_KEYS = ["financial_year", "provider", "commissioning_route", "rate", "payment", "equality", "notes", "goals", "zebra"]
PROVIDER_KEYS = ["code", "name", "sector", "foundation_trust", "extra"]
GOAL_KEYS = ["number", "name", "weighting", "indicators"]
INDICATOR_KEYS = ["number", "name", "baseline", "milestones", "weighting"]


def _scalar(r):
    if r.random() < 0.15:
        return r.choice(TRICKY)
    word = r.choice(WORDS)
    style = r.random()
    if style < 0.15:
        return '"' + word + '"'
    if style < 0.2:
        return "'" + word + "'"
    return word


def _flow(r, depth=0):
    if depth > 2 or r.random() < 0.45:
        return _scalar(r)
    if r.random() < 0.5:
        items = [_flow(r, depth + 1) for _ in range(r.randrange(0, 3))]
        sep = ", " if r.random() < 0.9 else ","
        return "[" + sep.join(items) + "]"
    keys = r.sample(["month", "target", "value", "period"], r.randrange(0, 3))
    sep = ", " if r.random() < 0.9 else ","
    return "{" + sep.join(f"{k}: {_flow(r, depth + 1)}" for k in keys) + "}"


def _keys(r, known):
    keys = r.sample(known, r.randrange(1, len(known) + 1))
    return keys if r.random() < 0.5 else [k for k in known if k in keys]  # half in schema order


class _Writer:
    def __init__(self, r):
        self.r = r
        self.lines = []
        self.step = 2 if r.random() < 0.85 else r.choice([1, 3, 4])
        self.dash = 2 if r.random() < 0.85 else 0

    def emit(self, line):
        r = self.r
        if r.random() < 0.08:
            self.lines.append(r.choice(["", " " * r.randrange(0, 8) + "# note"]))
        if r.random() < 0.08:
            line += r.choice(["  # eol", " # eol", "   # eol: x"])
        if r.random() < 0.01:
            line += " "
        self.lines.append(line)

    def mapping(self, keys_of, indent, first_prefix=None):
        for at, key in enumerate(keys_of):
            prefix = first_prefix if at == 0 and first_prefix is not None else " " * indent
            self.value(prefix + key + ":", key, indent)

    def value(self, head, key, indent):
        r = self.r
        if key == "provider" and r.random() < 0.8:
            self.emit(head)
            self.mapping(_keys(r, PROVIDER_KEYS), indent + self.step)
        elif key in ("goals", "indicators", "milestones") and r.random() < 0.8:
            self.emit(head)
            self.sequence(key, indent + self.dash)
        elif key == "equality" and r.random() < 0.5:
            header = r.choice([">-", "|", "|-", ">"]) if r.random() < 0.9 else r.choice([">+", "|2"])
            self.emit(head + " " + header)
            pad = " " * (indent + (2 if r.random() < 0.9 else 4))
            for _ in range(r.randrange(1, 3)):
                self.lines.append(pad + r.choice(["Reported by age", "and sex", "# not a comment"]))
        elif r.random() < 0.3:
            self.emit(head + " " + _flow(r))
        else:
            self.emit(head + " " + _scalar(r))

    def sequence(self, key, dash):
        r = self.r
        known = GOAL_KEYS if key == "goals" else INDICATOR_KEYS
        for _ in range(r.randrange(1, 3)):
            kind = r.random()
            if kind < 0.6:
                self.mapping(_keys(r, known), dash + 2, " " * dash + "- ")
            elif kind < 0.8:
                self.emit(" " * dash + "- " + _flow(r))
            else:
                self.emit(" " * dash + "- " + _scalar(r))


def random_document(r):
    """A small scheme-like document: canonical when every choice falls the common way."""
    writer = _Writer(r)
    if r.random() < 0.5:
        writer.lines.append("# yaml-language-server: $schema=../schemas/scheme.schema.json")
    keys = _keys(r, TOP_KEYS)
    if "financial_year" not in keys:
        keys.insert(0 if r.random() < 0.9 else len(keys), "financial_year")
    writer.mapping(keys, 0)
    return join(writer.lines)
