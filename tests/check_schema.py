#!/usr/bin/python3
"""check_schema.py - docs/scenario.schema.json against real and broken scenarios.

    /usr/bin/python3 tests/check_schema.py [PATH...]

1. The schema must itself be a valid JSON Schema.
2. Every scenarios/*.json and tests/expect/*.json (or, when PATHs are given, those files and the
   *.json files in those folders) must be valid JSON without duplicate keys
   and must satisfy the schema.
3. A scenario embedded below, using most of the format, must satisfy it.
4. Broken copies of that scenario (an unknown op, an unknown field, a bad
   protection string, a write-copy protection, a reservation outside
   0x00010000-0x7FFDFFFF, a missing name, ...) must each be REJECTED, with an
   error at the place that is broken: a schema that accepts everything
   fails this test.

Prints each failure and a last line "schema: N passed, M failed" (N and M
count files and embedded documents); the exit status is 0 only when nothing
failed. Needs the jsonschema module (Debian: apt-get install
python3-jsonschema). Run from anywhere.
"""
import copy
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "docs", "scenario.schema.json")

# A scenario that mmsim check accepts (and whose expectations hold), touching
# most of the format.
GOOD = {
    "name": "schema-sample",
    "title": "Every part of the format, once",
    "description": "Embedded in tests/check_schema.py; must satisfy the schema.",
    "machine": {"frames": 128, "pagefiles": ["256K", "0x20000"], "ws_minimum": 20, "ws_maximum": 64,
                "policy": "fifo", "tlb_entries": 16, "read_cluster": 3, "write_cluster": 8, "zero_threshold": 8,
                "mpw_threshold": 50, "wsmgr_low": 10, "wsmgr_plenty": 40, "zero_period": 0, "mpw_period": 0,
                "wsmgr_period": 1, "max_processes": 4},
    "processes": [{"name": "notepad"},
                  {"name": "calc", "ws_minimum": 10, "ws_maximum": 30, "priority": 2, "modified_no_write": False}],
    "steps": [
        {"op": "note", "text": "Reserve, then commit."},                                               # 0
        {"op": "allocate", "process": "notepad", "address": "0x00010000", "size": "8K",
         "protect": "PAGE_READWRITE|PAGE_GUARD"},                                                     # 1
        {"op": "write", "process": "notepad", "address": "0x10000", "value": "0x12345678"},          # 2
        {"op": "expect", "status": "STATUS_GUARD_PAGE_VIOLATION", "fault": "guard-page",
         "av_reason": "none"},                                                                        # 3
        {"op": "read", "process": "notepad", "address": 65536},                                      # 4
        {"op": "expect", "value": {"min": 0, "max": "0xFFFFFFFF"}, "lists": {"zeroed": {"min": 1},
                                                                              "available": 120}},    # 5
        {"op": "expect", "pte": {"process": "notepad", "address": "0x10000", "form": "valid",
                                 "frame": {"max": 127}, "protection": "PAGE_READWRITE", "accessed": True,
                                 "dirty": False}},                                                   # 6
        {"op": "expect", "pde": {"process": "notepad", "address": "0x10000", "form": "valid"}},       # 7
        {"op": "create_process", "name": "paint", "ws_maximum": "0x20", "priority": 7,
         "modified_no_write": True},                                                                  # 8
        {"op": "reserve", "process": "paint", "address": "0x00400000", "size": "1M"},                 # 9
        {"op": "commit", "process": "paint", "address": "0x00400000", "size": "64K",
         "protect": "PAGE_EXECUTE_READWRITE"},                                                        # 10
        {"op": "touch", "process": "paint", "address": "0x00400000", "size": "64K", "access": "write"},
        {"op": "execute", "process": "paint", "address": "0x00400000"},
        {"op": "protect", "process": "paint", "address": "0x00400000", "size": "4K",
         "protect": "PAGE_READONLY"},
        {"op": "trim", "process": "paint", "pages": 4},
        {"op": "trim", "process": "paint"},
        {"op": "run", "thread": "modified_writer"},
        {"op": "expect", "pagefile": {"file": 1, "used": {"min": 0}},
         "commit": {"process": "paint", "charge": 16, "total": {"min": 16}},
         "standby_priority": {"7": {"min": 0}}, "repurposed": {"0": 0}},
        {"op": "run", "thread": "zero_page"},
        {"op": "run", "thread": "ws_manager"},
        {"op": "tick"},
        {"op": "tick", "count": 10},
        {"op": "memory_list", "command": "purge_standby_list"},
        {"op": "memory_list", "command": "MemoryFlushModifiedList"},
        {"op": "memory_list", "command": 0},
        {"op": "set_ws_limits", "process": "paint", "minimum": 5, "maximum": 40},
        {"op": "set_priority", "process": "paint", "priority": 1},
        {"op": "mark_bad", "frame": "0x7F"},
        {"op": "expect", "pfn": {"frame": 127, "list": "bad", "share_count": 0, "reference_count": 0,
                                 "priority": {"max": 7}, "modified": False}},
        {"op": "expect", "working_set": {"process": "paint", "size": {"min": 3}, "contains": ["0xC0300000"],
                                         "excludes": [4194304]}},
        {"op": "expect", "faults": {"process": "paint", "demand-zero": 16, "page-table": 0}},
        {"op": "decommit", "process": "paint", "address": "0x00400000", "size": "4K"},
        {"op": "release", "process": "paint", "address": "0x00400000"},
        {"op": "terminate", "process": "paint"},
        {"op": "expect", "status": "SUCCESS", "faults": {"access-violation": 0}},
        {"op": "memory_list", "command": "4"},                                                        # 35
        {"op": "protect", "process": "notepad", "address": "0x00011000", "size": "4K", "protect": 260},
        {"op": "protect", "process": "notepad", "address": "0x00011000", "size": "4K", "protect": "0x2"},
        {"op": "expect", "status": "STATUS_SUCCESS",
         "pte": {"process": "notepad", "address": "0xC0300000", "form": "valid", "value": "0x00000063"},
         "commit": {"limit": {"min": 128}, "peak": {"min": 16}},
         "pfn": {"frame": 0, "original_pte": 0, "pte_address": "0xC0300C00"}},                          # 38
        {"op": "expect", "pde": {"process": "notepad", "address": 3224371200, "frame": 0}},
    ],
}


def broken(change):
    doc = copy.deepcopy(GOOD)
    change(doc)
    return doc


def set_step(i, **fields):
    def change(doc):
        doc["steps"][i].update(fields)
    return change


def drop(path):
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return change


# (what is wrong, the document, where an error must be reported, a word the message must hold)
BAD = [
    ("unknown op", broken(set_step(2, op="wrte")), ["steps", 2, "op"], "wrte"),
    ("unknown field in a step", broken(set_step(2, adress="0x10000")), ["steps", 2], "adress"),
    ("field of another op", broken(set_step(4, value=1)), ["steps", 4], "value"),
    ("bad protection string", broken(set_step(1, protect="PAGE_READWRTE")), ["steps", 1, "protect"], None),
    ("base protection twice", broken(set_step(1, protect="PAGE_READONLY|PAGE_READWRITE")),
     ["steps", 1, "protect"], None),
    ("missing name", broken(drop(["name"])), [], "name"),
    ("missing description", broken(drop(["description"])), [], "description"),
    ("unknown top-level key", broken(lambda d: d.update(author="me")), [], "author"),
    ("unknown machine key", broken(lambda d: d["machine"].update(ram="16M")), ["machine"], "ram"),
    ("frames and memory", broken(lambda d: d["machine"].update(memory="512K")), ["machine"], None),
    ("size with a bad unit", broken(set_step(9, size="1Q")), ["steps", 9, "size"], None),
    ("process without a name", broken(drop(["processes", 1, "name"])), ["processes", 1], "name"),
    ("bad process name", broken(set_step(8, name="ms paint")), ["steps", 8, "name"], None),
    ("write without value", broken(drop(["steps", 2, "value"])), ["steps", 2], "value"),
    ("expect with nothing to check", broken(lambda d: d["steps"].append({"op": "expect"})),
     ["steps", len(GOOD["steps"])], None),
    ("pte and pde in one step", broken(set_step(7, pte={"process": "notepad", "address": "0x10000"})),
     ["steps", 7], None),
    ("unknown list", broken(set_step(5, lists={"standy": 1})), ["steps", 5, "lists"], "standy"),
    ("unknown fault kind", broken(set_step(3, fault="demand_zero")), ["steps", 3, "fault"], None),
    ("charge without process", broken(lambda d: d["steps"][17]["commit"].pop("process")),
     ["steps", 17, "commit"], "process"),
    ("kernel address in allocate", broken(set_step(1, address="0x80000000")), ["steps", 1, "address"], None),
    ("reservation below 0x10000", broken(set_step(9, address="0x1000")), ["steps", 9, "address"], None),
    ("reservation in the shared user data page", broken(set_step(1, address=0x7FFE0000)),
     ["steps", 1, "address"], None),
    ("user address past 0x7FFEFFFF", broken(set_step(10, address="0x7FFF0000")), ["steps", 10, "address"], None),
    ("write-copy protection", broken(set_step(1, protect="PAGE_WRITECOPY")), ["steps", 1, "protect"], None),
    ("execute-write-copy with a modifier", broken(set_step(10, protect="PAGE_EXECUTE_WRITECOPY|PAGE_NOCACHE")),
     ["steps", 10, "protect"], None),
    ("write-copy as a number", broken(set_step(13, protect=8)), ["steps", 13, "protect"], None),
    ("invalid protection number", broken(set_step(13, protect=3)), ["steps", 13, "protect"], None),
    ("invalid protection number string", broken(set_step(13, protect="0x104|PAGE_GUARD")),
     ["steps", 13, "protect"], None),
    ("two bases as a number string", broken(set_step(13, protect="0x6")), ["steps", 13, "protect"], None),
    ("memory-list command string out of range", broken(set_step(35, command="6")), ["steps", 35, "command"], None),
    ("unknown commit key", broken(lambda d: d["steps"][38]["commit"].update(limt=1)), ["steps", 38, "commit"],
     "limt"),
    ("unknown pfn key", broken(lambda d: d["steps"][38]["pfn"].update(pte=1)), ["steps", 38, "pfn"], "pte"),
    ("unknown memory-list command", broken(set_step(22, command="purge_standby")), ["steps", 22, "command"], None),
    ("memory-list command out of range", broken(set_step(24, command=6)), ["steps", 24, "command"], None),
    ("tick count 0", broken(set_step(20, count=0)), ["steps", 20, "count"], None),
    ("negative number", broken(lambda d: d["machine"].update(frames=-1)), ["machine", "frames"], None),
    ("number with a fraction", broken(lambda d: d["machine"].update(frames=64.5)), ["machine", "frames"], None),
]


def no_duplicates(pairs):
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError("duplicate key '%s'" % key)
        seen.add(key)
    return dict(pairs)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=no_duplicates)


def where(path):
    return "$" + "".join("[%d]" % p if isinstance(p, int) else "." + str(p) for p in path)


def all_errors(errors):
    """Every error, with those inside anyOf/oneOf/allOf branches."""
    for e in errors:
        yield e
        yield from all_errors(e.context)


def main(argv):
    try:
        import jsonschema
    except ImportError:
        print("schema: the jsonschema module is missing (Debian: apt-get install python3-jsonschema)")
        print("schema: 0 passed, 1 failed")
        return 1
    passed = failed = 0

    def fail(message):
        nonlocal failed
        failed += 1
        print("FAIL " + message)

    try:
        schema = load(SCHEMA)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        fail("%s: %s" % (os.path.relpath(SCHEMA), str(e).splitlines()[0]))
        print("schema: %d passed, %d failed" % (passed, failed))
        return 1
    validator = cls(schema)

    # the scenarios
    files = []
    for arg in argv or [os.path.join(ROOT, "scenarios"), os.path.join(ROOT, "tests", "expect")]:
        files += sorted(glob.glob(os.path.join(arg, "*.json"))) if os.path.isdir(arg) else [arg]
    for path in files:
        name = os.path.relpath(path)
        try:
            doc = load(path)
        except (OSError, ValueError) as e:
            fail("%s: %s" % (name, e))
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            fail("%s: %s" % (name, "\n     ".join("%s: %s" % (where(e.absolute_path), e.message[:200])
                                                 for e in errors[:5])))
        else:
            passed += 1

    # the embedded sample, then broken copies of it
    errors = list(validator.iter_errors(GOOD))
    if errors:
        fail("embedded sample: %s" % "\n     ".join("%s: %s" % (where(e.absolute_path), e.message[:200])
                                                     for e in errors[:5]))
    else:
        passed += 1
    for what, doc, path, word in BAD:
        errors = list(validator.iter_errors(doc))
        if not errors:
            fail("%s: the schema accepts it" % what)
            continue
        hits = [e for e in all_errors(errors) if list(e.absolute_path) == path]
        if word is not None:
            hits = [e for e in hits if word in e.message]
        if hits:
            passed += 1
        else:
            fail("%s: rejected, but not at %s%s; errors: %s" % (
                what, where(path), " mentioning '%s'" % word if word else "",
                "; ".join("%s: %s" % (where(e.absolute_path), e.message[:120]) for e in errors[:3])))

    print("schema: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
