#!/bin/sh
# labkit_test.sh - the lab kits, as course staff and students meet them.
#
#   1. every lab's checks and hidden checks give the reference engine (this
#      tree's mmsim) full marks;
#   2. every lab exports as a stub kit: each marked region holds exactly its
#      stub, nothing of the instructor's (tests, hidden checks) goes along,
#      the changed files compile at -O2 with every warning an error, the
#      whole kit builds, and make grade (with the hidden checks) scores zero
#      and writes a results.json Gradescope reads;
#   3. one lab exported as a reference kit builds and make grade gives it
#      full marks, hidden checks included;
#   4. labkit.sh refuses what it must (no such lab, a DEST it did not make,
#      regions and stubs that do not match, a marker that is not a line of
#      its own), each with its message and exit status.
#
# Usage: sh tests/labkit_test.sh [MMSIM]. Prints "labkit: N passed, M failed".
# Kits build with -O0 to keep make test fast; the stubbed files are
# compiled again at -O2, where the compiler warns the most.
set -u
MMSIM=${1:-build/mmsim}
case "$MMSIM" in /*) ;; *) MMSIM="$(pwd)/$MMSIM" ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$*"; }
CC=${CC:-cc}
WARN="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes \
-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla"
REFERENCE_LAB=fault
export NO_COLOR=1

# "Score: A/B" from a human report; prints "A B".
score() { sed -n 's/^Score: \([0-9.]*\)\/\([0-9.]*\)$/\1 \2/p' "$1" | tail -1; }

# results.json as Gradescope reads it: score, tests with the fields, the
# total equal to the sum. Prints the score.
check_results() {
    /usr/bin/python3 - "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert isinstance(r["score"], (int, float)), "score"
assert r["tests"], "no tests"
for t in r["tests"]:
    for k in ("name", "score", "max_score", "output", "status"):
        assert k in t, "a test without " + k
    assert t["status"] in ("passed", "failed")
    assert (t["status"] == "passed") == (t["score"] == t["max_score"])
assert abs(sum(t["score"] for t in r["tests"]) - r["score"]) < 1e-9, "score is not the sum"
print(r["score"], sum(t["max_score"] for t in r["tests"]))
EOF
}

labs=$(cd "$ROOT/tests/labs" && for d in */; do if [ -f "$d/checks/checks.json" ]; then printf '%s ' "${d%/}"; fi; done)
[ -n "$labs" ] || bad "no lab has tests/labs/LAB/checks/checks.json"

# 1. the reference engine scores full marks
for lab in $labs; do
    hidden=""
    [ -f "$ROOT/tests/labs/$lab/hidden/checks.json" ] && hidden="$ROOT/tests/labs/$lab/hidden/checks.json"
    "$MMSIM" grade lab "$ROOT/tests/labs/$lab/checks/checks.json" $hidden >"$TMP/ref.out" 2>&1
    rc=$?
    set -- $(score "$TMP/ref.out")
    if [ $rc -eq 0 ] && [ $# -eq 2 ] && [ "$1" = "$2" ] && [ "$2" != 0 ]; then ok; else
        bad "lab $lab: the reference engine does not score full marks (exit $rc)"; cat "$TMP/ref.out"; fi
    [ -n "$hidden" ] && ok || bad "lab $lab: no hidden checks (tests/labs/$lab/hidden/checks.json)"
done

# 2. a reference kit scores full marks through its own make grade
kit=$TMP/ref-kit
ref_build=""
if sh "$ROOT/tests/labs/labkit.sh" "$REFERENCE_LAB" "$kit" reference >/dev/null 2>&1 &&
   make -C "$kit" CFLAGS="-O0" >"$TMP/build.out" 2>&1; then
    ref_build=$kit
    make -C "$kit" --no-print-directory grade HIDDEN="$ROOT/tests/labs/$REFERENCE_LAB/hidden" >"$TMP/grade.out" 2>&1
    set -- $(score "$TMP/grade.out")
    got=$(check_results "$kit/results.json" 2>/dev/null)
    if [ $# -eq 2 ] && [ "$1" = "$2" ] && [ "$2" != 0 ] && [ "$got" = "$1 $2" ]; then ok; else
        bad "the reference kit of $REFERENCE_LAB does not score full marks"; cat "$TMP/grade.out"; fi
else
    bad "the reference kit of $REFERENCE_LAB does not export or build"; tail -20 "$TMP/build.out"
fi

# 3. stub kits. Each is built from the reference kit's objects, as an
# incremental build would: every file the two kits share is made older than
# those objects, the files the lab changed newer, so make recompiles what
# they touch (and what includes a changed header) with the kit's own rules,
# and relinks.
for lab in $labs; do
    kit=$TMP/kit-$lab
    if ! sh "$ROOT/tests/labs/labkit.sh" "$lab" "$kit" >"$TMP/export.out" 2>&1; then
        bad "lab $lab: export failed"; cat "$TMP/export.out"; continue
    fi
    ok
    # each region holds exactly its stub
    regions=0 wrong=0
    for f in $(cd "$kit" && grep -rl --include='*.[ch]' "^/\* LAB $lab: begin " sim); do
        for name in $(sed -n "s|^/\* LAB $lab: begin \([A-Za-z0-9_]*\) \*/\$|\1|p" "$kit/$f"); do
            regions=$((regions + 1))
            sed -n "\|^/\* LAB $lab: begin $name \*/\$|,\|^/\* LAB $lab: end $name \*/\$|p" "$kit/$f" |
                sed '1d;$d' >"$TMP/region"
            cmp -s "$TMP/region" "$ROOT/tests/labs/$lab/stubs/$name.c" || { wrong=$((wrong + 1)); bad "lab $lab: region $name in $f is not its stub"; }
        done
    done
    nstubs=$(ls "$ROOT/tests/labs/$lab/stubs/"*.c | wc -l | tr -d ' ')
    if [ "$regions" -eq "$nstubs" ] && [ $wrong -eq 0 ]; then ok; else bad "lab $lab: $regions regions in the kit, $nstubs stubs"; fi
    others=$(grep -rh --include='*.[ch]' '^/\* LAB [a-z0-9_-]*: begin' "$kit/sim" | grep -cv "LAB $lab:")
    if [ "$others" -eq 0 ]; then ok; else bad "lab $lab: the kit keeps $others markers of other labs"; fi
    sed 's#](\.\./#](docs/#g' "$ROOT/docs/labs/$lab.md" >"$TMP/readme"
    if [ ! -e "$kit/tests" ] && [ ! -e "$kit/labs" ] && [ ! -e "$kit/grade/hidden" ] && [ -f "$kit/README.md" ] &&
       [ -f "$kit/grade/checks.json" ] && [ -f "$kit/Makefile" ] && [ ! -e "$kit/.git" ] &&
       [ ! -e "$kit/docs/labs" ] && cmp -s "$kit/README.md" "$TMP/readme"; then ok; else bad "lab $lab: the kit's tree (README, grade/, no tests, labs, hidden checks or instructor pages)"; fi
    # the handout's links lead to pages of the kit
    missing=""
    for target in $(grep -o '](docs/[^)#]*' "$kit/README.md" | sed 's/^](//'); do
        [ -f "$kit/$target" ] || missing="$missing $target"
    done
    if [ -z "$missing" ]; then ok; else bad "lab $lab: the handout links to pages the kit lacks:$missing"; fi
    # the files holding the stubs compile cleanly at -O2
    changed=0 warned=0
    for f in $(cd "$kit" && grep -rl --include='*.c' "^/\* LAB $lab: begin " sim); do
        changed=$((changed + 1))
        $CC -O2 $WARN -I"$kit/sim" -c "$kit/$f" -o "$TMP/x.o" 2>"$TMP/cc.err" || { warned=$((warned + 1)); cat "$TMP/cc.err"; }
    done
    if [ $changed -gt 0 ] && [ $warned -eq 0 ]; then ok; else bad "lab $lab: $changed changed files, $warned with warnings at -O2"; fi
    # the whole kit builds
    if [ -n "$ref_build" ]; then
        find "$kit/sim" "$kit/nt" -type f -exec touch -t 200001010000 {} +
        cp -R "$ref_build/build" "$kit/build"
        diff -rq "$kit/sim" "$ref_build/sim" | sed -n "s|^Files \($kit/[^ ]*\) and .* differ\$|\1|p" | xargs touch
    fi
    if make -C "$kit" CFLAGS="-O0" >"$TMP/build.out" 2>&1; then ok; else
        bad "lab $lab: the stub kit does not build"; tail -20 "$TMP/build.out"; continue; fi
    # make grade scores zero and writes results.json
    make -C "$kit" --no-print-directory grade HIDDEN="$ROOT/tests/labs/$lab/hidden" >"$TMP/grade.out" 2>&1
    rc=$?
    set -- $(score "$TMP/grade.out")
    if [ $rc -eq 0 ] && [ $# -eq 2 ] && [ "$1" = 0 ] && [ "$2" != 0 ]; then ok; else
        bad "lab $lab: a stub kit must score 0 (make grade exit $rc)"; cat "$TMP/grade.out"; fi
    got=$(check_results "$kit/results.json" 2>"$TMP/json.err")
    if [ -n "$got" ] && [ "${got%% *}" = 0 ]; then ok; else bad "lab $lab: results.json"; cat "$TMP/json.err"; fi
    grep -q '"visibility": "after_due_date"' "$kit/results.json" && ok || bad "lab $lab: hidden tests keep their visibility in results.json"
done

# 4. refusals, on a small tree of its own
fake=$TMP/fake
mkdir -p "$fake/tests/labs/demo/stubs" "$fake/tests/labs/demo/checks" "$fake/sim" "$fake/docs/labs" "$fake/nt" "$fake/scenarios"
cp "$ROOT/tests/labs/labkit.sh" "$ROOT/tests/labs/kit.mk" "$fake/tests/labs/"
cp "$ROOT/LICENSE" "$fake/"
echo '{}' >"$fake/tests/labs/demo/checks/checks.json"
echo '# demo' >"$fake/docs/labs/demo.md"
cat >"$fake/sim/a.c" <<'EOF'
int keep(void);
/* LAB demo: begin two */
int two(void) { return 2; }
/* LAB demo: end two */
/* LAB other: begin three */
int three(void) { return 3; }
/* LAB other: end three */
EOF
echo 'int two(void) { return 0; }' >"$fake/tests/labs/demo/stubs/two.c"
refuse() {   # WHAT EXPECTED-EXIT EXPECTED-MESSAGE ARGS...
    what=$1 want=$2 msg=$3
    shift 3
    sh "$fake/tests/labs/labkit.sh" "$@" >"$TMP/r.out" 2>&1
    rc=$?
    if [ $rc -eq "$want" ] && grep -qF "$msg" "$TMP/r.out"; then ok; else bad "labkit.sh: $what (exit $rc)"; cat "$TMP/r.out"; fi
}
refuse "a good export" 0 "1 region(s) of the engine for you to write" demo "$TMP/out1"
if grep -q 'return 0' "$TMP/out1/sim/a.c" && ! grep -q 'return 2' "$TMP/out1/sim/a.c" && grep -q 'return 3' "$TMP/out1/sim/a.c" &&
   ! grep -q 'LAB other' "$TMP/out1/sim/a.c"; then ok; else bad "labkit.sh: the stub replaces the region, other labs keep code without markers"; fi
refuse "a second export over the first" 0 "for you to write" demo "$TMP/out1"
refuse "a reference export" 0 "as the reference has them" demo "$TMP/out2" reference
grep -q 'return 2' "$TMP/out2/sim/a.c" && ok || bad "labkit.sh: a reference kit keeps the code"
refuse "no such lab" 2 "no lab 'nosuch' (labs: demo )" nosuch "$TMP/out3"
refuse "a bad lab name" 2 "'../x' is not a lab name" ../x "$TMP/out3"
refuse "a bad mode" 2 "usage:" demo "$TMP/out3" both
mkdir -p "$TMP/mine" && echo precious >"$TMP/mine/notes.txt"
refuse "a DEST it did not make" 2 "exists and is not a lab kit" demo "$TMP/mine"
[ -f "$TMP/mine/notes.txt" ] && ok || bad "labkit.sh: a refused DEST is left alone"
echo 'int four(void) { return 0; }' >"$fake/tests/labs/demo/stubs/four.c"
refuse "a stub with no region" 1 "stubs for regions the engine does not mark: four" demo "$TMP/out4"
rm "$fake/tests/labs/demo/stubs/four.c"
printf '/* LAB demo: begin five */\nint five(void);\n' >>"$fake/sim/a.c"
refuse "a region never closed" 1 "sim/a.c:8: region demo five is never closed" demo "$TMP/out4"
printf '/* LAB demo: end five */\n' >>"$fake/sim/a.c"
refuse "a region with no stub" 1 "no stub tests/labs/demo/stubs/NAME.c for: five" demo "$TMP/out4"
printf 'int x; /* LAB demo: begin six */\n' >>"$fake/sim/a.c"
refuse "a marker that is not a whole line" 1 "sim/a.c:11: a marker must be a whole comment line" demo "$TMP/out4"

printf 'labkit: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
