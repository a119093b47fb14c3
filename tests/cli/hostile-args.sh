# Hostile command lines for the command word, help, --version and the file
# arguments: every one is refused with exit 2 and a message that shows the
# argument safely (control characters as \xHH, long ones cut at 64 bytes).
run() {   # what the arguments are, then the arguments
    printf '$ mmsim %s\n' "$1"; shift
    "$MMSIM" "$@" >/dev/null 2>"${TMPDIR:-/tmp}/mmsim-args.err"; rc=$?
    cat "${TMPDIR:-/tmp}/mmsim-args.err"; printf '[exit %d]\n' $rc
}
run '""' ""
run 'ru<ESC>[2Jn' "$(printf 'ru\033[2Jn')"
run '<3000 y>' "$(head -c 3000 /dev/zero | tr '\0' y)"
run 'help ""' help ""
run 'help run extra' help run extra
run 'help pur<^A>ge' help "$(printf 'pur\001ge')"
run '--version extra' --version extra
run 'run ""' run ""
run 'check tests/cli/small.json ""' check tests/cli/small.json ""
run 'step ""' step ""
run 'run -- ""' run -- ""
run 'run --js<ESC>on tests/cli/small.json' run "$(printf -- '--js\033on')" tests/cli/small.json
run 'run --json=1 tests/cli/small.json' run --json=1 tests/cli/small.json
run '--help purge' --help purge
rm -f "${TMPDIR:-/tmp}/mmsim-args.err"
