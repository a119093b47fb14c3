# A scenario whose expectation does not hold: the failure names the step,
# the expectation, expected and actual, and the exit status is 1.
cat >"${TMPDIR:-/tmp}/mmsim-wrong.json" <<'JSON'
{
  "name": "wrong",
  "description": "An expectation that cannot hold.",
  "machine": { "frames": 32, "pagefiles": ["64K"] },
  "processes": [ { "name": "a" } ],
  "steps": [
    { "op": "allocate", "process": "a", "address": "0x10000", "size": "4K" },
    { "op": "write", "process": "a", "address": "0x10000", "value": 7 },
    { "op": "expect", "fault": "transition", "lists": { "active": 99 } },
    { "op": "read", "process": "a", "address": "0x10000" },
    { "op": "expect", "value": 7 }
  ]
}
JSON
cd "${TMPDIR:-/tmp}" && "$MMSIM" run mmsim-wrong.json | tail -8
printf '[exit %d]\n' $?
"$MMSIM" run mmsim-wrong.json >/dev/null
printf '[exit %d]\n' $?
rm -f mmsim-wrong.json
