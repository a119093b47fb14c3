# A scenario that names a memory-list command by mmsim purge's name is told
# the scenario's name for it. The hint derives purge's names from the
# scenario's (dashes, no "_list"), so each of purge's six memory-list
# commands is checked here: purge takes the name, a scenario is told.
t=build/cli-purge-names
mkdir -p "$t"
for name in capture-accessed-bits capture-and-reset-accessed-bits empty-working-sets flush-modified \
    purge-standby purge-low-priority-standby; do
    "$MMSIM" purge "$name" >/dev/null 2>&1
    printf '%s: purge exit %d\n' "$name" $?
    printf '{"name":"x","description":"d","processes":[{"name":"p"}],"steps":[{"op":"memory_list","command":"%s"}]}' \
        "$name" >"$t/s.json"
    "$MMSIM" check "$t/s.json" 2>&1 | sed 's/^[^ ]* //'
done
