# --json writes one JSON object per line: every line parses, the kinds are
# the documented ones, steps are numbered 1, 2, 3... by operation (notes
# and expectations carry the number of the step they belong to), and the
# summary says the scenario passed. A fault's `since` is the seq of the
# first event of its resolution: no later than the fault, and in its step.
"$MMSIM" run --json tests/cli/small.json >"${TMPDIR:-/tmp}/mmsim.jsonl"
printf '[exit %d]\n' $?
python3 - "${TMPDIR:-/tmp}/mmsim.jsonl" <<'PY'
import json, sys, collections
kinds = collections.Counter()
steps, belong = [], []
step_of, faults = {}, []
for line in open(sys.argv[1]):
    obj = json.loads(line)
    if obj["type"] == "event":
        step_of[obj["seq"]] = obj["step"]
        if obj["kind"] == "fault":
            faults.append(obj)
    kinds[obj["type"] if obj["type"] != "event" else "event:" + obj["kind"]] += 1
    if obj["type"] == "step":
        steps.append(obj["step"])
    elif obj["type"] in ("note", "expect"):
        belong.append("%s %d" % (obj["type"], obj["step"]))
    if obj["type"] == "expect":
        print("expect checks:", ", ".join("%s %s = %s" % (c["check"], c["actual"], c["expected"]) for c in obj["checks"]))
    last = obj
for k in sorted(kinds):
    print(k, kinds[k])
print("steps:", steps)
print("belong:", belong)
print("faults:", ", ".join("%s at seq %d since %d" % (f["fault"], f["seq"], f["since"]) for f in faults))
print("each fault's resolution lies in its step:",
      all(f["since"] <= f["seq"] and step_of.get(f["since"], f["step"]) == f["step"] for f in faults))
print("summary:", last["steps"], "steps,", last["expectations"], "expectations, passed:", last["passed"])
PY
rm -f "${TMPDIR:-/tmp}/mmsim.jsonl"
