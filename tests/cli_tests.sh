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

# host memory exhaustion. The host is made small with ulimit -v; a sanitizer
# build reserves terabytes of address space and cannot start under it, so
# there ASan's own options make malloc fail instead (ASan first says so in
# a line of its own). on_small_host KB ASAN_OPTION COMMAND... runs the
# command so (its standard input is the caller's), leaving its output in
# $TMP/out, its standard error without ASan's lines in $TMP/err1 and its
# exit status in $TMP/rc.
on_small_host() {
    kb=$1 asan=$2
    shift 2
    if sh -c "ulimit -v $kb && exec \"\$0\" --version" "$MMSIM" >/dev/null 2>&1; then
        ( ulimit -v "$kb" && exec "$@" ) >"$TMP/out" 2>"$TMP/err"
    else
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:$asan" "$@" >"$TMP/out" 2>"$TMP/err"
    fi
    echo $? >"$TMP/rc"
    grep -v '^==[0-9]*==' "$TMP/err" >"$TMP/err1"
}
oom_line() { printf 'mmsim: the host is out of memory (%s); the simulation stops here' "$1"; }

# A 4 GiB machine whose process writes 256 MiB: exit 3 with one line on
# standard error, and standard output ends with a whole line (no abort, no
# half line). Under ASan, the soft RSS limit, with no quarantine, so that
# memory freed before the run (the machine the validation builds and lets
# go) does not count; ASan checks RSS from a thread of its own every so
# often, so which allocation is refused first depends on timing, and any
# one of the engine's may be named; under ulimit -v it is always the
# frame's bytes.
on_small_host 200000 soft_rss_limit_mb=200:quarantine_size_mb=0 "$MMSIM" run tests/cli/host-memory.json
rc=$(cat "$TMP/rc")
if sh -c 'ulimit -v 200000 && exec "$0" --version' "$MMSIM" >/dev/null 2>&1; then
    want="^$(oom_line 'the bytes of a frame, in mm_write32')\$"
else
    want="^$(oom_line "[A-Za-z][-A-Za-z0-9 ,']*, in [A-Za-z_][A-Za-z_0-9]*")\$"
fi
if [ "$rc" -eq 3 ] && [ "$(wc -l <"$TMP/err1")" -eq 1 ] && grep -q "$want" "$TMP/err1" &&
   [ "$(tail -c 1 "$TMP/out" | od -An -c | tr -d ' ')" = '\n' ]; then
    ok
else
    bad "host memory exhaustion: exit $rc (want 3), stderr: $(head -c 300 "$TMP/err"), last bytes: $(tail -c 20 "$TMP/out" | od -An -c)"
fi

# the same for a trace: OPT's look-ahead (4 bytes per reference) over 40
# million references from standard input outgrows a small host; and a
# machine of 1,048,576 frames (their PFN entries alone are 24 MiB) does not
# fit a host of 25 MB. Exit 3 and the one line, nothing on standard output;
# a sweep in two processes, both out of memory, says it once too.
printf '1\n2\n3\n' >"$TMP/three"
for case in "look|OPT's look-ahead over the trace, in look|100000|max_allocation_size_mb=64|-p opt -C 10 -" \
            "machine|building the machine, in trace_run|25000|max_allocation_size_mb=4|--frames 1048576 $TMP/three" \
            "sweep of 2 processes|building the machine, in trace_run|25000|max_allocation_size_mb=4|--sweep 1:4 -j 2 --svg $TMP/x.svg --frames 1048576 $TMP/three"; do
    IFS='|' read -r name what kb asan args <<EOF2
$case
EOF2
    # shellcheck disable=SC2086
    yes 1 | head -n 40000000 | on_small_host "$kb" "$asan" "$MMSIM" trace $args
    rc=$(cat "$TMP/rc")
    if [ "$rc" -eq 3 ] && [ ! -s "$TMP/out" ] && [ "$(cat "$TMP/err1")" = "$(oom_line "$what")" ]; then
        ok
    else
        bad "trace out of host memory ($name): exit $rc (want 3), stderr: $(head -c 300 "$TMP/err")"
    fi
done

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
