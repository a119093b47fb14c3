# mmsim trace --sweep -j N: the cache sizes of a sweep run in N processes
# at once; the table, the JSON and the plot are those of -j 1, and a run
# that fails is reported as -j 1 reports it (the first in order). A trace
# read from standard input runs in turn. -j is checked.
run() { printf '$ mmsim %s\n' "$*"; "$MMSIM" "$@"; printf '[exit %d]\n' $?; }
t=${TMPDIR:-/tmp}
python3 - "$t" <<'PY'
import random, sys
random.seed(7)
for name, pages in (("a.txt", 40), ("b.txt", 90)):
    with open(sys.argv[1] + "/" + name, "w") as f:
        f.write("".join("%d\n" % random.choice(range(pages)) for _ in range(2500)))
PY
same() {   # same NAME ARGS...: the output of -j 1, 2, 3 and 7 alike
    name=$1; shift
    for j in 1 2 3 7; do
        "$MMSIM" trace "$@" -j $j --svg "$t/$j.svg" >"$t/$j.out" 2>&1; echo "[exit $?]" >>"$t/$j.out"
        sed -i "s|$t/$j.svg|PLOT|" "$t/$j.out"
    done
    if cmp -s "$t/1.out" "$t/2.out" && cmp -s "$t/1.out" "$t/3.out" && cmp -s "$t/1.out" "$t/7.out" &&
       cmp -s "$t/1.svg" "$t/2.svg" && cmp -s "$t/1.svg" "$t/3.svg" && cmp -s "$t/1.svg" "$t/7.svg"; then
        echo "$name: -j 1, 2, 3 and 7 give the same output and plot"
    else
        echo "$name: DIFFERENT"; diff "$t/1.out" "$t/2.out" | head -5
    fi
}
same "fifo, lru, opt over a.txt" --sweep 1:30 -p fifo,lru,opt "$t/a.txt"
same "two processes" --sweep 2:40:3 -p lru,clock --quantum 7 "$t/a.txt" "$t/b.txt"
same "json" --sweep 1:9 -p fifo --json "$t/b.txt"
cat "$t/3.out"
# sizes from 16 up need more than 35 frames: the first refused is named
for j in 1 3; do
    run trace --sweep 1:20 --frames 35 -p fifo,lru -j $j --svg "$t/x.svg" "$t/a.txt" 2>&1 | sed "s|$t/||g"
done
printf '$ mmsim trace --sweep 1:3 -j 2 - < belady.txt\n'
"$MMSIM" trace --sweep 1:3 -j 2 --svg "$t/x.svg" - <tests/cli/belady.txt | sed "s|$t/||"
run trace -j 2 tests/cli/belady.txt
run trace --sweep 1:3 -j 0 tests/cli/belady.txt
run trace --sweep 1:3 -j 65 tests/cli/belady.txt
run trace --sweep 1:3 --jobs two tests/cli/belady.txt
