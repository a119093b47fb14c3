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
