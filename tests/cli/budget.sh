# The work budget: a scenario whose ticks or work add up past it is refused
# before anything runs, at the step that crosses it (file:line:col and
# path), with exit 2, by check, run and step alike; --max-ticks and
# --max-work move it, and their values are checked.
say() { printf '$ mmsim %s\n' "$*"; }
st() { printf '[exit %d]\n' "$1"; }
say check tests/bad/too-many-ticks.json
"$MMSIM" check tests/bad/too-many-ticks.json 2>&1; st $?
say run tests/bad/too-much-work.json
"$MMSIM" run tests/bad/too-much-work.json 2>&1; st $?
say step tests/bad/too-much-work.json
"$MMSIM" step tests/bad/too-much-work.json </dev/null 2>&1; st $?
# raising the tick budget lets the eleven long ticks run (16 frames: quick)
say run --max-ticks 1100000 tests/bad/too-many-ticks.json
"$MMSIM" run --max-ticks 1100000 tests/bad/too-many-ticks.json >"${TMPDIR:-/tmp}/ticks.$$" 2>&1; rc=$?
tail -n 1 "${TMPDIR:-/tmp}/ticks.$$"; st $rc; rm -f "${TMPDIR:-/tmp}/ticks.$$"
# lowering either refuses a shipped scenario at the step that crosses it
say check --max-ticks 1 scenarios/zero-page-thread.json
"$MMSIM" check --max-ticks 1 scenarios/zero-page-thread.json 2>&1; st $?
say run --max-work 1000 scenarios/zero-page-thread.json
"$MMSIM" run --max-work 1000 scenarios/zero-page-thread.json 2>&1; st $?
say step --max-ticks 1 scenarios/zero-page-thread.json
"$MMSIM" step --max-ticks 1 scenarios/zero-page-thread.json </dev/null 2>&1; st $?
say check --max-work 100000000 scenarios/zero-page-thread.json
"$MMSIM" check --max-work 100000000 scenarios/zero-page-thread.json 2>&1; st $?
# the values
for v in 0 -1 1e3 1000000000001 '' "$(printf '9\033[2J')"; do
    say check --max-work "'$(printf '%s' "$v" | tr '\033' E)'" tests/cli/small.json
    "$MMSIM" check --max-work "$v" tests/cli/small.json 2>&1; st $?
done
say run --max-ticks
"$MMSIM" run --max-ticks 2>&1; st $?
say check --max-tick 5 tests/cli/small.json
"$MMSIM" check --max-tick 5 tests/cli/small.json 2>&1; st $?
# a release is charged the page tables that can exist, not every page of
# its range: 900 reservations of 2 GiB, each released, are within the
# default budget (they run in a fraction of a second; they were refused at
# step 1079)
python3 - "${TMPDIR:-/tmp}" <<'PY'
import json, sys
steps = []
for i in range(900):
    steps.append({"op": "reserve", "process": "a", "address": "0x00010000", "size": "0x7FF00000"})
    steps.append({"op": "release", "process": "a", "address": "0x00010000"})
d = {"name": "loop", "description": "d", "machine": {"frames": 64, "pagefiles": ["256K"]},
     "processes": [{"name": "a"}], "steps": steps}
json.dump(d, open(sys.argv[1] + "/loop.json", "w"))
PY
say check loop.json
"$MMSIM" check "${TMPDIR:-/tmp}/loop.json" 2>&1 | sed 's|^.*/loop.json|loop.json|'
say run --max-work 100000000 loop.json
"$MMSIM" run -q --max-work 100000000 "${TMPDIR:-/tmp}/loop.json" 2>&1 | sed 's|^.*/loop.json|loop.json|'
# the budget charges the checks the replay will run: 100,000 reads on a
# machine of 16,384 frames run within it with the default check (touched:
# the whole machine every 1,024 steps) and with --check=end, and are
# refused with --check=full (the whole machine after each one)
python3 - "${TMPDIR:-/tmp}" <<'PY'
import json, sys
steps = [{"op": "allocate", "process": "a", "address": "0x00010000", "size": "1M"}]
steps += [{"op": "read", "process": "a", "address": "0x%08X" % (0x10000 + 4096 * (i % 256))} for i in range(100000)]
with open(sys.argv[1] + "/reads.json", "w") as f:   # a step a line
    f.write('{"name": "reads", "description": "d", "machine": {"frames": 16384},\n'
            ' "processes": [{"name": "a"}], "steps": [\n' + ",\n".join(json.dumps(s) for s in steps) + "]}\n")
PY
for mode in touched end full; do
    say run -q --check=$mode reads.json
    "$MMSIM" run -q --check=$mode "${TMPDIR:-/tmp}/reads.json" 2>&1 | sed 's|^.*/reads.json|reads.json|'
done
# a read is charged the working-set entries a search for a victim can
# pass: 200 MiB touched leave 51,200 entries, all of which a search could
# pass were the set still at that size. From the file alone the budget
# cannot tell that the set was cut to 10 pages (which compacts its list, so
# these reads run in under a second), and 20,000 reads are refused
python3 - "${TMPDIR:-/tmp}" <<'PY'
import json, sys
steps = [{"op": "allocate", "process": "p", "address": "0x00010000", "size": "200M"},
         {"op": "touch", "process": "p", "address": "0x00010000", "size": "200M"},
         {"op": "set_ws_limits", "process": "p", "maximum": 10, "hard_maximum": True}]
keep = 0x10000 + 200 * 1024 * 1024 - 65536
steps += [{"op": "read", "process": "p", "address": "0x%08X" % (keep + 4096 * (i % 16))} for i in range(20000)]
with open(sys.argv[1] + "/holes.json", "w") as f:
    f.write('{"name": "holes", "description": "d", "machine": {"frames": 65536, "pagefiles": ["400M"]},\n'
            ' "processes": [{"name": "p"}], "steps": [\n' + ",\n".join(json.dumps(s) for s in steps) + "]}\n")
PY
say check holes.json
"$MMSIM" check "${TMPDIR:-/tmp}/holes.json" 2>&1 | sed 's|^.*/holes.json|holes.json|'
# a section of 256 pages mapped at 2,000 addresses has an entry in the
# working set at each (512,000 on a machine of 1,024 frames), all of which
# a search could pass while they are there (about 13 ms a read); cutting
# the set to 10 pages compacts the list, which the budget cannot tell from
# the file, and the reads are refused
python3 - "${TMPDIR:-/tmp}" <<'PY'
import json, sys
span = 256 * 4096
steps = [{"op": "create_section", "name": "s", "size": "1M"}]
steps += [{"op": "map_view", "process": "p", "section": "s", "address": "0x%08X" % (0x10000 + span * i)} for i in range(2000)]
steps += [{"op": "touch", "process": "p", "address": "0x%08X" % (0x10000 + span * i), "size": "1M", "access": "read"}
          for i in range(2000)]
steps.append({"op": "set_ws_limits", "process": "p", "maximum": 10, "hard_maximum": True})
steps += [{"op": "read", "process": "p", "address": "0x%08X" % (0x10000 + 4096 * (i % 16))} for i in range(2000)]
with open(sys.argv[1] + "/views.json", "w") as f:
    f.write('{"name": "views", "description": "d", "machine": {"frames": 1024, "pagefiles": ["64K"]},\n'
            ' "processes": [{"name": "p"}], "steps": [\n' + ",\n".join(json.dumps(s) for s in steps) + "]}\n")
PY
say check views.json
"$MMSIM" check "${TMPDIR:-/tmp}/views.json" 2>&1 | sed 's|^.*/views.json|views.json|'
