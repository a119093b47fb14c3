# The command line: help, version, unknown commands and options, exit statuses.
run() { printf '$ mmsim %s\n' "$*"; "$MMSIM" "$@"; printf '[exit %d]\n' $?; }
run --version
run
run frob
run rnu scenarios/tour.json
run run --jsno scenarios/tour.json
run run
run check
run step
run step a.json b.json
run help check
run help frob
run help --help
run run --help
run step --help
run check /no/such/file.json
# every command's --help: its usage on standard output, nothing on standard
# error, exit 0, and every line within a terminal's 80 columns (so is the
# list of commands, and each 'mmsim help COMMAND')
for c in run check step lists purge compare trace quiz grade; do
    "$MMSIM" $c --help >"$TMPDIR/help.out" 2>"$TMPDIR/help.err"
    printf '%s --help: exit %d, %s; %d bytes on standard error; %d lines over 80 columns\n' "$c" $? \
        "$(head -n 1 "$TMPDIR/help.out")" "$(wc -c <"$TMPDIR/help.err")" \
        "$(awk 'length > 80' "$TMPDIR/help.out" | wc -l)"
done
for c in "" run check step lists purge compare trace quiz grade help; do
    printf 'mmsim help %s: %d lines over 80 columns\n' "$c" "$("$MMSIM" help $c | awk 'length > 80' | wc -l)"
done
# an option's value as the next word, after '=', or (one letter) attached:
# the three forms give the same output
cd "$TMPDIR" || exit 1
printf '1\n2\n3\n1\n2\n4\n1\n' >t.txt
for form in "-p fifo -C 2" "--policy=fifo --cache=2" "-pfifo -C2"; do
    printf '$ mmsim trace %s t.txt: ' "$form"
    "$MMSIM" trace $form t.txt | tail -n 1
done
for form in "-s 7 -n 1 -k decode" "--seed=7 --count=1 --kinds=decode" "-s7 -n1 -kdecode"; do
    printf '$ mmsim quiz %s: ' "$form"
    "$MMSIM" quiz $form | md5sum | cut -c1-8
done
cp "$OLDPWD/tests/cli/small.json" s.json
for form in "--check full --max-ticks 100" "--check=full --max-ticks=100"; do
    printf '$ mmsim run -q %s s.json: ' "$form"
    "$MMSIM" run -q $form s.json; printf '[exit %d]\n' $?
done
# an unknown --name=VALUE is named whole, its name compared for the hint
run run --chek=full s.json
run trace --polcy=fifo t.txt
run quiz --sed=3
# "-" and words after "--" are never split
run trace -p fifo -C 2 -- -C4
# the word after an option that takes a value is its value, whatever it
# looks like: never split as an option of its own
run trace -p fifo --sweep 1:2 --svg -Cx.svg t.txt
ls -- -Cx.svg
# "--name=" with nothing after it is refused whole
run trace --cache= t.txt
# after "--" a word is a file, even one named like an option
printf 'seed 7\ncount 1\nkinds decode\n' >./-a.txt
run grade quiz -s 7 -n 1 -k decode -- -a.txt
