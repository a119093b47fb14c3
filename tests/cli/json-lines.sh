# --json writes one JSON object per line: every line parses, the kinds are
# the documented ones, and the summary says the scenario passed.
"$MMSIM" run --json tests/cli/small.json >"${TMPDIR:-/tmp}/mmsim.jsonl"
printf '[exit %d]\n' $?
python3 - "${TMPDIR:-/tmp}/mmsim.jsonl" <<'PY'
import json, sys, collections
kinds = collections.Counter()
for line in open(sys.argv[1]):
    obj = json.loads(line)
    kinds[obj["type"] if obj["type"] != "event" else "event:" + obj["kind"]] += 1
    last = obj
for k in sorted(kinds):
    print(k, kinds[k])
print("summary passed:", last["passed"])
PY
rm -f "${TMPDIR:-/tmp}/mmsim.jsonl"
