#!/bin/sh
# labkit.sh - export a lab kit: a student's tree of mmsim in which the
# lab's functions of the engine are replaced by documented stubs.
#
#   sh tests/labs/labkit.sh LAB DEST [stub|reference]
#
# The engine marks each part a lab removes with two comment lines around
# whole functions:
#
#   /* LAB fault: begin resolve_demand_zero */
#   mm_status resolve_demand_zero(...) { ... }
#   /* LAB fault: end resolve_demand_zero */
#
# and tests/labs/LAB/stubs/NAME.c holds what a student gets in its place. In a
# stub kit (the default) every region of LAB becomes its stub, between the
# same two marker lines; in a reference kit (for testing the kit itself) the
# code stays. Markers of other labs are taken out either way. Every region
# must have a stub and every stub a region, or nothing is exported.
#
# The kit holds the sources (sim/, nt/), the docs, the scenarios, the
# handout (docs/labs/LAB.md as README.md), the lab's public checks
# (tests/labs/LAB/checks as grade/) and tests/labs/kit.mk as its Makefile. Never the
# tests, never tests/labs/LAB/hidden (the instructor's checks), never .git.
set -eu

usage() {
    echo "usage: sh tests/labs/labkit.sh LAB DEST [stub|reference]" >&2
    exit 2
}
[ $# -ge 2 ] && [ $# -le 3 ] || usage
lab=$1
dest=$2
mode=${3:-stub}
root=$(cd "$(dirname "$0")/../.." && pwd)
labdir=$root/tests/labs/$lab

case $lab in
    ''|*[!a-z0-9_-]*) echo "labkit: '$lab' is not a lab name (letters, digits, - and _)" >&2; exit 2 ;;
esac
if [ ! -d "$labdir" ] || [ ! -f "$labdir/checks/checks.json" ]; then
    labs=$(cd "$root/tests/labs" && for d in */; do if [ -f "$d/checks/checks.json" ]; then printf '%s ' "${d%/}"; fi; done)
    echo "labkit: no lab '$lab' (labs: $labs)" >&2
    exit 2
fi
case $mode in stub|reference) ;; *) usage ;; esac
[ -f "$root/docs/labs/$lab.md" ] || { echo "labkit: no handout docs/labs/$lab.md" >&2; exit 2; }

# A destination is replaced only when an earlier export made it.
if [ -e "$dest" ]; then
    if [ -f "$dest/.mmsim-labkit" ]; then
        rm -rf "$dest"
    elif [ -d "$dest" ] && [ -z "$(ls -A "$dest")" ]; then
        rmdir "$dest"
    else
        echo "labkit: $dest exists and is not a lab kit; give another DEST or remove it" >&2
        exit 2
    fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- the regions: every marker of every lab, checked ------------------------
# One line per region: FILE LAB NAME (FILE relative to the root). One awk
# reads every source file.
( cd "$root" && find sim -name '*.[ch]' | LC_ALL=C sort ) >"$tmp/sources"
( cd "$root" && awk '
    function fail(msg) { printf "labkit: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1; exit 1 }
    FNR == 1 {
        if (open != "") { printf "labkit: %s:%d: region %s is never closed\n", file, start, open > "/dev/stderr"; bad = 1; exit 1 }
        file = FILENAME
    }
    /^\/\* LAB [a-z0-9_-]+: (begin|end) [A-Za-z0-9_]+ \*\/$/ {
        l = $3; sub(/:$/, "", l); kind = $4; name = $5
        if (kind == "begin") {
            if (open != "") fail("region " open " is still open at a begin")
            open = l " " name; start = FNR
        } else {
            if (open != l " " name) fail("end " l " " name " closes " (open == "" ? "nothing" : open))
            print FILENAME, l, name
            open = ""
        }
        next
    }
    /LAB [a-z0-9_-]+: (begin|end)/ { fail("a marker must be a whole comment line: /* LAB lab: begin name */") }
    END { if (!bad && open != "") { printf "labkit: %s:%d: region %s is never closed\n", file, start, open > "/dev/stderr"; exit 1 } }
' $(cat "$tmp/sources") ) >"$tmp/regions" || exit 1

awk -v lab="$lab" '$2 == lab { print $3 }' "$tmp/regions" | LC_ALL=C sort >"$tmp/names"
if [ ! -s "$tmp/names" ]; then
    echo "labkit: the engine marks no region for lab '$lab'" >&2
    exit 1
fi
dups=$(uniq -d <"$tmp/names")
[ -z "$dups" ] || { echo "labkit: lab $lab marks these regions twice: $dups" >&2; exit 1; }
( cd "$labdir/stubs" && ls ./*.c 2>/dev/null | sed 's|^\./||; s|\.c$||' | LC_ALL=C sort ) >"$tmp/stubs"
missing=$(comm -23 "$tmp/names" "$tmp/stubs")
extra=$(comm -13 "$tmp/names" "$tmp/stubs")
[ -z "$missing" ] || { echo "labkit: no stub tests/labs/$lab/stubs/NAME.c for: $missing" >&2; exit 1; }
[ -z "$extra" ] || { echo "labkit: stubs for regions the engine does not mark: $extra" >&2; exit 1; }

# ---- the tree ------------------------------------------------------------------
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
printf 'lab %s\nkit %s (incomplete)\n' "$lab" "$mode" >"$dest/.mmsim-labkit"   # a failed export may be redone
( cd "$root" && cp -R sim nt docs scenarios "$dest/" )
rm -f "$dest"/nt/*.mk
rm -rf "$dest/docs/labs"
mkdir -p "$dest/grade"
cp -R "$labdir/checks/." "$dest/grade/"
# the handout's links into docs/ ("../pte-formats.md") lead to the kit's docs/
sed 's#](\.\./#](docs/#g' "$root/docs/labs/$lab.md" >"$dest/README.md"
cp "$root/tests/labs/kit.mk" "$dest/Makefile"
cp "$root/LICENSE" "$dest/LICENSE"

# ---- the regions replaced (or kept), other labs' markers taken out -------------------
for f in $(cd "$dest" && grep -l '^/\* LAB [a-z0-9_-]*: begin ' $(cat "$tmp/sources")); do
    awk -v lab="$lab" -v mode="$mode" -v stubs="$labdir/stubs" '
        /^\/\* LAB [a-z0-9_-]+: (begin|end) [A-Za-z0-9_]+ \*\/$/ {
            l = $3; sub(/:$/, "", l)
            if (l != lab) next
            print
            if ($4 == "begin" && mode == "stub") {
                file = stubs "/" $5 ".c"
                while ((getline line < file) > 0) print line
                close(file)
                skipping = 1
            } else if ($4 == "end") {
                skipping = 0
            }
            next
        }
        !skipping { print }
    ' "$dest/$f" >"$tmp/out" && cp "$tmp/out" "$dest/$f"
done

printf 'lab %s\nkit %s\n' "$lab" "$mode" >"$dest/.mmsim-labkit"
n=$(wc -l <"$tmp/names" | tr -d ' ')
echo "labkit: $dest: lab $lab ($mode), $n region(s) of the engine $( [ "$mode" = stub ] && echo 'for you to write' || echo 'as the reference has them')"
