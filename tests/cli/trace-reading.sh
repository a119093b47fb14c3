# The first pass's progress line on a terminal (a pseudo-terminal made by
# script(1)): a pipe that is slow to give its references is named with
# what it has given so far once a second has gone by, and the line is
# erased before anything else is written (then the runs' bar, since a
# second has gone by). --no-progress, and a terminal too narrow for the
# line, show none.
out="${TMPDIR:-/tmp}/mmsim-reading.$$"
slow='{ seq 1 65000; sleep 2.5; seq 1 1000; }'   # the line is told at 65,536 references
show() {   # show WHAT: the lines drawn, one each, and how the output ends
    printf '%s: ' "$1"
    tr '\r' '\n' <"$out" | grep -a -c '^reading' | tr -d '\n'
    printf ' reading lines'
    tr '\r' '\n' <"$out" | grep -a '^reading' | sort -u | sed 's/^/, /' | tr -d '\n'
    if tr '\r' '\n' <"$out" | grep -a -q '^\['; then printf ', a bar'; fi
    # erased: the last line drawn is followed by blanks over it and a carriage return
    if [ "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" = '\r' ]; then printf ', erased'; fi
    printf '\n'
}
TERM=xterm script -qec "sh -c '$slow | \"$MMSIM\" trace -p fifo -C 100 - >/dev/null'" /dev/null >"$out" 2>&1
show "a slow pipe"
TERM=xterm script -qec "sh -c '$slow | \"$MMSIM\" trace -p fifo -C 100 --no-progress - >/dev/null'" /dev/null >"$out" 2>&1
show "--no-progress"
TERM=xterm script -qec "sh -c 'stty cols 30; $slow | \"$MMSIM\" trace -p fifo -C 100 - >/dev/null'" /dev/null >"$out" 2>&1
show "30 columns"
rm -f "$out"
