#!/bin/sh
# tests/viz/run.sh MMVIZ BUILDDIR - the visualizer's tests (make viz-test).
#
#   1. pixel tests of headless renders against the engine (test_viz)
#   2. the command line: bad arguments and bad scenarios exit 2 with a
#      clear message; --headless writes a PNG of the asked size
#   3. a real window under Xvfb driven by tests/viz/window.script (keys,
#      clicks, typed VA, debugger commands, help, screenshots), its screenshot checked frame by
#      frame; a script whose check is wrong must make mmviz fail
#   4. test_viz, headless renders of every scenario and the window script
#      under ASan/UBSan
# Prints 'viz: N passed, M failed'; exits 1 on any failure.

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
if "$MMVIZ" --headless --step 12 --size 1920x1080 --out "$W/h.png" scenarios/demand-zero.json 2>"$W/err" &&
   [ "$(od -An -tx1 -N8 "$W/h.png" | tr -d ' ')" = "89504e470d0a1a0a" ] &&
   [ "$(od -An -tu1 -j16 -N8 "$W/h.png" | tr -s ' ' | sed 's/^ //')" = "0 0 7 128 0 0 4 56" ]; then
  ok "--headless writes a 1920x1080 PNG"
else bad "--headless writes a 1920x1080 PNG ($(cat "$W/err"))"; fi

# 3. a real window under Xvfb
mkdir -p "$W/win"
(cd "$W/win" && timeout 120 xvfb-run -a -s "-screen 0 1400x900x24" "$MMVIZ" --size 1280x800 \
    --script "$ROOT/tests/viz/window.script" "$ROOT/scenarios/trim-soft-fault.json") >"$W/win.log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "window under Xvfb: play, step back, inspect, type a VA, help (script)"
else bad "window under Xvfb: exit $rc: $(tail -5 "$W/win.log")"; fi
if [ -s "$W/win/mmviz-trim-soft-fault-step9.png" ]; then ok "window: the s key saved mmviz-trim-soft-fault-step9.png"
else bad "window: the s key saved no screenshot"; fi
if "$B/test_viz" --check-shot "$W/win/window.png" scenarios/trim-soft-fault.json 9 >"$W/shot.out" 2>&1; then
  ok "window: the screenshot shows every frame of step 9 in its colour"
else bad "window: screenshot check: $(cat "$W/shot.out")"; fi
# the script's checks can fail: a wrong expectation must make mmviz exit 1
printf 'key Right\nidle\nexpect-step 5\nquit\n' >"$W/wrong.script"
(cd "$W/win" && timeout 60 xvfb-run -a -s "-screen 0 1400x900x24" "$MMVIZ" \
    --script "$W/wrong.script" "$ROOT/scenarios/trim-soft-fault.json") >"$W/wrong.log" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "the step is 1" "$W/wrong.log"; then ok "window: a failing script check fails mmviz"
else bad "window: a failing script check gave exit $rc: $(tail -3 "$W/wrong.log")"; fi

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
    if ! "$B/asan/mmviz" --headless --step "$s" --out "$W/asan.png" "$f" >"$W/asan.out" 2>&1; then
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
