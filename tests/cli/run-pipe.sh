# A scenario read from a pipe is read once: alone, or after another file,
# run validates it and runs it without reading it again.
cat tests/cli/small.json | "$MMSIM" run -q /dev/stdin
printf '[exit %d]\n' $?
cat tests/cli/small.json | "$MMSIM" run -q tests/cli/small.json /dev/stdin
printf '[exit %d]\n' $?
cat tests/cli/small.json | "$MMSIM" check /dev/stdin
printf '[exit %d]\n' $?
