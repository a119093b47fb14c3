#!/bin/sh
# tests/viz/run.sh MMVIZ BUILDDIR - the visualizer's tests (make viz-test).
#
#   1. pixel tests of headless renders against the engine (test_viz)
#   2. the command line: bad arguments (sizes that overflow or carry junk,
#      a --frame beyond the machine, a theme, narration start or scroll
#      that is not one, a font that is missing or no font),
#      bad scenarios and bad scripts exit 2 with an exact message;
#      --headless writes a PNG of the asked size
#   3. a real window under Xvfb driven by tests/viz/window.script (keys,
#      clicks, typed VA, debugger commands, help, scrolling the narration,
#      screenshots), its screenshot checked frame by
#      frame; a script whose check is wrong must make mmviz fail
#   4. test_viz, headless renders of every scenario and the window script
#      under ASan/UBSan
# Prints 'viz: N passed, M failed'; exits 1 on any failure.

if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
    echo "usage: sh tests/viz/run.sh MMVIZ BUILDDIR (make viz-test runs it)" >&2
    exit 2
fi
ROOT=$(pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }
MMVIZ=$(abs "$1")
B=$(abs "$2")
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
W=$B/run
rm -rf "$W"
mkdir -p "$W"

# 1. pixel tests: count test_viz's own lines
"$B/test_viz" >"$W/test_viz.out" 2>&1
cat "$W/test_viz.out"
n=$(grep -c '^ok - ' "$W/test_viz.out"); pass=$((pass + n))
n=$(grep -c '^FAIL - ' "$W/test_viz.out"); fail=$((fail + n))
grep -q '^test_viz: [0-9]* passed, 0 failed' "$W/test_viz.out" || bad "test_viz did not finish cleanly"

# 2. the command line
expect_exit() {   # name, wanted status, wanted text in stderr, command...
  name=$1; want=$2; text=$3; shift 3
  "$@" >"$W/out" 2>"$W/err"; rc=$?
  if [ $rc -eq "$want" ] && grep -q -- "$text" "$W/err"; then ok "$name"
  else bad "$name (exit $rc, stderr: $(head -3 "$W/err"))"; fi
}
expect_exit "no scenario: usage, exit 2" 2 "no scenario given" "$MMVIZ" --headless --step 1 --out "$W/x.png"
expect_exit "headless without --out: exit 2" 2 "needs --step N and --out" "$MMVIZ" --headless --step 1 scenarios/demand-zero.json
expect_exit "a bad --size: exit 2" 2 "bad option or value: --size 12" "$MMVIZ" --headless --step 1 --size 12 --out "$W/x.png" scenarios/demand-zero.json
expect_exit "an unknown option: exit 2" 2 "bad option or value: --frob" "$MMVIZ" --frob 1 scenarios/demand-zero.json
expect_exit "a missing file: exit 2" 2 "no-such.json" "$MMVIZ" --headless --step 1 --out "$W/x.png" no-such.json
expect_exit "a bad scenario: file:line:col and path, exit 2" 2 "tests/bad/unknown-op.json:[0-9]*:[0-9]*: \$.steps" \
  "$MMVIZ" --headless --step 1 --out "$W/x.png" tests/bad/unknown-op.json
expect_exit "an unknown --process: exit 2" 2 "no process named 'nobody'" \
  "$MMVIZ" --headless --step 1 --process nobody --out "$W/x.png" scenarios/demand-zero.json
expect_exit "no font: a clear message, exit 2" 2 "no monospace font found" \
  env MMVIZ_FONT=/nonexistent.ttf "$MMVIZ" --headless --step 1 --out "$W/x.png" scenarios/demand-zero.json
# exact messages: the first line of stderr must be $3
expect_first() {   # name, wanted status, wanted first line of stderr, command...
  name=$1; want=$2; text=$3; shift 3
  "$@" >"$W/out" 2>"$W/err"; rc=$?
  if [ $rc -eq "$want" ] && [ "$(head -n 1 "$W/err")" = "$text" ]; then ok "$name"
  else bad "$name (exit $rc, stderr: $(head -3 "$W/err"))"; fi
}
D=scenarios/demand-zero.json
expect_first "--size 4294967937x800 (wraps to 641 in 32 bits): refused" 2 \
  "mmviz: bad option or value: --size 4294967937x800" "$MMVIZ" --headless --step 1 --size 4294967937x800 --out "$W/x.png" $D
expect_first "--size 640x400junk: refused" 2 "mmviz: bad option or value: --size 640x400junk" \
  "$MMVIZ" --headless --step 1 --size 640x400junk --out "$W/x.png" $D
expect_first "--size 8193x800: refused" 2 "mmviz: bad option or value: --size 8193x800" \
  "$MMVIZ" --headless --step 1 --size 8193x800 --out "$W/x.png" $D
expect_first "--size -640x400: refused" 2 "mmviz: bad option or value: --size -640x400" \
  "$MMVIZ" --headless --step 1 --size -640x400 --out "$W/x.png" $D
expect_first "--step -1: refused" 2 "mmviz: bad option or value: --step -1" \
  "$MMVIZ" --headless --step -1 --out "$W/x.png" $D
expect_first "--frame beyond the machine: refused like --process nobody" 2 \
  "mmviz: scenarios/demand-zero.json has no frame 32: its machine has 32 frames (0 to 31)" \
  "$MMVIZ" --headless --step 1 --frame 32 --out "$W/x.png" $D
expect_first "--frame 0x20 is 32: refused" 2 \
  "mmviz: scenarios/demand-zero.json has no frame 32: its machine has 32 frames (0 to 31)" \
  "$MMVIZ" --headless --step 1 --frame 0x20 --out "$W/x.png" $D
expect_first "--out on a full disk: the write fails, exit 1" 1 \
  "mmviz: cannot write /dev/full: No space left on device" "$MMVIZ" --headless --step 1 --out /dev/full $D
expect_first "--out in a directory that does not exist: exit 1" 1 \
  "mmviz: cannot write $W/none/x.png: No such file or directory" "$MMVIZ" --headless --step 1 --out "$W/none/x.png" $D
expect_first "--process with an ESC: shown escaped, exit 2" 2 \
  "mmviz: scenarios/demand-zero.json has no process named 'no\\x1B[2Jbody'" \
  "$MMVIZ" --headless --step 1 --process "$(printf 'no\033[2Jbody')" --out "$W/x.png" $D
if "$MMVIZ" --headless --step 1 --frame 31 --size 640x400 --out "$W/f.png" $D 2>"$W/err" &&
   [ "$(od -An -tu1 -j16 -N8 "$W/f.png" | tr -s ' ' | sed 's/^ //')" = "0 0 2 128 0 0 1 144" ]; then
  ok "--frame 31 (the last) and --size 640x400 (the smallest) are taken"
else bad "--frame 31 --size 640x400: $(cat "$W/err")"; fi
# the work budget, as in mmsim: a scenario beyond it is refused before it runs
expect_first "a scenario of long ticks beyond the tick budget: refused, exit 2" 2 \
  "tests/bad/too-many-ticks.json:8:36: \$.steps[10]: time advances 1100000 ticks by this step, more than the budget of 1000000 (--max-ticks raises it)" \
  "$MMVIZ" --headless --step 1 --out "$W/x.png" tests/bad/too-many-ticks.json
expect_first "--max-ticks lowers the budget: refused at the first step beyond it" 2 \
  "scenarios/zero-page-thread.json:21:5: \$.steps[13]: time advances 2 ticks by this step, more than the budget of 1 (--max-ticks raises it)" \
  "$MMVIZ" --headless --step 1 --max-ticks 1 --out "$W/x.png" scenarios/zero-page-thread.json
expect_first "--max-work 0: refused" 2 "mmviz: bad option or value: --max-work 0" \
  "$MMVIZ" --headless --step 1 --max-work 0 --out "$W/x.png" $D
if "$MMVIZ" --headless --step 1 --max-ticks 2000000 --out "$W/t.png" tests/bad/too-many-ticks.json 2>"$W/err"; then
  ok "--max-ticks 2000000 takes the long ticks"
else bad "--max-ticks 2000000: $(cat "$W/err")"; fi
# --out -: the PNG alone on standard output (its signature, and the same
# bytes as the file), nothing beside it
if "$MMVIZ" --headless --step 3 --out - $D >"$W/stdout.png" 2>"$W/err" &&
   "$MMVIZ" --headless --step 3 --out "$W/file.png" $D 2>/dev/null &&
   [ "$(head -c 8 "$W/stdout.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] &&
   cmp -s "$W/stdout.png" "$W/file.png" && [ ! -e ./- ]; then
  ok "--out - writes the PNG to standard output, the same bytes as to a file"
else bad "--out -: $(head -c 200 "$W/err")"; fi
expect_first "--out - to a full standard output: refused, exit 1" 1 "mmviz: cannot write the picture to standard output: No space left on device" \
  sh -c '"$0" --headless --step 3 --out - "$1" >/dev/full' "$MMVIZ" $D
expect_first "an option given twice: refused with both values" 2 "mmviz: --step is given twice (1, then 2); give it once" \
  "$MMVIZ" --headless --step 1 --step 2 --out "$W/x.png" $D
expect_first "an option given twice with the same value, in either form: refused too" 2 \
  "mmviz: --narration is given twice (all, then all); give it once" \
  "$MMVIZ" --headless --step 1 --narration all --narration=all --out "$W/x.png" $D
expect_first "--theme that is not one: refused" 2 "mmviz: bad option or value: --theme purple" \
  "$MMVIZ" --headless --step 1 --theme purple --out "$W/x.png" $D
expect_first "--narration that is not one: refused" 2 "mmviz: bad option or value: --narration everything" \
  "$MMVIZ" --headless --step 1 --narration everything --out "$W/x.png" $D
expect_first "--scroll without --headless: refused" 2 \
  "mmviz: --scroll and --narration are for --headless (in the window, the wheel and PgUp/PgDn scroll)" \
  "$MMVIZ" --scroll 3 $D
expect_first "--scroll -1: refused" 2 "mmviz: bad option or value: --scroll -1" \
  "$MMVIZ" --headless --step 1 --scroll -1 --out "$W/x.png" $D
if "$MMVIZ" --headless --step 19 --theme light --narration summary --scroll 2 --size 800x600 --out "$W/l.png" \
     scenarios/multi-process-contention.json 2>"$W/err" &&
   [ "$(od -An -tu1 -j16 -N8 "$W/l.png" | tr -s ' ' | sed 's/^ //')" = "0 0 3 32 0 0 2 88" ]; then
  ok "--theme light --narration summary --scroll 2 writes an 800x600 PNG"
else bad "--theme light --narration summary --scroll 2: $(cat "$W/err")"; fi
expect_first "--out without --headless: refused" 2 \
  "mmviz: --out is for --headless (in the window, the s key saves a picture)" "$MMVIZ" --out "$W/x.png" $D
expect_first "--script with --headless: refused" 2 \
  "mmviz: --script drives a window; it does nothing with --headless" \
  "$MMVIZ" --headless --step 1 --out "$W/x.png" --script tests/viz/window.script $D
expect_first "an empty --out: refused" 2 "mmviz: bad option or value: --out " "$MMVIZ" --headless --step 1 --out "" $D
expect_first "an empty file name: refused" 2 "mmviz: an empty file name" "$MMVIZ" --headless --step 1 --out "$W/x.png" ""
expect_first "a lone -: no such option" 2 "mmviz: bad option or value: -: no such option" "$MMVIZ" - $D
# a missing font file and one that is not a font: the same status, both named
expect_first "MMVIZ_FONT missing: exit 2" 2 "mmviz: no monospace font found: MMVIZ_FONT=/nonexistent.ttf cannot be read" \
  env MMVIZ_FONT=/nonexistent.ttf "$MMVIZ" --headless --step 1 --out "$W/x.png" $D
printf 'not a font\n' >"$W/notafont.ttf"
MMVIZ_FONT="$W/notafont.ttf" "$MMVIZ" --headless --step 1 --out "$W/x.png" $D >"$W/out" 2>"$W/err"; rc=$?
case "$(head -n 1 "$W/err")" in
  "mmviz: no monospace font found: $W/notafont.ttf is not a font SDL_ttf can load ("*)
    [ $rc -eq 2 ] && ok "MMVIZ_FONT not a font: exit 2, like a missing one" || bad "MMVIZ_FONT not a font: exit $rc" ;;
  *) bad "MMVIZ_FONT not a font: $(head -2 "$W/err")" ;;
esac
# a script is read and checked whole before the window opens: no display
# is needed to refuse it, and nothing runs
script_refused() {   # name, wanted first line of stderr (after the file name), script text (printf format)
  name=$1; text=$2; shift 2
  printf "$@" >"$W/bad.script"
  expect_first "script: $name" 2 "mmviz: $W/bad.script:$text" env -u DISPLAY "$MMVIZ" --script "$W/bad.script" $D
}
script_refused "an unknown command" "2: no such command 'frob'" 'key Right\nfrob 1\n'
script_refused "a number that is not one" "1: expected a whole number (at most 4294967295), got 'abc'" 'expect-step abc\n'
script_refused "a number with junk" "1: expected a whole number (at most 4294967295), got '5x'" 'wait 5x\n'
script_refused "a number too large" "1: expected a whole number (at most 4294967295), got '4294967296'" 'expect-step 4294967296\n'
script_refused "a size that is not one" "1: expected a size WxH, got '12'" 'resize 12\n'
script_refused "a flag that is not 0 or 1" "1: expected 0 or 1, got '2'" 'expect-help 2\n'
script_refused "an argument to quit" "1: takes no argument, got 'now'" 'quit now\n'
script_refused "a key without a name" "1: needs an argument: 'key'" 'key\n'
script_refused "text SDL would cut" "1: text longer than 31 bytes: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'" \
  'text aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n'
script_refused "a line longer than 255 characters" "2: line longer than 255 characters" \
  "key Right\n# %0300d\n" 0
script_refused "a NUL byte" "1: a NUL byte in the line" 'key Ri\000ght\n'
{ i=0; while [ $i -le 1000 ]; do echo "wait 0"; i=$((i + 1)); done; } >"$W/long.script"
expect_first "script: more than 1000 commands" 2 "mmviz: $W/long.script:1001: more than 1000 commands" \
  env -u DISPLAY "$MMVIZ" --script "$W/long.script" $D
expect_first "script: a directory" 2 "mmviz: cannot read the script $W: Is a directory" \
  env -u DISPLAY "$MMVIZ" --script "$W" $D
expect_first "script: missing" 2 "mmviz: cannot open the script $W/none.script: No such file or directory" \
  env -u DISPLAY "$MMVIZ" --script "$W/none.script" $D
if "$MMVIZ" --headless --step 12 --size 1920x1080 --out "$W/h.png" scenarios/demand-zero.json 2>"$W/err" &&
   [ "$(od -An -tx1 -N8 "$W/h.png" | tr -d ' ')" = "89504e470d0a1a0a" ] &&
   [ "$(od -An -tu1 -j16 -N8 "$W/h.png" | tr -s ' ' | sed 's/^ //')" = "0 0 7 128 0 0 4 56" ]; then
  ok "--headless writes a 1920x1080 PNG"
else bad "--headless writes a 1920x1080 PNG ($(cat "$W/err"))"; fi

# option values after '=' as in mmsim (--step=12, --check=full)
if "$MMVIZ" --headless --step=12 --check=full --size=1920x1080 --out="$W/eq.png" scenarios/demand-zero.json 2>"$W/err" &&
   cmp -s "$W/eq.png" "$W/h.png"; then ok "--step=12 --check=full --size=1920x1080 --out=FILE: the same PNG"
else bad "--name=VALUE options: $(cat "$W/err")"; fi

# after "--" a word is the scenario, even one named like an option
cp scenarios/demand-zero.json "$W/-dz.json"
if (cd "$W" && "$MMVIZ" --headless --step 12 --size 1920x1080 --out eqdash.png -- -dz.json) 2>"$W/err" &&
   cmp -s "$W/eqdash.png" "$W/h.png"; then ok "-- then a scenario named -dz.json"
else bad "-- then a scenario named like an option: $(cat "$W/err")"; fi

# with no display SDL falls back to its offscreen driver, whose window no
# one sees: mmviz must say so and stop, not wait for keys forever
env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER timeout 20 "$MMVIZ" $D >"$W/out" 2>"$W/err"; rc=$?
if [ $rc -eq 1 ] && grep -qF "mmviz: no display" "$W/err"; then ok "no display: mmviz says so and exits 1"
else bad "no display: exit $rc (124: it waited), stderr: $(tail -2 "$W/err")"; fi

# 3. a real window under Xvfb
mkdir -p "$W/win"
(cd "$W/win" && timeout 120 xvfb-run -a -s "-screen 0 1400x900x24" "$MMVIZ" --size 1280x800 \
    --script "$ROOT/tests/viz/window.script" "$ROOT/scenarios/trim-soft-fault.json") >"$W/win.log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "window under Xvfb: play, step back, inspect, type a VA, help (script)"
else bad "window under Xvfb: exit $rc: $(tail -5 "$W/win.log")"; fi
if [ -s "$W/win/mmviz-trim-soft-fault-step4.png" ]; then ok "window: the s key saved mmviz-trim-soft-fault-step4.png"
else bad "window: the s key saved no screenshot"; fi
if "$B/test_viz" --check-shot "$W/win/window.png" scenarios/trim-soft-fault.json 4 >"$W/shot.out" 2>&1; then
  ok "window: the screenshot shows every frame of step 4 in its colour"
else bad "window: screenshot check: $(cat "$W/shot.out")"; fi
# the script's checks can fail: a wrong expectation must make mmviz exit 1
printf 'key Right\nidle\nexpect-step 5\nquit\n' >"$W/wrong.script"
(cd "$W/win" && timeout 60 xvfb-run -a -s "-screen 0 1400x900x24" "$MMVIZ" \
    --script "$W/wrong.script" "$ROOT/scenarios/trim-soft-fault.json") >"$W/wrong.log" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "the step is 1" "$W/wrong.log"; then ok "window: a failing script check fails mmviz"
else bad "window: a failing script check gave exit $rc: $(tail -3 "$W/wrong.log")"; fi

# window sizes from a script are clamped like --size: 32768x32768 crashed
# the software renderer before
printf 'resize 32768x32768\nwait 500\nexpect-width 8192\nresize 100x100\nwait 500\nexpect-width 640\nquit\n' >"$W/resize.script"
(cd "$W/win" && timeout 120 xvfb-run -a -s "-screen 0 1400x900x24" "$MMVIZ" \
    --script "$W/resize.script" "$ROOT/scenarios/demand-zero.json") >"$W/resize.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -qF "$W/resize.script:1: resize: clamped to 8192x8192 (window sizes: 640x400 to 8192x8192)" "$W/resize.log" &&
   grep -qF "$W/resize.script:4: resize: clamped to 640x400" "$W/resize.log"; then
  ok "window: resize 32768x32768 and 100x100 from a script are clamped to 8192x8192 and 640x400"
else bad "window: script resize clamp: exit $rc: $(tail -3 "$W/resize.log")"; fi

# 4. ASan/UBSan
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
# SDL and fontconfig keep some memory until exit; only our leaks count
cat >"$W/lsan.supp" <<'SUPP'
leak:libfontconfig
leak:libSDL2
leak:libdbus
leak:libX11
SUPP
export LSAN_OPTIONS=suppressions=$W/lsan.supp
if "$B/asan/test_viz" >"$W/asan-test.out" 2>&1; then ok "test_viz under ASan/UBSan"
else bad "test_viz under ASan/UBSan: $(grep -m3 -E 'ERROR|FAIL|runtime error' "$W/asan-test.out")"; fi
af=0
for f in scenarios/*.json; do
  steps=$(grep -o '"op"' "$f" | wc -l)
  for s in 1 $((steps / 2)) "$steps"; do
    # the middle step in the light theme, from the page-by-page lines
    extra=""; [ "$s" = $((steps / 2)) ] && extra="--theme light --narration details"
    if ! "$B/asan/mmviz" --headless --step "$s" $extra --out "$W/asan.png" "$f" >"$W/asan.out" 2>&1; then
      af=$((af + 1)); echo "  $f step $s:"; grep -m5 -E 'ERROR|runtime error|SUMMARY' "$W/asan.out"
    fi
  done
done
if [ $af -eq 0 ]; then ok "headless renders of every scenario (first, middle, last step) under ASan/UBSan"
else bad "$af headless renders under ASan/UBSan failed"; fi

# the window under the sanitizers: memory errors and UB abort it; leak
# detection is off here because the display drivers SDL loads and unloads
# leave allocations LeakSanitizer cannot attribute (the headless runs above
# check our own leaks)
mkdir -p "$W/asanwin"
(cd "$W/asanwin" && ASAN_OPTIONS=detect_leaks=0 timeout 120 xvfb-run -a -s "-screen 0 1700x1100x24" "$B/asan/mmviz" \
    --size 1280x800 --script "$ROOT/tests/viz/window.script" "$ROOT/scenarios/trim-soft-fault.json") >"$W/asanwin.log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "window under Xvfb, same script, under ASan/UBSan"
else bad "window under ASan/UBSan: exit $rc: $(grep -m5 -E 'ERROR|runtime error|mmviz:' "$W/asanwin.log")"; fi

echo "viz: $pass passed, $fail failed"
[ $fail -eq 0 ]
