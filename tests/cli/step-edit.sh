# Step mode on a terminal (a pseudo-terminal made by script(1)) edits its
# lines with libedit: Up brings back the last command, Left moves in the
# line, and no escape byte ever reaches a command. Through a pipe, the
# escape sequences of arrow keys are taken out of the line.
out="${TMPDIR:-/tmp}/mmsim-pty.$$"
{ printf 'n\n'; sleep 0.5; printf 'pfn 3\n'; sleep 0.5
  printf '\033[A\n'; sleep 0.5                                  # Up, Enter: pfn 3 again
  printf '\033[A\033[D\033[D\033[D\033[D\033[Dn\n'; sleep 0.5   # Up, Left x5, n: "npfn 3"
  printf 'q\n'; sleep 0.5; } |
  TERM=xterm script -qec "\"$MMSIM\" step --no-color tests/cli/small.json" /dev/null >"$out" 2>&1
printf 'on a terminal: pfn 3 shown %s times\n' "$(grep -a -c 'PFN entry of frame 0x3' "$out")"
grep -a -o "unknown command '[^']*'" "$out"
printf 'commands holding an escape byte: %s\n' "$(grep -a -c "command '[^']*$(printf '\033')" "$out")"
grep -a -o 'small: left at step [0-9]* of [0-9]*' "$out"
rm -f "$out"
printf 'pf\033[Dn\033[C 3\n\033[A\nwalk\033OA 0x10000\nq\n' | "$MMSIM" step tests/cli/small.json |
  grep -a -E '^(PFN entry|walk of|step [0-9]:|unknown)' | cat -v
printf '[exit %d]\n' $?
