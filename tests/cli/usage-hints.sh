# Every refusal of a command line (an unknown option, a bad value, options
# that do not go together, a word where none is taken) exits 2 and ends
# with the line that says where the options are, once: run 'mmsim CMD
# --help' (for mmsim's own words, run 'mmsim --help' for the commands).
# Each case prints its exit status and whether standard error ends with
# that line and holds it once.
hint() {   # hint COMMAND ARGS...: the case, its status, its last line
    case $1 in
    help|--version) want="run 'mmsim --help' for the commands" ;;
    *) want="run 'mmsim $1 --help' for the options" ;;
    esac
    "$MMSIM" "$@" </dev/null >/dev/null 2>"$TMPDIR/err"
    rc=$?
    last=$(tail -n 1 "$TMPDIR/err")
    times=$(grep -c -F "$want" "$TMPDIR/err")
    if [ "$last" != "$want" ]; then ends="NO HINT: $last"
    elif [ "$times" != 1 ]; then ends="the hint $times times"
    else ends=hint; fi
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
hint purge
hint purge --yes all
hint purge --real all
hint purge bogusop
hint purge ,
hint compare all,all
hint compare bogus
hint compare empty-file-cache
hint step -
hint trace - -
hint trace --sweep 1:2 --svg t.txt t.txt
hint help bogus
hint help run step
hint --version x
