# Step mode's input, byte by byte: a NUL byte refuses its own line and
# never swallows the next command; an over-long line is refused whole; a
# last line without a newline still runs. A scenario whose declared
# processes cannot start is refused with its file named, exit 2, in step
# mode as in run (make asan runs this with LeakSanitizer: nothing leaks).
printf 'n\000x\nn\n' | "$MMSIM" step tests/cli/small.json 2>&1 | sed -n '/^type/,$p'
printf '[exit %d]\n' $?
printf '\000\nq\n' | "$MMSIM" step tests/cli/small.json 2>&1 | tail -n 2
{ head -c 600 /dev/zero | tr '\0' n; printf '\nn\nq'; } | "$MMSIM" step tests/cli/small.json 2>&1 | sed -n '/^type/,$p'
"$MMSIM" step tests/cli/unstartable.json </dev/null 2>&1 >/dev/null
printf '[exit %d]\n' $?
"$MMSIM" run tests/cli/unstartable.json 2>&1 >/dev/null
printf '[exit %d]\n' $?
