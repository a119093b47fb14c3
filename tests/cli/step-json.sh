# mmsim step --json: every line is one JSON object; steps carry the same
# numbers as mmsim run --json; questions are answered with the machine's
# facts (lists with their frames, a PFN entry, a walk, a working set, the
# VADs, the TLB, a debugger view), messages and the summary as objects too.
# A text session answers one question as JSON when it ends in --json.
printf 'n\nn\nlists -v\npfn 4\nwalk 0x10000\nws a\nvad\ntlb\n!pte 10000\nfrob\nb\ngoto 4\nq\n' |
  "$MMSIM" step --json tests/cli/small.json >"${TMPDIR:-/tmp}/mmsim-step.jsonl"
printf '[exit %d]\n' $?
python3 - "${TMPDIR:-/tmp}/mmsim-step.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    t = o["type"]
    if t == "event":
        continue
    if t == "lists":
        print(t, o["step"], "zeroed", o["zeroed"], "active", o["active"], "frames active", o["frames"]["active"],
              "zeroed head", o["frames"]["zeroed"][:3])
    elif t == "pfn":
        print(t, o["step"], o["frame"], o["list"], o["share_count"], o["flags"], o["original_pte_means"])
    elif t == "walk":
        print(t, o["step"], o["va"], o["access"], o["pte"], o["outcome"], o.get("frame"))
    elif t == "working_set":
        print(t, o["step"], o["process"], o["size"], [e["page"] for e in o["entries"]])
    elif t == "vads":
        print(t, o["step"], o["process"], o["commit_charge"], [(v["start"], v["end"]) for v in o["vads"]])
    elif t == "tlb":
        print(t, o["step"], o["hits"], o["misses"], [(e["entry"], e["va"]) for e in o["used"]])
    elif t == "kd":
        print(t, o["step"], o["command"], o["text"].splitlines()[0].split())
    elif t == "expect":
        print(t, o["step"], o["passed"], [c["check"] for c in o["checks"]])
    else:
        print(json.dumps(o, sort_keys=True))
PY
rm -f "${TMPDIR:-/tmp}/mmsim-step.jsonl"
printf 'n\nn\npfn 4 --json\nlists\nq\n' | "$MMSIM" step tests/cli/small.json | grep -E '^\{|^zeroed'
