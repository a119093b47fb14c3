# The command line: help, version, unknown commands and options, exit statuses.
run() { printf '$ mmsim %s\n' "$*"; "$MMSIM" "$@"; printf '[exit %d]\n' $?; }
run --version
run
run frob
run rnu scenarios/tour.json
run run --jsno scenarios/tour.json
run run
run check
run step
run step a.json b.json
run help check
run help frob
run run --help
run step --help
run check /no/such/file.json
# every command's --help: its usage on standard output, nothing on standard
# error, exit 0
for c in run check step lists purge compare trace quiz grade; do
    "$MMSIM" $c --help >"$TMPDIR/help.out" 2>"$TMPDIR/help.err"
    printf '%s --help: exit %d, %s; %d bytes on standard error\n' "$c" $? \
        "$(head -n 1 "$TMPDIR/help.out")" "$(wc -c <"$TMPDIR/help.err")"
done
