# mmsim grade against hostile goals, checks and answers files: text from a
# file never reaches the terminal raw (an ESC, a BEL, a CR LF that would
# forge a report line are shown as \xHH in the human and TAP forms); an
# instructor's mistake in a checks file is refused when the file is read
# (exit 2, FILE:LINE:COLUMN and the JSON path), never a student's zero;
# an expectation that names nothing, and two goals or tests of one name,
# are refused; messages speak of the file they are about and quote the
# value it holds.
run() { printf '$ mmsim %s\n' "$*"; "$MMSIM" "$@"; printf '[exit %d]\n' $?; }
cp tests/cli/small.json "$TMPDIR/s.json"
cp tests/bad/failing-commit-work.json "$TMPDIR/work.json"
cd "$TMPDIR" || exit 1
printf '{"name":"b","description":"d","machine":{"frames":64,"pagefiles":["256K"]},"processes":[{"name":"p"}],"steps":[{"op":"allocate","process":"p","address":"0x00010000","size":"4K","protect":"PAGE_READWRITE"},{"op":"write","process":"p","address":"0x00010000","value":"0x12345678"},{"op":"terminate","process":"p"}]}\n' >base.json
printf '1\n2\n3\n1\n' >t.txt

echo '## 1. control characters from the files are escaped'
printf '{"title":"T\\u001b]0;pwned\\u0007","goals":[{"name":"n\\u001b[31m\\r\\nok 99 fake","points":5,"faults":{"process":"p","demand-zero":1}}]}\n' >g_ctl.json
run grade scenario --goals g_ctl.json base.json
run grade scenario --format tap --goals g_ctl.json base.json
printf '{"title":"t","goals":[{"name":"a #b\\u0007","points":5,"faults":{"process":"zz\\u001b[2J","demand-zero":1}}]}\n' >g_ctl2.json
run grade scenario --goals g_ctl2.json base.json
# a scenario beyond the work budget is refused as mmsim run refuses it, not half graded
run grade scenario --goals g_ctl2.json work.json
run grade scenario --format tap --goals g_ctl2.json base.json
printf '{"title":"t","goals":[{"name":"a","points":5,"faults":{"demand\\u001b[2J":1}}]}\n' >g_key.json
run grade scenario --goals g_key.json base.json
printf '{"lab":"x","title":"t\\u001b[1m","tests":[{"name":"a\\u001b[2J\\r\\nb","points":10,"traces":[{"files":["t.txt"],"cache":2,"expect":{"misses":4}}]}]}\n' >c_name.json
run grade lab c_name.json
run grade lab --format tap c_name.json

echo '## 2. a checks file that cannot grade is refused when it is read'
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt"],"policy":"fifo","cache":4,"frames":16,"expect":{"misses":3}}]}]}\n' >c_frames.json
run grade lab c_frames.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt","t.txt","t.txt","t.txt","t.txt","t.txt"],"policy":"fifo","frames":20,"expect":{"misses":3}}]}]}\n' >c_frames_nocache.json
run grade lab c_frames_nocache.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt"],"cache":2,"expect":{}}]}]}\n' >c_empty.json
run grade lab c_empty.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt"],"cache":2,"expect":{"faults":{}}}]}]}\n' >c_empty_faults.json
run grade lab c_empty_faults.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"walks":[{"scenario":"s.json","process":"a","address":"0x10000","expect":{}}]}]}\n' >c_walk_empty.json
run grade lab c_walk_empty.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"walks":[{"scenario":"base.json","process":"p","address":"0x10000","expect":{"valid":true}}]}]}\n' >c_walk_gone.json
run grade lab c_walk_gone.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"sections":[{"pages":1,"protection":"PAGE_READWRITE","views":{"A":"PAGE_READWRITE"},"steps":[{"process":"A","page":0,"access":"read"}],"expect":{}}]}]}\n' >c_sec_empty.json
run grade lab c_sec_empty.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"sections":[{"pages":1,"protection":"PAGE_READWRITE","views":{"A":"PAGE_READWRITE"},"steps":[{"unmap":"A"},{"process":"A","page":0,"access":"read"}]}]}]}\n' >c_sec_unmapped.json
run grade lab c_sec_unmapped.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"sections":[{"pages":1,"protection":"PAGE_READONLY","views":{"A":"PAGE_READWRITE"},"steps":[{"process":"A","page":0,"access":"read"}]}]}]}\n' >c_sec_prot.json
run grade lab c_sec_prot.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"sections":[{"pages":1,"protection":"PAGE_EXECUTE","views":{"A":"PAGE_READONLY"},"steps":[{"process":"A","page":0,"access":"read"}]}]}]}\n' >c_sec_prot2.json
run grade lab c_sec_prot2.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"sections":[{"pages":1,"protection":"PAGE_READWRITE","views":{"A":"PAGE_READONLY|PAGE_GUARD"},"steps":[{"process":"A","page":0,"access":"read"}]}]}]}\n' >c_sec_prot3.json
run grade lab c_sec_prot3.json
printf '{"title":"t","goals":[{"name":"a","points":5,"counters":{}}]}\n' >g_empty_counters.json
run grade scenario --goals g_empty_counters.json base.json
printf '{"title":"t","goals":[{"name":"a","points":5,"working_set":{"process":"p"}}]}\n' >g_empty_ws.json
run grade scenario --goals g_empty_ws.json base.json

echo '## 3. messages name the file kind, the value written and the field'"'"'s own range'
printf '{"title":"t","goals":[{"name":"a\351","points":5}]}\n' >g_utf8.json
run grade scenario --goals g_utf8.json base.json
printf '{"title":"t",\0"goals":[]}\n' >g_nul.json
run grade scenario --goals g_nul.json base.json
printf '{"title":"t","goals":[{"name":"a","points":5.,"faults":{"demand-zero":1}}]}\n' >g_dot.json
run grade scenario --goals g_dot.json base.json
printf '{"title":"t","goals":[{"name":"a","points":007}]}\n' >g_zero.json
run grade scenario --goals g_zero.json base.json
printf '{"title":"t","goals":[{"name":"a","points":0x5}]}\n' >g_hex.json
run grade scenario --goals g_hex.json base.json
printf '{"title":"t","goals":[{"name":"a","points":5,},]}\n' >g_comma.json
run grade scenario --goals g_comma.json base.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt"],"cache":2,"expect":{"misses":1e}}]}]}\n' >c_syntax.json
run grade lab c_syntax.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt"],"cache":2,"expect":{"misses":-1}}]}]}\n' >c_neg.json
run grade lab c_neg.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt"],"cache":2,"expect":{"hits":{"min":1,"max":99}}}]}]}\n' >c_over.json
run grade lab c_over.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt"],"cache":2,"tlb":3,"expect":{"misses":4}}]}]}\n' >c_tlb.json
run grade lab c_tlb.json
printf '{"title":"t","goals":[{"name":"a","points":5,"lists":{"zeroed":-1}}]}\n' >g_neg.json
run grade scenario --goals g_neg.json base.json
printf '{"title":"t","goals":[{"name":"a","points":5,"lists":{"free":2000000}}]}\n' >g_over.json
run grade scenario --goals g_over.json base.json

echo '## 4. answers: a number too large says so'
printf 'seed 7\ncount 2\nkinds translate,policy\n1.pde_pa = 99999999999999999999999\n1.pte_pa = 0x100000000\n' >a_huge.txt
run grade quiz -s 7 a_huge.txt
printf 'seed 7\ncount 2\nkinds translate,policy\n1.pde_pa = -1\n' >a_neg.txt
run grade quiz -s 7 a_neg.txt
printf 'seed 7\ncount 2\n99999999999999999999.pde_pa = 1\n' >a_qnum.txt
run grade quiz -s 7 a_qnum.txt

echo '## 5. two goals, tests or views of one name'
printf '{"title":"t","goals":[{"name":"g","points":1,"operations":3},{"name":"g","points":1,"operations":2}]}\n' >g_dup.json
run grade scenario --goals g_dup.json base.json
printf '{"lab":"x","tests":[{"name":"a","points":1,"traces":[{"files":["t.txt"],"cache":2,"expect":{"misses":3}}]},{"name":"a","points":1,"traces":[{"files":["t.txt"],"cache":2,"expect":{"misses":3}}]}]}\n' >c_dup.json
run grade lab c_dup.json
printf '{"lab":"x","tests":[{"name":"a","points":1,"traces":[{"files":["t.txt"],"cache":2,"expect":{"misses":3}}]}]}\n' >c_dup2.json
run grade lab c_dup2.json c_dup2.json
printf '{"lab":"x","tests":[{"name":"a","points":10,"sections":[{"pages":1,"protection":"PAGE_READWRITE","views":{"A":"PAGE_READWRITE","A":"PAGE_READONLY"},"steps":[{"process":"A","page":0,"access":"read"}]}]}]}\n' >c_dup_views.json
run grade lab c_dup_views.json
printf '{"lab":"x\377","tests":[]}\n' >c_utf8.json
run grade lab c_utf8.json

echo '## a trace case takes the defaults of mmsim trace: what it prints is what the case expects'
python3 -c "
import random
r = random.Random(1)
print(''.join('%d\n' % r.randrange(3000) for _ in range(50000)), end='')" >long.txt
"$MMSIM" trace -p clock -C 100 long.txt >long.out
misses=$(sed -n 's/^FINALSTATS hits [0-9]* *misses \([0-9]*\).*/\1/p' long.out)
written=$(sed -n 's/^ *paging file *\([0-9]*\) pages written.*/\1/p' long.out)
"$MMSIM" trace -p clock -C 100 --tick 0 long.txt >long0.out
printf 'never ticking changes the figures: %s\n' "$(cmp -s long.out long0.out && echo no || echo yes)"
printf '{"lab":"x","tests":[{"name":"defaults","points":10,"traces":[{"files":["long.txt"],"policy":"clock","cache":100,"expect":{"misses":%s,"pages_written":%s}}]}]}\n' \
    "$misses" "$written" >c_defaults.json
"$MMSIM" grade lab c_defaults.json >grade.out; printf '[exit %d]\n' $?
grep -E '^defaults|^Score' grade.out

echo '## standard input is not a lab file: refused when the checks file is read'
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["-"],"cache":2,"expect":{"misses":2}}]}]}\n' >c_stdin.json
printf '1\n2\n' | "$MMSIM" grade lab c_stdin.json; printf '[exit %d]\n' $?

echo '## a results file that cannot be written: refused before any test runs'
run grade lab --results /nonexistent/r.json c_defaults.json
run grade lab --results . c_defaults.json
run grade lab --results "" c_defaults.json

echo '## a directory given as a file, and a report that cannot be written (one message)'
run grade quiz -s 1234 .
run grade lab .
printf '$ mmsim grade lab c_defaults.json >/dev/full\n'
"$MMSIM" grade lab c_defaults.json >/dev/full; printf '[exit %d]\n' $?

echo '## a number too large for a double'
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["t.txt"],"cache":2,"expect":{"misses":1e400}}]}]}\n' >c_inf.json
run grade lab c_inf.json

echo '## traces that commit more than memory and the paging file can hold: blamed on the files'
python3 -c "print(''.join('%d\n' % ((r << 12) + p) for r in range(126) for p in range(4096)), end='')" >big.txt
printf '{"lab":"x","tests":[{"name":"a","points":10,"traces":[{"files":["big.txt","big.txt","big.txt","big.txt","big.txt"],"policy":"fifo","expect":{"misses":{"min":0}}}]}]}\n' >c_big.json
run grade lab c_big.json
rm -f big.txt

echo '## a submission that cannot be graded still gets a results.json when one is asked for:'
echo '## no points, the reason as its output (and no results.json of an earlier run left behind)'
printf 'stale\n' >r.json
run grade quiz -s 1234 -n 2 -k translate --results r.json missing.txt
cat r.json
printf 'seed 99\ncount 2\nkinds translate\n1.pde_pa = 0x32C\n' >other.txt
run grade quiz -s 1234 -n 2 -k translate --format gradescope other.txt
printf '{"name":"x"}\n' >noscenario.json
printf '{"goals":[{"name":"dz","points":2,"faults":{"demand-zero":{"min":1}}}]}\n' >g_dz.json
run grade scenario --goals g_dz.json --results r.json noscenario.json
cat r.json
# without --results or gradescope, the messages alone, as before
run grade scenario --goals g_dz.json noscenario.json
