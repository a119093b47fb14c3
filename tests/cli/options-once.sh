# An option that takes a value is given once, by every command: a second
# time, in any of its forms (-s 1, --seed 1, --seed=1, -s1), it is refused
# with both values and exit 2, before anything runs, even when the two
# values are the same. mmsim trace's -p, which adds policies, is the one
# option that may come again.
run() {
    printf '$ mmsim %s\n' "$*"
    "$MMSIM" "$@" >/dev/null 2>"${TMPDIR:-/tmp}/mmsim-once.err"; rc=$?
    cat "${TMPDIR:-/tmp}/mmsim-once.err"; printf '[exit %d]\n' $rc
}
run quiz -s 1 -s 2 -n 1
run quiz --seed=7 -s7 -n 1
run quiz -s 1 -n 1 --count 2
run quiz -s 1 -k fault -k policy
run grade quiz -s 1 --seed 2 answers.txt
run grade lab --format tap --format=human x
run grade lab --timeout 5 --timeout 6 x
run grade scenario --goals a.json --goals b.json x.json
run grade lab --results r.json --results=r.json x
run run --check full --check end tests/cli/small.json
run check --max-work 5 --max-work 6 tests/cli/small.json
run step --max-ticks=9 --max-ticks 9 tests/cli/small.json
run trace -C 3 --cache=4 tests/cli/belady.txt
run trace -f pages --format pages tests/cli/belady.txt
run trace --tick 5 --tick 6 tests/cli/belady.txt
run trace --quantum 1 --quantum 2 tests/cli/belady.txt
run trace --frames 100 --frames 200 tests/cli/belady.txt
run trace --tlb 8 --tlb 8 tests/cli/belady.txt
run trace --sweep 1:2 --sweep 1:3 tests/cli/belady.txt
run trace --sweep 1:2 -j 1 --jobs 2 tests/cli/belady.txt
printf '$ mmsim trace -p fifo -p lru -C 3 belady.txt | grep FINALSTATS\n'
"$MMSIM" trace -p fifo -p lru -C 3 tests/cli/belady.txt | grep FINALSTATS; echo "[exit $?]"
rm -f "${TMPDIR:-/tmp}/mmsim-once.err"
