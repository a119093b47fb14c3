# A scenario read from a pipe is read once: alone, or after another file,
# run validates it and runs it without reading it again.
cat tests/cli/small.json | "$MMSIM" run -q /dev/stdin
printf '[exit %d]\n' $?
cat tests/cli/small.json | "$MMSIM" run -q tests/cli/small.json /dev/stdin
printf '[exit %d]\n' $?
cat tests/cli/small.json | "$MMSIM" check /dev/stdin
printf '[exit %d]\n' $?
# '-' is standard input too, at most once; a file that cannot be opened
# says why; step reads its commands there, so it refuses '-'
cat tests/cli/small.json | "$MMSIM" run -q -
printf '[exit %d]\n' $?
cat tests/cli/small.json | "$MMSIM" run -q tests/cli/small.json - tests/cli/small.json
printf '[exit %d]\n' $?
printf '{"name": "x"' | "$MMSIM" check -
printf '[exit %d]\n' $?
cat tests/cli/small.json | "$MMSIM" check - -
printf '[exit %d]\n' $?
"$MMSIM" run tests/cli/no-such-file.json
printf '[exit %d]\n' $?
"$MMSIM" step - </dev/null
printf '[exit %d]\n' $?
# a file named '-' in the current directory changes nothing: '-' is
# standard input, read once
d=$(mktemp -d) && echo '{}' >"$d/-" && here=$(pwd) && cd "$d" &&
    "$MMSIM" run -q "$here/tests/cli/small.json" - <"$here/tests/cli/small.json"; printf '[exit %d]\n' $?
cd "$here" && rm -rf "$d"
