#!/bin/sh
# cli_tests.sh - tests of the mmsim command as a user meets it.
#
#   1. every scenario in scenarios/ replays with all expectations held, and
#      its narration equals the golden transcript in tests/golden/ (a change
#      in output is a deliberate update: run 'make golden' and review the diff);
#   2. every file in tests/bad/ is refused with exit status 2 and exactly the
#      message in its .err file, and nothing runs;
#   3. the subcommands, options, help texts and step mode (driven through
#      standard input) behave as documented (tests/cli/*.sh cases).
#
# Usage: tests/cli_tests.sh [MMSIM] [--update]. Prints "cli: N passed, M failed".
set -u
MMSIM=${1:-build/mmsim}
case "$MMSIM" in /*) ;; *) MMSIM="$(pwd)/$MMSIM" ;; esac
UPDATE=${2:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$*"; }

export NO_COLOR=1

# 1. scenarios and golden transcripts
for f in scenarios/*.json; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .json)
    golden=tests/golden/$name.txt
    "$MMSIM" run "$f" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ $rc -ne 0 ]; then
        bad "scenario $f: exit $rc (expectations must all hold)"
        tail -n 5 "$TMP/out" "$TMP/err"
        continue
    fi
    if [ "$UPDATE" = "--update" ]; then
        cp "$TMP/out" "$golden"
        ok
    elif [ ! -f "$golden" ]; then
        bad "scenario $f: no golden transcript $golden (make golden)"
    elif cmp -s "$TMP/out" "$golden"; then
        ok
    else
        bad "scenario $f: narration differs from $golden"
        diff -u "$golden" "$TMP/out" | head -20
    fi
done

# 2. the bad-input corpus
for f in tests/bad/*.json; do
    "$MMSIM" check "$f" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ $rc -ne 2 ]; then
        bad "$f: mmsim check exit $rc, expected 2"
    elif ! ( cd tests/bad && "$MMSIM" check "$(basename "$f")" 2>&1 >/dev/null ) | cmp -s - "${f%.json}.err"; then
        bad "$f: message differs from ${f%.json}.err"
        ( cd tests/bad && "$MMSIM" check "$(basename "$f")" 2>&1 >/dev/null ) | diff -u "${f%.json}.err" - | head -6
    elif [ -s "$TMP/out" ]; then
        bad "$f: mmsim check printed on standard output"
    else
        ok
    fi
    # run must refuse it too, before running anything
    "$MMSIM" run "$f" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ $rc -ne 2 ] || [ -s "$TMP/out" ]; then
        bad "$f: mmsim run exit $rc or ran something"
    else
        ok
    fi
done

# (an oversized file: tests/cli/long-scenarios.sh)

# host memory exhaustion: a 4 GiB machine whose process writes 256 MiB, on a
# host that gives less. mmsim exits 3 with one line on standard error, and
# standard output ends with a whole line (no abort, no half line). The host
# is made small with ulimit -v; a sanitizer build reserves terabytes of
# address space and cannot start under it, so there ASan's own soft RSS
# limit makes malloc fail instead (ASan first says so in a line of its own),
# with no quarantine, so that memory freed before the run (the machine the
# validation builds and lets go) does not count against the limit. ASan
# checks RSS from a thread of its own, every so often, so which allocation
# is refused first depends on timing: there any one of the engine's
# allocations may be named; under ulimit -v it is always the frame's bytes.
if sh -c 'ulimit -v 200000 && exec "$0" --version' "$MMSIM" >/dev/null 2>&1; then
    want='^mmsim: the host is out of memory (the bytes of a frame, in mm_write32); the simulation stops here$'
    ( ulimit -v 200000 && exec "$MMSIM" run tests/cli/host-memory.json ) >"$TMP/out" 2>"$TMP/err"
else
    want='^mmsim: the host is out of memory ([A-Za-z][-A-Za-z0-9 ,'"'"']*, in [A-Za-z_][A-Za-z_0-9]*); the simulation stops here$'
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:soft_rss_limit_mb=200:quarantine_size_mb=0" \
        "$MMSIM" run tests/cli/host-memory.json >"$TMP/out" 2>"$TMP/err"
fi
rc=$?
grep -v '^==[0-9]*==' "$TMP/err" >"$TMP/err1"
if [ $rc -eq 3 ] && [ "$(wc -l <"$TMP/err1")" -eq 1 ] &&
   grep -q "$want" "$TMP/err1" &&
   [ "$(tail -c 1 "$TMP/out" | od -An -c | tr -d ' ')" = '\n' ]; then
    ok
else
    bad "host memory exhaustion: exit $rc (want 3), stderr: $(head -c 300 "$TMP/err"), last bytes: $(tail -c 20 "$TMP/out" | od -An -c)"
fi

# the same for a trace: OPT's look-ahead (4 bytes per reference) over 40
# million references from standard input outgrows a small host. Exit 3 and
# the same one line, not a message about the trace.
if sh -c 'ulimit -v 100000 && exec "$0" --version' "$MMSIM" >/dev/null 2>&1; then
    ( ulimit -v 100000 && yes 1 | head -n 40000000 | "$MMSIM" trace -p opt -C 10 - ) >"$TMP/out" 2>"$TMP/err"
else
    yes 1 | head -n 40000000 |
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:max_allocation_size_mb=64" \
        "$MMSIM" trace -p opt -C 10 - >"$TMP/out" 2>"$TMP/err"
fi
rc=$?
grep -v '^==[0-9]*==' "$TMP/err" >"$TMP/err1"
if [ $rc -eq 3 ] && [ ! -s "$TMP/out" ] &&
   [ "$(cat "$TMP/err1")" = "mmsim: the host is out of memory (OPT's look-ahead over the trace, in look); the simulation stops here" ]; then
    ok
else
    bad "trace out of host memory: exit $rc (want 3), stderr: $(head -c 300 "$TMP/err")"
fi

# and when the host has no room for the machine itself: 1,048,576 frames
# (their PFN entries alone are 24 MiB) on a host of 25 MB. Exit 3 and the
# same one line, nothing on standard output.
printf '1\n2\n3\n' >"$TMP/three"
if sh -c 'ulimit -v 25000 && exec "$0" --version' "$MMSIM" >/dev/null 2>&1; then
    ( ulimit -v 25000 && exec "$MMSIM" trace --frames 1048576 "$TMP/three" ) >"$TMP/out" 2>"$TMP/err"
else
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:max_allocation_size_mb=4" \
        "$MMSIM" trace --frames 1048576 "$TMP/three" >"$TMP/out" 2>"$TMP/err"
fi
rc=$?
grep -v '^==[0-9]*==' "$TMP/err" >"$TMP/err1"
if [ $rc -eq 3 ] && [ ! -s "$TMP/out" ] &&
   [ "$(cat "$TMP/err1")" = "mmsim: the host is out of memory (building the machine, in trace_run); the simulation stops here" ]; then
    ok
else
    bad "trace machine out of host memory: exit $rc (want 3), stderr: $(head -c 300 "$TMP/err")"
fi

# 3. command-line cases: each tests/cli/NAME.sh prints what it sees;
#    tests/cli/NAME.out holds the expected output; TMPDIR is this run's own
#    directory, so runs side by side never share a scratch file
for c in tests/cli/*.sh; do
    [ -f "$c" ] || continue
    mkdir -p "$TMP/case"
    MMSIM="$MMSIM" TMPDIR="$TMP/case" sh "$c" >"$TMP/out" 2>&1
    if [ "$UPDATE" = "--update" ]; then
        cp "$TMP/out" "${c%.sh}.out"
        ok
    elif cmp -s "$TMP/out" "${c%.sh}.out"; then
        ok
    else
        bad "$c: output differs from ${c%.sh}.out"
        diff -u "${c%.sh}.out" "$TMP/out" | head -20
    fi
done

printf 'cli: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
