# mmsim trace --sweep -j N: the cache sizes of a sweep run in N processes
# at once (and so do several policies' runs without -c, below); the
# table, the JSON and the plot are those of -j 1, and a run
# that fails is reported as -j 1 reports it (the first in order). The
# traces are longer than the buffer a run reads its copy of the page
# numbers into (16,384), so the processes read it at their own offsets
# many times. The same holds when mmsim starts with SIGCHLD ignored, or
# with standard error closed (mmsim holds descriptor 2 with /dev/null, so
# no trace or copy takes it), or when one of its processes is killed;
# with standard output closed too it exits 3 and leaves the traces and
# its copies alone. An rw trace has a copy too (of its pages and which
# references store), and so does one read from a pipe. -j is checked.
run() { printf '$ mmsim %s\n' "$*"; "$MMSIM" "$@"; printf '[exit %d]\n' $?; }
t=${TMPDIR:-/tmp}
python3 - "$t" <<'PY'
import random, sys
random.seed(7)
for name, pages in (("a.txt", 40), ("b.txt", 90)):
    with open(sys.argv[1] + "/" + name, "w") as f:
        f.write("".join("%d\n" % random.choice(range(pages)) for _ in range(40000)))
with open(sys.argv[1] + "/rw.txt", "w") as f:   # loads and stores: its copy says which
    f.write("".join("%x %s\n" % (random.randrange(60) << 12 | random.randrange(4096), random.choice("RRRW"))
                    for _ in range(40000)))
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
same "fifo, lru, opt over a.txt" --sweep 1:12 -p fifo,lru,opt "$t/a.txt"
same "two processes" --sweep 2:40:6 -p lru,clock --quantum 7000 "$t/a.txt" "$t/b.txt"
same "an rw trace" --sweep 2:30:4 -p fifo,clock "$t/rw.txt"
same "json" --sweep 1:9 -p fifo --json "$t/b.txt"
# several policies without -c: their runs go to several processes too, and
# the summaries come out in order as with -j 1, text or JSON, one trace or
# two, from a file or a pipe; a run refused is said as -j 1 says it
policies() {   # policies NAME ARGS...: the output of -j 1, 2, 3 and 7 alike
    name=$1; shift
    for j in 1 2 3 7; do
        "$MMSIM" trace "$@" -j $j >"$t/policies$j.out" 2>&1; echo "[exit $?]" >>"$t/policies$j.out"
    done
    if cmp -s "$t/policies1.out" "$t/policies2.out" && cmp -s "$t/policies1.out" "$t/policies3.out" &&
       cmp -s "$t/policies1.out" "$t/policies7.out"; then
        echo "$name: -j 1, 2, 3 and 7 give the same output ($(wc -l <"$t/policies1.out") lines," \
             "$(grep -c '^FINALSTATS\|"policy"' "$t/policies1.out") summaries, $(tail -1 "$t/policies1.out"))"
    else
        echo "$name: DIFFERENT"; diff "$t/policies1.out" "$t/policies2.out" | head -5
    fi
}
policies "five policies over a.txt" -p fifo,lru,clock,aging,opt -C 7 "$t/a.txt"
policies "two processes" -p lru,clock,fifo -C 12 --quantum 7000 "$t/a.txt" "$t/b.txt"
policies "an rw trace, JSON" -p fifo,clock,lru --json -C 9 "$t/rw.txt"
policies "too few frames" -p fifo,lru,opt -C 20 --frames 35 "$t/a.txt"
for j in 1 3; do   # and from a pipe
    cat "$t/rw.txt" | "$MMSIM" trace -p fifo,lru,clock -C 9 -j $j - >"$t/p$j.out" 2>&1
done
if cmp -s "$t/p1.out" "$t/p3.out"; then
    echo "three policies over a pipe: -j 1 and 3 give the same output"
else
    echo "three policies over a pipe: DIFFERENT"; diff "$t/p1.out" "$t/p3.out" | head -5
fi
for j in 1 3; do   # a pipe's references are copied aside too: its sweep goes to several processes
    cat "$t/rw.txt" | "$MMSIM" trace --sweep 2:30:4 -p fifo,clock -j $j --svg "$t/p$j.svg" - >"$t/p$j.out" 2>&1
    sed -i "s|$t/p$j.svg|PLOT|" "$t/p$j.out"
done
if cmp -s "$t/p1.out" "$t/p3.out" && cmp -s "$t/p1.svg" "$t/p3.svg"; then
    echo "an rw trace from a pipe: -j 1 and 3 give the same output and plot"
else
    echo "an rw trace from a pipe: DIFFERENT"; diff "$t/p1.out" "$t/p3.out" | head -5
fi
sed "s|$t/||g" "$t/3.out"
"$MMSIM" trace --sweep 1:8 -p fifo,lru -j 1 --svg "$t/x.svg" "$t/b.txt" >"$t/in-turn.out"
python3 -c 'import os, signal, sys; signal.signal(signal.SIGCHLD, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])' \
    "$MMSIM" trace --sweep 1:8 -p fifo,lru -j 2 --svg "$t/x.svg" "$t/b.txt" >"$t/ignored.out"
echo "SIGCHLD ignored: exit $?, $(cmp -s "$t/in-turn.out" "$t/ignored.out" && echo the same output || echo DIFFERENT)"
"$MMSIM" trace --sweep 1:8 -p fifo,lru -j 2 --svg "$t/x.svg" "$t/b.txt" <&- 2>&- >"$t/closed.out"
echo "standard input and error closed: exit $?, $(cmp -s "$t/in-turn.out" "$t/closed.out" && echo the same output || echo DIFFERENT)"
cp "$t/b.txt" "$t/b.before"
"$MMSIM" trace --sweep 1:8 -p fifo,lru -j 2 --svg "$t/x.svg" "$t/b.txt" <&- >&- 2>&-
echo "standard input, output and error closed: exit $?, the trace $(cmp -s "$t/b.txt" "$t/b.before" && echo unchanged || echo CHANGED)"
# a process of the sweep killed (SIGKILL) while it runs: its runs are run
# again by the first, and the output, the plot and the exit are -j 1's
python3 - "$t/long.txt" <<'PY'
import random, sys
random.seed(11)
with open(sys.argv[1], "w") as f:
    f.write("".join("%d\n" % random.randrange(300) for _ in range(300000)))
PY
"$MMSIM" trace --sweep 1:24 -p fifo,lru -j 1 --svg "$t/k1.svg" "$t/long.txt" >"$t/k1.out" 2>&1; echo "[exit $?]" >>"$t/k1.out"
python3 - "$MMSIM" "$t" <<'PY' >"$t/k2.out" 2>&1
import os, signal, subprocess, sys, time
mmsim, t = sys.argv[1], sys.argv[2]
p = subprocess.Popen([mmsim, "trace", "--sweep", "1:24", "-p", "fifo,lru", "-j", "2", "--svg", t + "/k2.svg",
                      t + "/long.txt"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
def children(pid):
    found = []
    for d in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if d.isdigit() and int(fields[1]) == pid:
                found.append(int(d))
        except (OSError, IndexError, ValueError):
            pass
    return found
end = time.time() + 20
while p.poll() is None and time.time() < end:
    kids = children(p.pid)
    if kids:
        time.sleep(0.05)   # well into its runs
        os.kill(kids[0], signal.SIGKILL)
        break
    time.sleep(0.001)
out = p.communicate()[0].decode().replace(t + "/k2.svg", t + "/k1.svg")
sys.stdout.write(out + "[exit %d]\n" % p.returncode)
PY
echo "a sweep process killed: $(cmp -s "$t/k1.out" "$t/k2.out" && cmp -s "$t/k1.svg" "$t/k2.svg" && echo the same output and plot as -j 1 || echo DIFFERENT)"
# sizes from 16 up need more than 35 frames: the sweep is refused before
# any run, with what its largest cache needs, with -j 3 as with -j 1
for j in 1 3; do
    run trace --sweep 1:20 --frames 35 -p fifo,lru -j $j --svg "$t/x.svg" "$t/a.txt" 2>&1 | sed "s|$t/||g"
done
printf '$ mmsim trace --sweep 1:3 -j 2 - < belady.txt\n'
"$MMSIM" trace --sweep 1:3 -j 2 --svg "$t/x.svg" - <tests/cli/belady.txt | sed "s|$t/||"
run trace -j 2 tests/cli/belady.txt
run trace -j 2 -p fifo,lru -c tests/cli/belady.txt
run trace --sweep 1:3 -j 0 tests/cli/belady.txt
run trace --sweep 1:3 -j 65 tests/cli/belady.txt
run trace --sweep 1:3 --jobs two tests/cli/belady.txt
