# av_reason describes the last access of the most recent access step: it
# survives steps that make no access, and a later access that is not
# refused sets it back to none.
cat >"${TMPDIR:-/tmp}/mmsim-av.json" <<'JSON'
{"name": "av", "description": "av_reason across steps.", "machine": {"frames": 64},
 "processes": [{"name": "a"}],
 "steps": [
  {"op": "allocate", "process": "a", "address": "0x10000", "size": "4K", "protect": "PAGE_READONLY"},
  {"op": "write", "process": "a", "address": "0x10000", "value": 1},
  {"op": "expect", "fault": "access-violation", "av_reason": "write-to-readonly"},
  {"op": "note", "text": "A note makes no access."},
  {"op": "expect", "av_reason": "write-to-readonly"},
  {"op": "read", "process": "a", "address": "0x10000"},
  {"op": "expect", "fault": "demand-zero", "av_reason": "none"},
  {"op": "read", "process": "a", "address": "0x20000"},
  {"op": "expect", "av_reason": "no-vad"}
 ]}
JSON
cd "${TMPDIR:-/tmp}" && "$MMSIM" run mmsim-av.json >mmsim-out.txt
printf '[exit %d]\n' $?
grep -e '^  expect' -e '^    av_reason' mmsim-out.txt
rm -f mmsim-out.txt
rm -f mmsim-av.json
