#!/bin/sh
# check_docs.sh - every C symbol the docs cite must still exist in the code.
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
exit 0
