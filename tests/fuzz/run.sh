#!/bin/sh
# run.sh - each fuzz target's regression inputs replayed, then the target
# fuzzed for SECONDS, JOBS targets at a time (each fuzzer is one process
# on one processor). One line per target, in the order given.
#
# Usage: tests/fuzz/run.sh BUILD SECONDS JOBS TARGET...
# Exit status 0, or 1 when an input crashes a target or breaks an
# invariant (its log's tail is printed, the input is in BUILD/fuzz/).
set -u
build=$1 seconds=$2 jobs=$3
shift 3

# One target: its result line (and, on failure, the log's tail) to $out.
one() {
    t=$1 out=$2
    bin=$build/fuzz/fuzz_$t work=$build/fuzz/corpus-$t
    mkdir -p "$work"
    regs=$(ls tests/fuzz/regressions/$t/* 2>/dev/null | grep -v '/\.keep$')
    if [ -n "$regs" ] && ! "$bin" $regs >"$build/fuzz/$t-regressions.log" 2>&1; then
        { echo "fuzz $t: a regression input fails again"; tail -30 "$build/fuzz/$t-regressions.log"; } >"$out"
        return 1
    fi
    "$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$build/fuzz/$t-" -timeout=20 \
        -rss_limit_mb=2048 "$work" "tests/fuzz/seeds/$t" >"$build/fuzz/$t.log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz/$t.log" | grep -o '[0-9]*$')
    if [ $rc -ne 0 ]; then
        { echo "fuzz $t: FAILED after $runs runs; the input is in $build/fuzz/$t-*"
          echo "  (fix it, then add the input to tests/fuzz/regressions/$t/)"
          tail -40 "$build/fuzz/$t.log"; } >"$out"
        return 1
    fi
    echo "fuzz $t: $runs executions in $seconds s, no crash, no invariant failure" >"$out"
}

failed=0
while [ $# -gt 0 ]; do
    group=""
    n=0
    while [ $# -gt 0 ] && [ $n -lt "$jobs" ]; do
        one "$1" "$build/fuzz/$1.result" &
        group="$group $1"
        n=$((n + 1))
        shift
    done
    wait
    for t in $group; do
        cat "$build/fuzz/$t.result"
        grep -q "^fuzz $t: [0-9]* executions" "$build/fuzz/$t.result" || failed=1
    done
    [ $failed -eq 0 ] || exit 1
done
