#!/usr/bin/python3
"""guide_samples.py - the student guide's samples are mmsim's real output.

    /usr/bin/python3 tests/guide_samples.py MMSIM docs/student-guide.md

The guide says its output comes from the scenario of its section "Writing
your first scenario", saved as dz.json. This takes that scenario from the
guide, runs it as each section shows (`mmsim run` under "Reading the
narration", `run -v` under "-v", `run --json` under "--json") and checks
every fenced sample there: its lines must appear in the output in order,
each run of lines between two "..." lines as consecutive output lines. It
also checks the step prompt the guide quotes against the number of steps.
Prints one line per sample; exit 1 when one differs.
"""
import os
import re
import subprocess
import sys
import tempfile

SECTIONS = {"## Reading the narration": ["run"], "## -v:": ["run", "-v"], "## --json:": ["run", "--json"]}


def blocks(text):
    """(heading of the ## section, fence info, lines) for each fenced block."""
    heading, out, inside, info, body = "", [], False, "", []
    for line in text.splitlines():
        if not inside and line.startswith("## "):
            heading = line
        if line.strip().startswith("```"):
            if inside:
                out.append((heading, info, body))
                inside = False
            else:
                inside, info, body = True, line.strip()[3:], []
            continue
        if inside:
            body.append(line)
    return out


def found_in_order(sample, actual):
    """Where the sample first departs from the output, or None."""
    chunks, cur = [], []
    for line in sample:
        if line.strip() == "...":
            chunks.append(cur)
            cur = []
        else:
            cur.append(line)
    chunks.append(cur)
    at = 0
    for chunk in (c for c in chunks if c):
        for start in range(at, len(actual) - len(chunk) + 1):
            if actual[start:start + len(chunk)] == chunk:
                at = start + len(chunk)
                break
        else:
            best = next((line for line in chunk if line not in actual[at:]), chunk[0])
            return "not in the output (in order): " + best
    return None


def main():
    mmsim, guide = os.path.abspath(sys.argv[1]), sys.argv[2]
    text = open(guide, encoding="utf-8").read()
    all_blocks = blocks(text)
    scenario = next(b for h, info, b in all_blocks if h.startswith("## Writing your first scenario") and info == "json")
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "dz.json"), "w", encoding="utf-8") as f:
            f.write("\n".join(line[3:] if line.startswith("   ") else line for line in scenario) + "\n")
        outputs = {}
        checked = {h: 0 for h in SECTIONS}
        for heading, info, body in all_blocks:
            args = next((a for h, a in SECTIONS.items() if heading.startswith(h)), None)
            if args is None or info or not body:
                continue
            key = tuple(args)
            if key not in outputs:
                run = subprocess.run([mmsim] + args + ["dz.json"], cwd=d, capture_output=True, text=True)
                outputs[key] = run.stdout.splitlines()
            checked[next(h for h in SECTIONS if heading.startswith(h))] += 1
            why = found_in_order(body, outputs[key])
            name = "%s: the sample beginning %r" % (heading[3:], body[0][:60])
            if why:
                failed += 1
                print("DIFFERS %s: %s" % (name, why))
            else:
                print("ok %s" % name)
        for h, count in checked.items():   # a renamed heading must not leave its samples unchecked
            if count == 0:
                failed += 1
                print("DIFFERS no sample found under a heading starting %r" % h)
        steps = int(re.search(r'"type":"summary","steps":(\d+)', "\n".join(outputs[("run", "--json")])).group(1))
        prompts = re.findall(r"`step (\d+)/(\d+)>`", text)
        if not prompts:
            failed += 1
            print("DIFFERS no step prompt (`step N/M>`) found in the guide")
        for done, total in prompts:
            if int(total) != steps:
                failed += 1
                print("DIFFERS the prompt `step %s/%s>`: dz.json has %d steps" % (done, total, steps))
            else:
                print("ok the prompt `step %s/%s>`" % (done, total))
    sys.exit(1 if failed else 0)


main()
