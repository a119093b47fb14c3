# Standard output that cannot be written is an error of its own: a full
# disk (/dev/full) or a pipe whose reader has left while SIGPIPE is ignored
# (as under a Python grader) give a one-line message and exit 3, for run,
# run --json, check, step, trace, lists and help. A run stops at the end of
# the step in which its output failed.
full() { printf '$ mmsim %s >/dev/full\n' "$*"; "$MMSIM" "$@" </dev/null >/dev/full; printf '[exit %d]\n' $?; }
full run tests/cli/small.json 2>&1
full run --json tests/cli/small.json 2>&1
full check tests/cli/small.json tests/cli/small.json 2>&1
full step tests/cli/small.json 2>&1
full trace tests/cli/belady.txt 2>&1
full lists 2>&1
full help run 2>&1
# two hundred runs of small.json write about 600 KB, far more than a pipe
# holds: head leaves after 10 bytes and every later write fails
many=""
i=0
while [ $i -lt 200 ]; do many="$many tests/cli/small.json"; i=$((i + 1)); done
( trap '' PIPE; "$MMSIM" run $many 2>"${TMPDIR:-/tmp}/mmsim-pipe.err"; echo $? >"${TMPDIR:-/tmp}/mmsim-pipe.rc" ) | head -c 10 >/dev/null
printf '$ mmsim run small.json x200 | head -c 10 (SIGPIPE ignored)\n'
cat "${TMPDIR:-/tmp}/mmsim-pipe.err"
printf '[exit %s]\n' "$(cat "${TMPDIR:-/tmp}/mmsim-pipe.rc")"
rm -f "${TMPDIR:-/tmp}/mmsim-pipe.err" "${TMPDIR:-/tmp}/mmsim-pipe.rc"
