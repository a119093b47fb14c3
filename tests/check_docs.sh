#!/bin/sh
# check_docs.sh - every C symbol the docs cite must still exist in the code,
# and the pages hold together (links, "Next:" lines, the scenario catalogue:
# see the end).
#
# Run by make test; it works from any directory. For each docs/*.md and docs/labs/*.md,
# take the inline code spans outside fenced code blocks and keep those that
# look like a citation of a C symbol:
#   - a lower-case identifier with an underscore, optionally followed by
#     "()": `pfn_insert`, `mm_check()`, `share_count`;
#   - `struct NAME`.
# Each must occur as a whole word in some C file under sim/, tests/, nt/ or viz/ (for a struct:
# "struct NAME"). A missing one is reported with the page that cites it and
# the script exits 1.

set -u

# Work from the repository root, whatever the caller's directory.
cd "$(dirname "$0")/.." || exit 1

docs_dir=docs
src_dir=sim
src_dirs=""
for d in sim tests nt viz; do
    [ -d "$d" ] && src_dirs="$src_dirs $d"
done

tab=$(printf '\t')

# One line per citation: "page<TAB>kind<TAB>name", kind w (word) or s (struct).
cites=""
pages=0
for page in "$docs_dir"/*.md "$docs_dir"/labs/*.md; do
    [ -f "$page" ] || continue
    pages=$((pages + 1))
    found=$(awk -v page="$page" '
        # A fence is ``` or ~~~ after at most three spaces; the same kind of
        # fence closes it.
        {
            match($0, /^ */)
            mark = RLENGTH <= 3 ? substr($0, RLENGTH + 1, 3) : ""
            if (mark == "```" || mark == "~~~") {
                if (!fence) { fence = mark; next }
                if (mark == fence) { fence = ""; next }
            }
            if (fence) next
            n = split($0, part, "`")
            # code spans are the even-numbered pieces that have a closing tick
            for (i = 2; i < n; i += 2) {
                t = part[i]
                if (t ~ /^[a-z_][a-z0-9_]*(\(\))?$/ && index(t, "_") > 0) {
                    sub(/\(\)$/, "", t)
                    print page "\tw\t" t
                } else if (t ~ /^struct +[A-Za-z_][A-Za-z0-9_]*$/) {
                    sub(/^struct +/, "", t)
                    print page "\ts\t" t
                }
            }
        }' "$page") || exit 1
    if [ -n "$found" ]; then
        cites="$cites$found
"
    fi
done

# Check each distinct symbol once; print the missing ones as "kind<TAB>name".
symbols=$(printf '%s' "$cites" | cut -f2,3 | sort -u)
missing=$(printf '%s\n' "$symbols" | while IFS="$tab" read -r kind name; do
    [ -n "$name" ] || continue
    if [ "$kind" = s ]; then
        grep -rqE --include='*.[ch]' "struct[[:space:]]+$name([^A-Za-z0-9_]|\$)" $src_dirs || printf '%s\t%s\n' "$kind" "$name"
    else
        grep -rqw --include='*.[ch]' -- "$name" $src_dirs || printf '%s\t%s\n' "$kind" "$name"
    fi
done)

if [ -n "$missing" ]; then
    printf '%s\n' "$missing" | while IFS="$tab" read -r kind name; do
        if [ "$kind" = s ]; then shown="struct $name"; else shown="$name"; fi
        printf '%s' "$cites" | awk -F "$tab" -v k="$kind" -v n="$name" '$2 == k && $3 == n { print $1 }' |
            sort -u | while read -r page; do
                echo "check-docs: $page cites \`$shown\`, which is not in the code ($src_dirs )"
            done
    done
    exit 1
fi

count=$(printf '%s\n' "$symbols" | grep -c .)
echo "check-docs: $count symbols cited in $pages pages, all found"

# The pages as a reader walks them: every relative link leads to a file
# that exists; every page is linked from the README or another page, and
# ends its reading with a "Next:" line that links onward; every shipped
# scenario has its row in the catalogue, docs/scenarios.md.
bad=0
links() {   # the relative link targets of a page, one a line, without #anchor
    grep -o '\]([^)]*)' "$1" | sed -e 's/^](//' -e 's/)$//' -e 's/#.*//' -e 's/ .*//' |
        grep -v -e '^$' -e '^[a-z]*:' || true
}
nlinks=0
for page in README.md "$docs_dir"/*.md; do
    dir=$(dirname "$page")
    for target in $(links "$page"); do
        nlinks=$((nlinks + 1))
        if [ ! -e "$dir/$target" ]; then
            echo "check-docs: $page links to $target, which does not exist"
            bad=1
        fi
    done
done
npages=0
for page in "$docs_dir"/*.md; do
    npages=$((npages + 1))
    name=$(basename "$page")
    linked=no
    for from in README.md "$docs_dir"/*.md; do
        [ "$from" = "$page" ] && continue
        dir=$(dirname "$from")
        for target in $(links "$from"); do
            case "$dir/$target" in
            "$page" | "./$page" | "$docs_dir/../$page" | "$docs_dir/./$name") linked=yes; break 2 ;;
            esac
        done
    done
    if [ "$linked" = no ]; then
        echo "check-docs: $page is linked from no other page and not from README.md: link it where a reader would look for it"
        bad=1
    fi
    # the paragraph that starts with "Next:" must hold a link
    if ! awk '/^(\*\*)?Next:/ { p = 1 } /^$/ { p = 0 } p && /\]\(/ { found = 1 } END { exit !found }' "$page"; then
        echo "check-docs: $page has no 'Next:' line linking to where a reader goes after it"
        bad=1
    fi
done
nscenarios=0
for f in scenarios/*.json; do
    [ -f "$f" ] || continue
    nscenarios=$((nscenarios + 1))
    if ! grep -q "](../$f)" "$docs_dir/scenarios.md"; then
        echo "check-docs: $f is not in the catalogue: give it a row in $docs_dir/scenarios.md, in the part where it belongs"
        bad=1
    fi
done
# Numbers the pages state about the tree, kept true here.
kept=$(find tests/fuzz/regressions -type f ! -name .keep | grep -c .)
said=$(sed -n 's/.*The \([0-9][0-9]*\) inputs kept there.*/\1/p' "$docs_dir/testing.md")
if [ "$said" != "$kept" ]; then
    echo "check-docs: $docs_dir/testing.md says ${said:-no number of} fuzz regression inputs are kept; tests/fuzz/regressions holds $kept"
    bad=1
fi
[ "$bad" = 0 ] || exit 1
echo "check-docs: $nlinks links all lead somewhere; $npages pages of $docs_dir linked and each says where next; $nscenarios scenarios in the catalogue"
exit 0
