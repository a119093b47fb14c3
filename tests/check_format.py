#!/usr/bin/python3
"""check_format.py - the validator's tables against the schema and the docs.

    /usr/bin/python3 tests/check_format.py [SCENARIO-TABLES]

The validator reads every step through its table of ops and every expect
step through its table of expectation kinds (sim/scenario/ops.h,
sim/scenario/expects.h). SCENARIO-TABLES (default
build/tests/scenario-tables, built by `make test`) prints both tables as
JSON. This script holds them against:

1. docs/scenario.schema.json: the op names (definitions.opName); for each
   op its definition step_NAME (its properties, the required ones, no
   others), the if/then of definitions.step that leads to it, and an editor
   snippet; the expectation kinds (the properties of step_expect) and, for
   a kind written as an object, its properties and required ones.
2. docs/scenario-format.md: the table of ops under "## Steps" (one row per
   op, with its fields, the required ones in bold, and whether it returns a
   status), the section each row links to, which must name the op and each
   of its fields; the table under "## Expectations" (one row per kind) and
   the section of each kind, which must name each of its fields.

So a row added to a table without its schema and its documentation, or a
field added, removed or made required on one side only, fails here. The
checks are then run on altered copies of the tables, the schema and the
doc, each of which must fail: a checker that accepts everything fails too.

Prints each failure and a last line "format: N passed, M failed"; the exit
status is 0 only when nothing failed. Run from anywhere.
"""
import copy
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "docs", "scenario.schema.json")
DOC = os.path.join(ROOT, "docs", "scenario-format.md")
TABLES = os.path.join(ROOT, "build", "tests", "scenario-tables")


# ---- the schema --------------------------------------------------------------

def resolve(schema, node):
    """Follow $ref and a lone allOf to the definition that has the substance."""
    defs = schema["definitions"]
    while True:
        if "$ref" in node:
            node = defs[node["$ref"].split("/")[-1]]
        elif "allOf" in node and len(node["allOf"]) == 1 and "properties" not in node:
            node = node["allOf"][0]
        else:
            return node


def compare_fields(fail, what, where, fields, properties, required):
    """fields: [{"name", "required"}] of a table; properties, required: of the other side."""
    names = [f["name"] for f in fields]
    must = {f["name"] for f in fields if f["required"]}
    for name in names:
        if name not in properties:
            fail("%s: field '%s' is not in %s" % (what, name, where))
    for name in properties:
        if name not in names:
            fail("%s: %s has field '%s', which the validator does not take" % (what, where, name))
    for name in sorted(must - set(required)):
        fail("%s: field '%s' is required by the validator, not in %s" % (what, name, where))
    for name in sorted(set(required) - must):
        if name in names:
            fail("%s: field '%s' is required in %s, not by the validator" % (what, name, where))


def check_schema(tables, schema, fail):
    defs = schema["definitions"]
    ops = [op["name"] for op in tables["ops"]]
    kinds = [k["name"] for k in tables["expectations"]]
    enum = defs.get("opName", {}).get("enum", [])
    for name in ops:
        if name not in enum:
            fail("op '%s': not in the schema's opName" % name)
    for name in enum:
        if name not in ops:
            fail("op '%s': in the schema's opName, but the validator has no such op" % name)
    names = set(tables.get("statuses", []))
    names |= {n[len("STATUS_"):] for n in names}
    senum = set(defs.get("status", {}).get("enum", []))
    for name in sorted(names - senum):
        fail("status '%s': the reader accepts it, the schema's status enum lacks it" % name)
    for name in sorted(senum - names):
        fail("status '%s': in the schema's status enum, but the reader refuses it" % name)
    step = defs.get("step", {})
    leads = {b.get("if", {}).get("properties", {}).get("op", {}).get("const"): b.get("then", {}).get("$ref")
             for b in step.get("allOf", [])}
    snippets = {s.get("label") for s in step.get("defaultSnippets", [])}
    for op in tables["ops"]:
        name = op["name"]
        what = "op '%s'" % name
        d = defs.get("step_" + name)
        if d is None:
            fail("%s: the schema has no definitions.step_%s" % (what, name))
            continue
        if leads.get(name) != "#/definitions/step_" + name:
            fail("%s: definitions.step has no if/then leading to step_%s" % (what, name))
        if name not in snippets:
            fail("%s: definitions.step has no snippet labelled '%s'" % (what, name))
        props = dict(d.get("properties", {}))
        if props.pop("op", {}).get("const") != name:
            fail("%s: step_%s.properties.op is not the constant '%s'" % (what, name, name))
        if d.get("additionalProperties") is not False:
            fail("%s: step_%s allows other properties" % (what, name))
        required = [k for k in d.get("required", []) if k != "op"]
        fields = op["fields"] if name != "expect" else [{"name": k, "required": False} for k in kinds]
        compare_fields(fail, what, "step_" + name, fields, props, required)
    expect = defs.get("step_expect", {}).get("properties", {})
    for kind in tables["expectations"]:
        name = kind["name"]
        if name not in expect or kind["fields"] is None:
            continue   # a missing kind was reported with the expect op
        node = resolve(schema, expect[name])
        compare_fields(fail, "expectation '%s'" % name, "step_expect.properties.%s" % name, kind["fields"],
                       node.get("properties", {}), node.get("required", []))


# ---- the format doc -------------------------------------------------------------

def slug(title):
    """The anchor of a heading, as GitHub makes it."""
    return re.sub(r"[^a-z0-9_ -]", "", title.strip().lower()).replace(" ", "-")


def sections(text):
    """{anchor: (level, title, body)}, the body running to the next heading of the same or a higher level."""
    lines = text.split("\n")
    heads = []
    fence = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            fence = not fence
        m = None if fence else re.match(r"^(#{1,6}) (.*)$", line)
        if m:
            heads.append((i, len(m.group(1)), m.group(2).strip()))
    out = {}
    for j, (i, level, title) in enumerate(heads):
        end = next((k for k, lv, _ in heads[j + 1:] if lv <= level), len(lines))
        out[slug(title)] = (level, title, "\n".join(lines[i + 1:end]))
    return out


def table_rows(body):
    """{name: (anchor, cells)} of the rows that start with a link to a code name: | [`x`](#y) | ... |"""
    rows = {}
    for line in body.split("\n"):
        m = re.match(r"^\| \[`([^`]+)`\]\(#([^)]+)\) \|", line)
        if m:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows.setdefault(m.group(1), []).append((m.group(2), cells))
    return rows


def names(title):
    """The names a heading lists: "reserve, commit, allocate", "pte and pde"."""
    return [w.strip() for w in re.split(r",| and ", title) if w.strip()]


def mentioned(body, field):
    """A field is named in a section as `field` or "field", or (for the digit keys of
    standby_priority) inside a range written `"0"` to `"7"`."""
    if "`%s`" % field in body or '"%s"' % field in body:
        return True
    if field.isdigit():
        for lo, hi in re.findall(r'`"(\d+)"` to `"(\d+)"`', body):
            if int(lo) <= int(field) <= int(hi):
                return True
    return False


def check_doc_row(fail, what, rows, name, secs, under):
    """The one row for name; its anchor must lead to a section that lists name. Returns the row or None."""
    found = rows.get(name, [])
    if len(found) != 1:
        fail("%s: %s rows in the table under '%s' of docs/scenario-format.md" % (what, len(found) or "no", under))
        return None
    anchor, cells = found[0]
    if anchor not in secs:
        fail("%s: its row links to #%s, which is no heading" % (what, anchor))
        return None
    return anchor, cells


def check_doc(tables, text, fail):
    secs = sections(text)
    steps = secs.get("steps", (0, "", ""))[2]
    op_rows = table_rows(steps)
    known = {op["name"] for op in tables["ops"]}
    for extra in sorted(set(op_rows) - known):
        fail("op '%s': in the table under 'Steps', but the validator has no such op" % extra)
    for op in tables["ops"]:
        name, what = op["name"], "op '%s'" % op["name"]
        row = check_doc_row(fail, what, op_rows, name, secs, "Steps")
        if row is None:
            continue
        anchor, cells = row
        if len(cells) < 3:
            fail("%s: its row in the table under 'Steps' has %d columns" % (what, len(cells)))
            continue
        if cells[2] != ("yes" if op["returns_status"] else "no"):
            fail("%s: 'returns a status' says %s, the validator says %s" % (what, cells[2], op["returns_status"]))
        if name == "expect":
            continue   # its fields are the expectation kinds, below
        level, title, body = secs[anchor]
        if name not in names(title):
            fail("%s: its row links to the section '%s', which does not name it" % (what, title))
        listed = [f.strip() for f in cells[1].split(",") if f.strip()]
        props = [f.strip("*") for f in listed]
        required = [f.strip("*") for f in listed if f.startswith("**")]
        compare_fields(fail, what, "its row under 'Steps'", op["fields"], props, required)
        for f in op["fields"]:
            if not mentioned(body, f["name"]):
                fail("%s: field '%s' is not named in the section '%s'" % (what, f["name"], title))
    expectations = secs.get("expectations", (0, "", ""))[2]
    kind_rows = table_rows(expectations)
    known = {k["name"] for k in tables["expectations"]}
    for extra in sorted(set(kind_rows) - known):
        fail("expectation '%s': in the table under 'Expectations', but the validator has no such kind" % extra)
    for kind in tables["expectations"]:
        name, what = kind["name"], "expectation '%s'" % kind["name"]
        row = check_doc_row(fail, what, kind_rows, name, secs, "Expectations")
        if row is None:
            continue
        level, title, body = secs[row[0]]
        if name not in names(title):
            fail("%s: its row links to the section '%s', which does not name it" % (what, title))
        for f in kind["fields"] or []:
            if not mentioned(body, f["name"]):
                fail("%s: field '%s' is not named in the section '%s'" % (what, f["name"], title))


def check(tables, schema, text):
    failures = []
    check_schema(tables, schema, failures.append)
    check_doc(tables, text, failures.append)
    return failures


# ---- altered copies that must fail ---------------------------------------------------

def altered(tables, schema, text):
    """(what was changed, tables, schema, doc text, a word the failures must hold)"""
    def t(change):
        c = copy.deepcopy(tables)
        change(c)
        return c

    def s(change):
        c = copy.deepcopy(schema)
        change(c)
        return c

    def op(c, name):
        return next(o for o in c["ops"] if o["name"] == name)

    def kind(c, name):
        return next(k for k in c["expectations"] if k["name"] == name)

    return [
        ("a new op in the table only",
         t(lambda c: c["ops"].append({"name": "map_view", "returns_status": True,
                                      "fields": [{"name": "section", "required": True}]})),
         schema, text, "map_view"),
        ("a new field of an op in the table only",
         t(lambda c: op(c, "write")["fields"].append({"name": "width", "required": False})), schema, text, "width"),
        ("a field of an op made required in the table only",
         t(lambda c: op(c, "reserve")["fields"][3].update(required=True)), schema, text, "protect"),
        ("a field dropped from an op in the table only",
         t(lambda c: op(c, "trim")["fields"].pop()), schema, text, "pages"),
        ("an op that returns a status in the table only",
         t(lambda c: op(c, "tick").update(returns_status=True)), schema, text, "tick"),
        ("a new expectation kind in the table only",
         t(lambda c: c["expectations"].append({"name": "prototype", "fields": None})), schema, text, "prototype"),
        ("a new field of an expectation in the table only",
         t(lambda c: kind(c, "pfn")["fields"].append({"name": "share_owners", "required": False})),
         schema, text, "share_owners"),
        ("a field of an expectation made optional in the table only",
         t(lambda c: kind(c, "working_set")["fields"][0].update(required=False)), schema, text, "process"),
        ("an op dropped from the schema's opName",
         tables, s(lambda c: c["definitions"]["opName"]["enum"].remove("mark_bad")), text, "mark_bad"),
        ("a status the reader knows, dropped from the schema's enum",
         tables, s(lambda c: c["definitions"]["status"]["enum"].remove("STATUS_STACK_OVERFLOW")), text,
         "STATUS_STACK_OVERFLOW"),
        ("a status in the schema's enum that the reader does not know",
         t(lambda c: c["statuses"].remove("STATUS_COMMITMENT_LIMIT")), schema, text, "COMMITMENT_LIMIT"),
        ("a field dropped from a step in the schema",
         tables, s(lambda c: c["definitions"]["step_touch"]["properties"].pop("access")), text, "access"),
        ("an op's row dropped from the doc",
         tables, schema, re.sub(r"\n\| \[`tick`\].*", "", text), "tick"),
        ("a field made optional in the doc's table",
         tables, schema, text.replace("| **process**, **priority** |", "| **process**, priority |"), "priority"),
        ("an expectation's row dropped from the doc",
         tables, schema, re.sub(r"\n\| \[`pagefile`\].*", "", text), "pagefile"),
    ]


def main(argv):
    exe = argv[0] if argv else TABLES
    passed = failed = 0

    def report(message):
        nonlocal failed
        failed += 1
        print("FAIL " + message)

    try:
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
        tables = json.loads(out)
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        with open(DOC, encoding="utf-8") as f:
            text = f.read()
    except (OSError, ValueError, subprocess.CalledProcessError) as e:
        report("cannot read the tables, the schema or the doc: %s (build the tables with make %s)"
               % (e, os.path.relpath(TABLES, ROOT)))
        print("format: %d passed, %d failed" % (passed, failed))
        return 1

    for message in check(tables, schema, text):
        report(message)
    passed += 1 if not failed else 0
    for what, t, s, d, word in altered(tables, schema, text):
        found = check(t, s, d)
        if any(word in message for message in found):
            passed += 1
        else:
            report("%s: not noticed%s" % (what, "; found: " + found[0] if found else ""))
    print("format: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
