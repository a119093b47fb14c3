# mmsim trace: OSTEP-style runs, the formats, sweeps and the plot, JSON,
# standard input, and refusals (exit 2, FILE:LINE, nothing run).
run() { printf '$ mmsim %s\n' "$*"; "$MMSIM" "$@"; printf '[exit %d]\n' $?; }
t=build/cli-trace
mkdir -p "$t"
run trace -p fifo -C 3 -c tests/cli/belady.txt
run trace -p lru,opt -C 4 tests/cli/belady.txt
run trace -p opt -C 3 -c -v tests/cli/belady.txt
printf '0x1000 R\n0x1ffc W\n0x7ffe0000 r\n0x2000 W\n' >"$t/rw.txt"
run trace -p clock -C 2 -c -v --no-progress "$t/rw.txt"
printf '==7== Lackey\nI  04001000,4\n S 1ffefffff8,16\n L 04001ffe,4\n M 1fff000000,8\n' >"$t/l.trace"
run trace -C 8 -p aging --json "$t/l.trace"
printf '$ printf ... | mmsim trace -p lru -C 2 -\n'
printf '1\n2\n1\n3\n1\n' | "$MMSIM" trace -p lru -C 2 - >"$t/o"; rc=$?; grep FINALSTATS "$t/o"; echo "[exit $rc]"
run trace --sweep 1:6 -p fifo,lru,opt --svg "$t/sweep.svg" tests/cli/belady.txt
/usr/bin/python3 -c "import sys, xml.dom.minidom as d; x = d.parse(sys.argv[1]); print('svg:', len(x.getElementsByTagName('polyline')), 'curves')" "$t/sweep.svg"
run trace --sweep 2:4 -p fifo --json --svg "$t/s2.svg" tests/cli/belady.txt
run trace -p lru -C 2 tests/cli/belady.txt tests/cli/belady.txt --quantum 3
# refusals
printf '1\n2\nthree\n' >"$t/bad.txt"
run trace -C 2 "$t/bad.txt"
run trace -C 2 --format lackey tests/cli/belady.txt
run trace -C 0 tests/cli/belady.txt
run trace -C 3 --frames 10 tests/cli/belady.txt
run trace -C 3 --frames 20 tests/cli/belady.txt
# without a cache: every process's page tables and locked pages, and 2
printf ' L 003ffffc,8\n S 00400000,4\n' >"$t/s.lk"
run trace -f lackey --frames 24 "$t/s.lk" "$t/s.lk" "$t/s.lk" "$t/s.lk" "$t/s.lk" "$t/s.lk"
printf '$ mmsim trace -f lackey --frames 32 (6 x s.lk)\n'
"$MMSIM" trace -f lackey --frames 32 "$t/s.lk" "$t/s.lk" "$t/s.lk" "$t/s.lk" "$t/s.lk" "$t/s.lk" >"$t/o"; rc=$?
grep FINALSTATS "$t/o"; echo "[exit $rc]"
# a path longer than a message holds: its end, the line and the reason
printf '1\nthree\n' >"$t/bad.txt"
long="$t/$(python3 -c "print('./' * 500, end='')")bad.txt"
printf '$ mmsim trace (a 1,000-character path to bad.txt)\n'
"$MMSIM" trace "$long"; echo "[exit $?]"
# the plot's path: checked before the sweep runs; --svg needs --sweep, and
# standard output cannot take both the plot and --json's curve
run trace --svg "$t/x.svg" tests/cli/belady.txt
run trace --sweep 1:3 --svg - --json tests/cli/belady.txt
run trace --sweep 1:3 --svg "" tests/cli/belady.txt
run trace --sweep 1:3 --svg /nonexistent/x.svg tests/cli/belady.txt
run trace --sweep 1:3 --svg "$t" tests/cli/belady.txt
run trace --sweep 1:3 --svg tests/cli/belady.txt/x.svg tests/cli/belady.txt
# three processes that each commit 2 GiB: more than the largest paging file
# holds, so memory holds the rest; the default frame count is enough for it,
# and one frame fewer is refused before anything runs
python3 -c "print(''.join('%d\\n' % ((r << 12) + p) for r in range(126) for p in range(4096)), end='')" >"$t/big.txt"
printf '$ mmsim trace -p fifo big.txt big.txt big.txt\n'
"$MMSIM" trace -p fifo --no-progress "$t/big.txt" "$t/big.txt" "$t/big.txt" >"$t/o"; rc=$?
grep -E '^  policy|FINALSTATS' "$t/o"; echo "[exit $rc]"
run trace -p fifo --frames 502747 "$t/big.txt" "$t/big.txt" "$t/big.txt"
# far too few frames: the message gives the larger of the two minimums
run trace -p fifo -C 2 --frames 1000 "$t/big.txt" "$t/big.txt" "$t/big.txt"
rm -f "$t/big.txt"
# a pipe named as a file (a FIFO, /dev/stdin) is read once and copied aside,
# as standard input is: every run of a sweep reads the copy
rm -f "$t/fifo"; mkfifo "$t/fifo"
cat tests/cli/belady.txt >"$t/fifo" &
printf '$ mmsim trace -p fifo --sweep 3:4 --svg x.svg FIFO\n'
"$MMSIM" trace -p fifo --sweep 3:4 --svg "$t/fifo.svg" "$t/fifo"; echo "[exit $?]"
wait; rm -f "$t/fifo"
printf '$ mmsim trace -p lru -C 2 -c /dev/stdin < belady.txt\n'
"$MMSIM" trace -p lru -C 2 -c /dev/stdin <tests/cli/belady.txt >"$t/o"; rc=$?
tail -n 1 "$t/o"; echo "[exit $rc]"
# -p again adds a policy; one policy twice is refused
run trace -p fifo -p lru -C 3 tests/cli/belady.txt
run trace -p fifo -p fifo tests/cli/belady.txt
run trace -p lur tests/cli/belady.txt
run trace --sweep 4:2 tests/cli/belady.txt
run trace --sweep 1:3 -C 2 tests/cli/belady.txt
run trace -v tests/cli/belady.txt
run trace --tlb 6 tests/cli/belady.txt
run trace --cahce 3 tests/cli/belady.txt
run trace
run trace /no/such/trace
run trace "$t"
run trace - -
# no clock ticks; a policy list with an empty name; standard input closed;
# a plot that cannot be written says why; a 4,096-character line ending in
# CR LF is as long as one ending in LF
run trace --tick 0 -p fifo -C 3 tests/cli/belady.txt
run trace -p fifo, -C 3 tests/cli/belady.txt
printf '$ mmsim trace -p fifo -C 3 - <&-\n'
"$MMSIM" trace -p fifo -C 3 - <&-; echo "[exit $?]"
printf '$ mmsim trace -p fifo -C 3 belady.txt - <&-\n'
"$MMSIM" trace -p fifo -C 3 tests/cli/belady.txt - <&-; echo "[exit $?]"
run trace -p fifo -p "" -C 3 tests/cli/belady.txt
# a plot that cannot be written: nothing on standard output, not the table
run trace --sweep 1:3 --svg /dev/full tests/cli/belady.txt
python3 -c "print('1\r\n' + '0' * 4095 + '2\r\n' + '3\r', end='\n')" >"$t/crlf.txt"
printf '$ mmsim trace -p fifo -C 2 crlf.txt\n'
"$MMSIM" trace -p fifo -C 2 "$t/crlf.txt" | grep FINALSTATS; echo "[exit $?]"
python3 -c "print('1\r\n' + '0' * 4096 + '2\r\n' + '3\r', end='\n')" >"$t/crlf.txt"
run trace -p fifo -C 2 "$t/crlf.txt"
rm -f "$t/crlf.txt"
# --svg -: standard output is the plot alone (well-formed XML), the table
# goes to standard error
printf '$ mmsim trace --sweep 1:4 -p fifo --svg - belady.txt\n'
"$MMSIM" trace --sweep 1:4 -p fifo --svg - tests/cli/belady.txt >"$t/plot.svg" 2>"$t/err"; echo "[exit $?]"
/usr/bin/python3 -c "import sys, xml.dom.minidom as d; x = d.parse(sys.argv[1]); print('stdout:', x.documentElement.tagName, len(x.getElementsByTagName('polyline')), 'curve')" "$t/plot.svg"
sed 's/^/stderr: /' "$t/err"
# a sweep with too few frames says what its largest cache needs, once,
# before any run
run trace --sweep 1:8 --frames 22 tests/cli/belady.txt
# negative values, and values out of range, are refused with the range
run trace -C -1 tests/cli/belady.txt
run trace --tick -5 tests/cli/belady.txt
run trace --sweep 1:4 -j -2 tests/cli/belady.txt
run trace --sweep 1:-3 tests/cli/belady.txt
run trace --quantum 0 tests/cli/belady.txt
# an option that takes one value, given twice, is refused whatever its form
run trace -C 3 -C 4 tests/cli/belady.txt
run trace -f pages -f rw tests/cli/belady.txt
run trace --cache=3 -C3 tests/cli/belady.txt
run trace --sweep 1:2 --svg "$t/a.svg" --svg "$t/b.svg" tests/cli/belady.txt
# one of a kind is said in the singular
run trace -p fifo -C 1 --tlb 1 --tick 1 tests/cli/belady.txt
printf '1\n' >"$t/one.txt"
run trace -p lru -C 1 "$t/one.txt" "$t/one.txt" --quantum 1
# clock shows each page's use bit (the Accessed bit), aging its use bit and age
run trace -p clock -C 3 -c --tick 0 tests/cli/belady.txt
run trace -p aging -C 3 -c --tick 4 tests/cli/belady.txt
# JSON records of -c: the page as the trace names it, the resident pages in
# the policy's order, and for clock the use bits; -v adds nothing to them
printf '0x1000 R\n0x1ffc W\n0x7ffe0000 r\n' >"$t/rw.txt"
run trace -p clock -C 2 -c --json "$t/rw.txt"
run trace -p fifo -C 2 -c -v --json "$t/rw.txt"
# traces of different formats: each named with its own; the peaks of
# several processes came at different times, so their sum is said as one
printf ' L 00400000,4\n S 00401000,4\n' >"$t/two.lk"
run trace -p fifo -C 2 tests/cli/belady.txt "$t/rw.txt" "$t/two.lk"
printf '$ mmsim trace -p fifo -C 2 --json belady.txt rw.txt two.lk (the formats)\n'
"$MMSIM" trace -p fifo -C 2 --json tests/cli/belady.txt "$t/rw.txt" "$t/two.lk" | grep -o '"formats":[^]]*],"format":"[a-z]*"'
run trace --sweep 1:1 -p lru --svg "$t/one.svg" "$t/one.txt"
# the plot never overwrites a trace, by its name or another one
cp tests/cli/belady.txt "$t/b.txt"
run trace --sweep 1:3 --svg "$t/b.txt" "$t/b.txt"
ln -s b.txt "$t/link.svg"
run trace --sweep 1:3 --svg "$t/link.svg" "$t/b.txt"
cmp -s tests/cli/belady.txt "$t/b.txt" && echo "the trace is unchanged"
# a pipe named twice would wait for a writer forever: refused at once
mkfifo "$t/pipe"
run trace -C 3 "$t/pipe" "$t/pipe"
printf '$ printf 1 | mmsim trace -C 3 - /dev/stdin\n'
printf '1\n' | "$MMSIM" trace -C 3 - /dev/stdin; echo "[exit $?]"
# --svg - to a full standard output: no table on standard error, exit 3
printf '$ mmsim trace --sweep 1:4 --svg - belady.txt >/dev/full\n'
"$MMSIM" trace --sweep 1:4 --svg - tests/cli/belady.txt >/dev/full; echo "[exit $?]"
# what each part of a bad --sweep is, and the range of a number
run trace --sweep 1:3:0 tests/cli/belady.txt
run trace --sweep :3 tests/cli/belady.txt
run trace --tlb 3 tests/cli/belady.txt
run trace -C 0 tests/cli/belady.txt
run trace -C 1000001 tests/cli/belady.txt
run trace --svg --sweep --sweep 1:3 tests/cli/belady.txt
printf '$ mmsim trace --sweep 1:2 --svg /dev/stdin - < belady.txt\n'
"$MMSIM" trace --sweep 1:2 --svg /dev/stdin - <tests/cli/belady.txt; echo "[exit $?]"
# the copies go to TMPDIR; one that does not exist is named
printf '$ printf 1 | TMPDIR=/nonexistent mmsim trace -C 2 -\n'
printf '1\n' | TMPDIR=/nonexistent "$MMSIM" trace -C 2 -; echo "[exit $?]"
# a file redirected in is read in place, as when it is named (no copy, so
# TMPDIR is not needed), from where standard input stands: here after the
# first line, which the shell's read took
printf '$ TMPDIR=/nonexistent mmsim trace -p fifo -C 3 -c - < belady.txt\n'
TMPDIR=/nonexistent "$MMSIM" trace -p fifo -C 3 -c - <tests/cli/belady.txt >"$t/o"; rc=$?
"$MMSIM" trace -p fifo -C 3 -c tests/cli/belady.txt >"$t/named"
tail -n 3 "$t/o"; echo "[exit $rc]"
if diff "$t/o" "$t/named" | grep -v '^[<>] trace ' | grep -q '^[<>]'; then echo "NOT the same as naming it"; else echo "the same as naming it, but for the name"; fi
printf '$ { read -r first; mmsim trace -p fifo -C 3 -c -; } < belady.txt\n'
{ read -r first; "$MMSIM" trace -p fifo -C 3 -c -; } <tests/cli/belady.txt >"$t/o"; rc=$?
tail -n +2 tests/cli/belady.txt >"$t/rest.txt"
"$MMSIM" trace -p fifo -C 3 -c "$t/rest.txt" >"$t/named"
grep FINALSTATS "$t/o"; echo "[exit $rc]"
if diff "$t/o" "$t/named" | grep -v '^[<>] trace ' | grep -q '^[<>]'; then echo "NOT the same"; else echo "the same as the file without its first line, but for the name"; fi
# names that are not ASCII: cut between characters, never inside one, and
# valid JSON whatever their bytes (a newline, a control, a stray byte)
long="$t/$(python3 -c "print('\u00e9' * 25, end='')").txt"
odd="$t/$(printf 'new\nline\001\377.txt')"
cp tests/cli/belady.txt "$long"; cp tests/cli/belady.txt "$odd"
printf '$ mmsim trace -C 3 (25 e-acute).txt (the same) (new, line, \\001 and \\377).txt\n'
"$MMSIM" trace -C 3 "$long" "$long" "$odd" | grep -a '^process'
"$MMSIM" trace -C 3 --json "$long" "$long" "$odd" | python3 -c "import json, sys; d = json.load(sys.stdin); print('json:', [p['name'] for p in d['processes']])"
rm -rf "$t"
