#!/bin/sh
# tests/mutate/mutate.sh - the mutation run (make mutate; not part of make test).
#
# Each line of tests/mutate/mutants.txt is one mutant: LAYER, FILE, a sed
# expression and what it breaks, separated by tabs. LAYER is engine, checker,
# replayer (the scenario replayer and its expectations) or trace (the trace
# layer's readers and driver); a line whose
# LAYER starts with '=' is an accepted equivalent mutant (no test can tell
# it from the original) and is listed, not run. For every mutant the script
#   1. applies the sed expression to a copy of FILE (a mutant that changes
#      nothing is an error: the list is stale);
#   2. compiles that copy in place of FILE and links the unit tests and
#      mmsim from objects built once (no -Werror: a mutant may warn);
#   3. runs the fast subset: every shipped scenario against its golden
#      transcript, then the unit tests without the randomized workout,
#      stopping at the first failure. A failure, a crash or a timeout kills
#      the mutant; a mutant that passes everything survives. A mutant that
#      does not compile or link is an error, like one that changes nothing:
#      the compiler, not a test, would have caught it.
# It prints each mutant's fate, then the kill rate per layer, the survivors
# and the equivalent mutants. Exit status 1 when a layer is below 95%.
#
# Usage: sh tests/mutate/mutate.sh [LIST]   (from the top of the tree)
# Environment: CC, NT_SRC (the Windows backend's files mmsim links), JOBS;
# MUTATE_REUSE=1 keeps the objects of the last run whose source is older
# (quicker while writing tests; a header changed since needs a full run).
set -u
LIST=${1:-tests/mutate/mutants.txt}
CC=${CC:-cc}
JOBS=${JOBS:-2}
W=build/mutate
OPT="-O1 -g -std=c11 -D_POSIX_C_SOURCE=200809L -w"
INC="-Isim -Isim/scenario -Isim/cli -Isim/trace -Isim/kd -Int $(pkg-config --cflags libcjson)"
LIBS="$(pkg-config --libs libcjson)"
CRIT="$(pkg-config --cflags --libs criterion)"
[ "${MUTATE_REUSE:-}" = 1 ] || rm -rf "$W"
mkdir -p "$W/obj" "$W/mut" "$W/run"

obj() { echo "$W/obj/$(echo "$1" | tr / _ | sed 's/\.c$/.o/')"; }
# as the Makefile links them: the unit tests and mmsim share the engine, the
# scenario, trace and kd layers, the labs (quiz, grade) and three files of
# sim/cli (lineedit.c without libedit: the fast subset never reads a terminal)
SHARED="sim/cli/args.c sim/cli/step.c sim/cli/lineedit.c"
ENGINE=$(ls sim/*.c sim/scenario/*.c sim/kd/*.c sim/trace/*.c sim/quiz/*.c sim/grade/*.c; echo "$SHARED")
UNIT_ONLY=$(ls tests/test_*.c; echo tests/support.c tests/model.c)
CLI_ONLY=$(ls sim/cli/*.c | grep -v -e 'sim/cli/args.c' -e 'sim/cli/step.c' -e 'sim/cli/lineedit.c'; echo "${NT_SRC:-}")

echo "mutate: building the objects once"
for f in $ENGINE $UNIT_ONLY $CLI_ONLY; do
    [ "${MUTATE_REUSE:-}" = 1 ] && [ "$(obj "$f")" -nt "$f" ] && continue
    # shellcheck disable=SC2086
    $CC $OPT $INC $CRIT -c "$f" -o "$(obj "$f")" || { echo "mutate: $f does not build"; exit 2; }
done

# link the unit tests and mmsim with $1 (a source file) built from $2
link() {
    ofile=$(obj "$1")
    # the original's directory first on the include path, as the original has
    # it (the copy's own directory, searched before it, holds no headers)
    # shellcheck disable=SC2086
    $CC $OPT -I"$(dirname "$1")" $INC $CRIT -c "$2" -o "$W/mut/mutant.o" 2>"$W/mut/cc.err" || return 1
    u=""; c=""
    for f in $ENGINE $UNIT_ONLY; do o=$(obj "$f"); [ "$o" = "$ofile" ] && o="$W/mut/mutant.o"; u="$u $o"; done
    for f in $ENGINE $CLI_ONLY; do o=$(obj "$f"); [ "$o" = "$ofile" ] && o="$W/mut/mutant.o"; c="$c $o"; done
    # shellcheck disable=SC2086
    $CC $u $LIBS $CRIT -o "$W/mut/unit" 2>"$W/mut/cc.err" && $CC $c $LIBS -o "$W/mut/mmsim" 2>"$W/mut/cc.err"
}

# the fast subset: 0 when every test passes (the mutant survives). The
# layer's own suites run first, so most mutants die within seconds.
fast_tests() {
    case "${1:-}" in
    checker) first='+(check|checktouch)/*' ;;
    replayer) first='+(expect|replay|scenario)/*' ;;
    trace) first='trace/*' ;;
    *) first='' ;;
    esac
    if [ -n "$first" ]; then
        timeout 300 "$W/mut/unit" --jobs "$JOBS" --fail-fast --filter "$first" >"$W/run/unit" 2>&1 || return 1
    fi
    for s in scenarios/*.json; do
        g=tests/golden/$(basename "$s" .json).txt
        NO_COLOR=1 timeout 60 "$W/mut/mmsim" run "$s" >"$W/run/out" 2>/dev/null || return 1
        cmp -s "$W/run/out" "$g" || return 1
    done
    timeout 600 "$W/mut/unit" --jobs "$JOBS" --fail-fast --filter '!(random/*)' >"$W/run/unit" 2>&1
}

printf 'mutate: the original must pass the fast subset... '
link sim/machine.c sim/machine.c || { echo "does not link"; exit 2; }
if fast_tests; then echo ok; else echo "it fails: fix the tests first"; tail -5 "$W/run/unit"; exit 2; fi

TAB=$(printf '\t')
cp "$LIST" "$W/list"   # the list as it was: editing it during a run changes nothing
n=0
: >"$W/results"
while IFS="$TAB" read -r layer file expr what; do
    case "$layer" in ''|'#'*) continue ;; esac
    case "$layer" in
    =*) echo "${layer#=}${TAB}equivalent${TAB}$file${TAB}$what" >>"$W/results"; continue ;;
    esac
    n=$((n + 1))
    src="$W/mut/$(basename "$file")"
    sed -e "$expr" "$file" >"$src"
    if cmp -s "$file" "$src"; then
        echo "mutate: mutant $n ($file: $expr) changes nothing: the list is stale"; exit 2
    fi
    if ! link "$file" "$src"; then
        echo "mutate: mutant $n ($file: $expr) does not build: the list is wrong"
        sed -n 1,5p "$W/mut/cc.err"
        exit 2
    fi
    if fast_tests "$layer"; then fate=survived; else fate=killed; fi
    printf '%-8s %-9s %-32s %s\n' "$fate" "$layer" "$file" "$what"
    echo "$layer${TAB}$fate${TAB}$file${TAB}$what${TAB}$expr" >>"$W/results"
done <"$W/list"

echo
status=0
for layer in engine checker replayer trace; do
    total=$(awk -F'\t' -v l="$layer" '$1 == l && $2 != "equivalent"' "$W/results" | wc -l)
    killed=$(awk -F'\t' -v l="$layer" '$1 == l && $2 == "killed"' "$W/results" | wc -l)
    [ "$total" -eq 0 ] && continue
    pct=$((killed * 100 / total))
    printf 'mutate: %-9s %3d of %3d mutants killed (%d%%)\n' "$layer" "$killed" "$total" "$pct"
    [ $((killed * 100)) -lt $((total * 95)) ] && status=1
done
if grep -q "${TAB}survived${TAB}" "$W/results"; then
    echo "survivors:"
    awk -F'\t' '$2 == "survived" { printf "  %s %s: %s\n    %s\n", $1, $3, $4, $5 }' "$W/results"
fi
if grep -q "${TAB}equivalent${TAB}" "$W/results"; then
    echo "accepted equivalent mutants (not counted):"
    awk -F'\t' '$2 == "equivalent" { printf "  %s %s: %s\n", $1, $3, $4 }' "$W/results"
fi
exit $status
