# release answers as NtFreeVirtualMemory(MEM_RELEASE, size 0): an address
# inside a region but not at its base, an address in no region, the base.
cat >"${TMPDIR:-/tmp}/mmsim-release.json" <<'JSON'
{"name": "release", "description": "Releasing from the base only.", "machine": {"frames": 64},
 "processes": [{"name": "a"}],
 "steps": [
  {"op": "reserve", "process": "a", "address": "0x400000", "size": "64K"},
  {"op": "release", "process": "a", "address": "0x401000"},
  {"op": "expect", "status": "STATUS_FREE_VM_NOT_AT_BASE"},
  {"op": "release", "process": "a", "address": "0x800000"},
  {"op": "expect", "status": "STATUS_MEMORY_NOT_ALLOCATED"},
  {"op": "release", "process": "a", "address": "0x400000"},
  {"op": "expect", "status": "STATUS_SUCCESS"}
 ]}
JSON
cd "${TMPDIR:-/tmp}" && "$MMSIM" run mmsim-release.json >mmsim-out.txt
printf '[exit %d]\n' $?
grep -e '^  -> ' -e '^  expect' mmsim-out.txt
rm -f mmsim-out.txt
rm -f mmsim-release.json
