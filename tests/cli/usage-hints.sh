# Every refusal of a command line (an unknown option, a bad value, options
# that do not go together, a word where none is taken) exits 2 and ends
# with the line that says where the options are: run 'mmsim CMD --help'.
# Each case prints its exit status and whether the last line of standard
# error is that line, then the line itself.
hint() {   # hint COMMAND ARGS...: the case, its status, its last line
    cmd=$1
    "$MMSIM" "$@" </dev/null >/dev/null 2>"$TMPDIR/err"
    rc=$?
    last=$(tail -n 1 "$TMPDIR/err")
    if [ "$last" = "run 'mmsim $cmd --help' for the options" ]; then ends=hint; else ends="NO HINT: $last"; fi
    printf '%s: exit %d, %s\n' "$*" "$rc" "$ends"
}
hint run --bogus tests/cli/small.json
hint run --max-ticks x tests/cli/small.json
hint run --check=sometimes tests/cli/small.json
hint run --max-work 1 --max-work 2 tests/cli/small.json
hint run - - 
hint check --check
hint check --max-work -3 tests/cli/small.json
hint step --check=foo tests/cli/small.json
hint step --json --json=x tests/cli/small.json
hint quiz --bogus
hint quiz -k foo
hint quiz -n 0
hint quiz --json --sheet
hint quiz extra-word
hint grade --bogus
hint grade quiz -s x answers.txt
hint grade quiz answers.txt
hint grade scenario tests/cli/small.json
hint grade lab
hint grade quiz --goals g.json -s 1 answers.txt
hint grade sceanrio
hint trace --bogus
hint trace -C -1 t.txt
hint trace -p foo t.txt
hint trace --sweep 1:4 -C 2 t.txt
hint trace
hint purge --bogus
hint purge all extra
