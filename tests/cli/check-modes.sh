# The invariant checker's modes and narration off: every mode replays the
# same scenario to the same summary; --quiet prints only what failed and
# the summary; check --check=MODE replays silently; a bad mode is refused.
for mode in touched full end; do
    "$MMSIM" run --check=$mode tests/cli/small.json >"${TMPDIR:-/tmp}/mmsim-mode.out"
    rc=$?
    tail -n 1 "${TMPDIR:-/tmp}/mmsim-mode.out"
    printf '[exit %d]\n' $rc
done
rm -f "${TMPDIR:-/tmp}/mmsim-mode.out"
"$MMSIM" run --quiet tests/cli/small.json
printf '[exit %d]\n' $?
# a failing expectation is still told with narration off
cat >"${TMPDIR:-/tmp}/mmsim-quiet.json" <<'JSON'
{
  "name": "quiet",
  "description": "An expectation that cannot hold, told with narration off.",
  "machine": { "frames": 32, "pagefiles": ["64K"] },
  "processes": [ { "name": "a" } ],
  "steps": [
    { "op": "allocate", "process": "a", "address": "0x10000", "size": "4K" },
    { "op": "write", "process": "a", "address": "0x10000", "value": 7 },
    { "op": "expect", "fault": "transition" }
  ]
}
JSON
(cd "${TMPDIR:-/tmp}" && "$MMSIM" run -q --check=full mmsim-quiet.json 2>&1)
printf '[exit %d]\n' $?
(cd "${TMPDIR:-/tmp}" && "$MMSIM" run -q --json mmsim-quiet.json 2>&1)
printf '[exit %d]\n' $?
rm -f "${TMPDIR:-/tmp}/mmsim-quiet.json"
"$MMSIM" check --check=full tests/cli/small.json tests/cli/kd.json
printf '[exit %d]\n' $?
"$MMSIM" run --check=sometimes tests/cli/small.json 2>&1
printf '[exit %d]\n' $?
"$MMSIM" step --check=bogus tests/cli/small.json </dev/null 2>&1
printf '[exit %d]\n' $?
"$MMSIM" check --quiet tests/cli/small.json 2>&1
printf '[exit %d]\n' $?
