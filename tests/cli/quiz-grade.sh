# mmsim quiz and mmsim grade: a seeded quiz with its worked answers and its
# blank answers file, an answers file graded with partial credit (human,
# TAP, Gradescope), goals and a lab's checks, and refusals (exit 2, the
# file and line, nothing graded).
run() { printf '$ mmsim %s\n' "$*"; "$MMSIM" "$@"; printf '[exit %d]\n' $?; }
t=build/cli-quiz
mkdir -p "$t"
run quiz -s 7 -n 2 -k translate,policy
run quiz -s 7 -n 2 -k translate,policy -c
run quiz -s 7 -n 2 -k translate,policy --sheet
"$MMSIM" quiz -s 7 -n 2 -k translate,policy -c | sed -n 's/^  \([0-9]*\.[a-z_0-9]*\) = \(.*\)  ([0-9]* points*)$/\1 = \2/p' >"$t/right.txt"
sed 's/^1.pte_pa = .*/1.pte_pa = 0x1/; s/^2.resident = .*/2.resident =/' "$t/right.txt" >"$t/partial.txt"
run grade quiz -s 7 -n 2 -k translate,policy "$t/right.txt"
run grade quiz -s 7 -n 2 -k translate,policy "$t/partial.txt"
run grade quiz -s 7 -n 2 -k translate,policy --format tap "$t/partial.txt"
run grade quiz -s 7 -n 2 -k translate,policy --format gradescope "$t/partial.txt"
printf '{ "goals": [ { "name": "some demand-zero faults", "points": 2, "faults": { "demand-zero": { "min": 1 } } },\n  { "name": "a hard fault", "points": 1, "faults": { "page-file": 1 } } ] }\n' >"$t/goals.json"
run grade scenario --goals "$t/goals.json" scenarios/demand-zero.json
run grade lab tests/labs/cow/checks/checks.json tests/labs/cow/hidden/checks.json
# a part name in capitals is the same part
printf 'seed 7\ncount 2\n1.PDE_PA = 0x0000F2CC\n1.Pte_Pa = 0x0001B68C\n' >"$t/upper.txt"
"$MMSIM" grade quiz -s 7 -n 2 "$t/upper.txt" >"$t/upper.out"; printf '[exit %d]\n' $?
sed -n 2p "$t/upper.out"
# refusals
printf 'seed 7\n1.pde_pa 3\n' >"$t/bad.txt"
run grade quiz -s 7 -n 2 "$t/bad.txt"
printf 'seed 8\n' >"$t/other.txt"
run grade quiz -s 7 -n 2 "$t/other.txt"
# another quiz's answers: only that is said, not its parts against this quiz's questions
printf 'seed 8\ncount 2\n1.pde_pa = 1\n3.x = 2\n' >"$t/other2.txt"
run grade quiz -s 7 -n 2 "$t/other2.txt"
run grade quiz "$t/right.txt"
run quiz -k polcy
run quiz -n 0
run grade lab
run grade frob
# --exam: the questions, the JSON and the sheet hold no seed; the sheet is
# graded with the seed the course kept; the answers cannot be asked for
run quiz -s 987654321987 -n 1 -k decode --exam
"$MMSIM" quiz -s 987654321987 -n 1 -k decode --exam --json | grep -c 987654321987
"$MMSIM" quiz -s 987654321987 -n 1 -k decode --exam --sheet >"$t/exam.txt"; printf '[exit %d]\n' $?
grep -c 987654321987 "$t/exam.txt"
sed 's/^1.form =/1.form = valid/' "$t/exam.txt" >"$t/exam-answered.txt"
"$MMSIM" grade quiz -s 987654321987 "$t/exam-answered.txt" >"$t/exam.out"; printf '[exit %d]\n' $?
tail -n 1 "$t/exam.out"
run quiz -s 987654321987 --exam -c
