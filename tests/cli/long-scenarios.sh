# Long scenarios. A scenario of 64 steps or more is read a step at a time;
# its messages must be those of the same mistakes in a short one, at the
# same places in the file: the bad corpus with 70 notes appended to each
# "steps" array gives each file's message, positions moved only by what
# was inserted before them. Then the limits: a file over 1 GiB is refused
# before it is read, and so is a count of steps over the limit.
d="${TMPDIR:-/tmp}/mmsim-long.$$"
mkdir -p "$d"
/usr/bin/python3 tests/cli/long-scenarios.py tests/bad "$d"
n=0
same=0
for f in "$d"/*.json; do
    b=$(basename "$f")
    n=$((n + 1))
    got=$(cd "$d" && "$MMSIM" check "$b" 2>&1 >/dev/null)
    if [ "$got" = "$(cat "${f%.json}.err")" ]; then
        same=$((same + 1))
    else
        printf 'differs: %s\n%s\n' "$b" "$got" | head -4
    fi
done
if [ "$n" -ge 80 ] && [ "$same" -eq "$n" ]; then
    printf 'long variants of the bad corpus: every message the same\n'
else
    printf '%d of %d long variants give the same message\n' "$same" "$n"
fi
# a file over the limit: sparse, so nothing is written
: >"$d/huge.json"
truncate -s 1073741825 "$d/huge.json"
(cd "$d" && "$MMSIM" check huge.json 2>&1)
printf '[exit %d]\n' $?
rm -rf "$d"
