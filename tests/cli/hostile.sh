# Hostile command lines: nothing crashes, every refusal says why, exit 2.
t=build/cli-hostile
mkdir -p "$t"
run() { "$MMSIM" "$@" >"$t/out" 2>"$t/err"; rc=$?; printf '[exit %d] ' $rc; head -c 200 "$t/err" | head -2; echo; }
run check "$t"                                   # a directory
run check /dev/null                              # empty
run check /dev/zero                              # endless
run run "$(head -c 5000 /dev/zero | tr '\0' x)"  # a very long name
run run --json --json -v -v --no-color            # options only
run step --frob tests/cli/small.json
run check -- -v                                   # a file called -v
printf '\001\002\377' >"$t/bin.json"
run check "$t/bin.json"
printf '{"name": "x", "description": "d", "steps": []}' >"$t/ok.json"
chmod 000 "$t/ok.json"
if [ "$(id -u)" = 0 ]; then echo "[skip unreadable: running as root reads it]"; else run check "$t/ok.json"; fi
rm -rf "$t"
