# Sections in step mode and in JSON lines. Step mode: a walk through a
# prototype pointer shows the prototype PTE it leads to (in transition,
# then a subsection PTE after the purge), a zero PTE in a view shows the
# prototype PTE found through the VAD, a write to a copy-on-write page is a
# copy-on-write fault, !pte decodes a prototype pointer as "Proto:", and
# vad and !vad show a view with its section.
# JSON: the section, view, file-io and prototype-PTE events of a scenario.
printf '%s\n' 'goto 12' 'walk 0x400000 app' '!pte 400000 app' 'walk 0x501000 app write' 'goto 14' \
    'walk 0x500000 app' '!pte 500000 app' 'q' |
    "$MMSIM" step scenarios/section-purge-mapped.json >"${TMPDIR:-/tmp}/step-sections.$$" 2>&1
printf '[exit %d]\n' $?
sed -n '/^type .help/,$p' "${TMPDIR:-/tmp}/step-sections.$$"
printf '%s\n' 'goto 5' 'walk 0x400000 child write' 'walk 0x401000 child write' 'walk 0x401000 child' 'vad child' \
    '!vad child' 'q' |
    "$MMSIM" step scenarios/section-copy-on-write.json >"${TMPDIR:-/tmp}/step-sections.$$" 2>&1
printf '[exit %d]\n' $?
sed -n '/^type .help/,$p' "${TMPDIR:-/tmp}/step-sections.$$"
"$MMSIM" run --json scenarios/section-unmap-dirty.json >"${TMPDIR:-/tmp}/step-sections.$$"
printf '[exit %d]\n' $?
python3 - "${TMPDIR:-/tmp}/step-sections.$$" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    obj = json.loads(line)
    if obj["type"] == "event" and (obj["kind"] in ("section", "view", "file-io") or obj.get("proto")):
        print(line.rstrip())
PY
rm -f "${TMPDIR:-/tmp}/step-sections.$$"
