"""Make long variants of the bad-input corpus (tests/cli/long-scenarios.sh).

A scenario of 64 steps or more is read a step at a time (scenario.c); the
bad corpus is short. Each file whose "steps" array can be found is written
to OUT with 70 note steps appended inside that array, on the line of its
closing bracket, and its expected message with every position after the
insertion moved by the inserted characters: the messages of the long
variant must be the short file's, position for position.

usage: long-scenarios.py BAD_DIR OUT_DIR
"""
import os
import re
import sys

NOTES = ", ".join(['{"op": "note", "text": "n"}'] * 70)


def steps_close(t):
    """The offset of the ']' closing the top-level "steps" array, or None."""
    depth, in_str, esc, key_at, i = 0, False, False, None, 0
    want = None
    while i < len(t):
        c = t[i]
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
                if depth == 1 and t[key_at:i + 1] == '"steps"':
                    want = "key"
        elif c == '"':
            in_str, key_at = True, i
        elif c in "[{":
            depth += 1
            if c == "[" and depth == 2 and want == "key":
                want = "array"
        elif c in "]}":
            if c == "]" and depth == 2 and want == "array":
                return i
            depth -= 1
        i += 1
    return None


def main():
    bad, out = sys.argv[1], sys.argv[2]
    for name in sorted(os.listdir(bad)):
        if not name.endswith(".json"):
            continue
        t = open(os.path.join(bad, name), encoding="utf-8", errors="surrogateescape").read()
        close = steps_close(t)
        if close is None:
            continue
        before = t[:close].rstrip()
        if before.endswith(","):
            continue   # the trailing comma is the mistake: notes after it would mend it
        sep = "" if before.endswith("[") else ", "
        insert = sep + NOTES
        at = len(before)
        line = t.count("\n", 0, at) + 1
        col = at - (t.rfind("\n", 0, at) + 1) + 1
        err = open(os.path.join(bad, name[:-5] + ".err"), encoding="utf-8", errors="surrogateescape").read()

        def moved(m):
            ln, cl = int(m.group(2)), int(m.group(3))
            if ln == line and cl > col:
                cl += len(insert)
            return "%s:%d:%d:" % (m.group(1), ln, cl)

        err = re.sub(r"^(\S+?):(\d+):(\d+):", moved, err, flags=re.M)
        with open(os.path.join(out, name), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(t[:at] + insert + t[at:])
        with open(os.path.join(out, name[:-5] + ".err"), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(err)


main()
