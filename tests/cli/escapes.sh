# Text from a scenario or the command line reaches the terminal with its
# control characters escaped as \xHH: an ESC in a scenario's name, title,
# description or note, in a file name, in a key the reader refuses, in a
# word typed in step mode (step mode drops an ESC sequence from a typed
# line as a key it does not bind, so the words typed there hold other
# control characters). --json escapes them the JSON way. The last line
# counts the raw control bytes that got through (0).
t=${TMPDIR:-/tmp}/mmsim-escapes
mkdir -p "$t"
f="$t/$(printf 'x\033[2Jy').json"
printf '%s\n' '{"name": "n\u001b[31m", "title": "t\u001b]0;owned\u0007", "description": "d\u001b[2J line\nbreak\ttab \u009b C1",' \
  ' "processes": [{"name": "a"}], "steps": [{"op": "note", "text": "note \u001b[1m bold"},' \
  ' {"op": "expect", "lists": {"zeroed": 1}}]}' >"$f"
{
"$MMSIM" run "$f" 2>&1 | sed -n '1,3p;/^  note/,$p'
"$MMSIM" check "$f" 2>&1
"$MMSIM" run --json "$f" 2>&1 | head -n 1
printf '{"name": "x", "description": "d", "steps": [], "k\\u001bey": 1}\n' >"$t/key.json"
"$MMSIM" check "$t/key.json" 2>&1 | sed "s|$t/||"
printf 'ws a\001\nfr\002ob\n!pte 1 \302\233\nq\n' | "$MMSIM" step "$f" 2>&1 | tail -n 4
"$MMSIM" check "$(printf 'no\033[2Jsuch.json')" 2>&1
printf '1\n2\n1\n' >"$t/$(printf 'tr\033ace')"
"$MMSIM" trace "$t/$(printf 'tr\033ace')" tests/cli/belady.txt 2>&1 | sed -n '1p;/^process/p'
"$MMSIM" trace "$(printf -- '--po\033licy')" 2>&1
"$MMSIM" trace --policy "$(printf 'l\033ru')" tests/cli/belady.txt 2>&1
"$MMSIM" trace "$(printf 'no\033such')" 2>&1
} >"$t/out"
sed "s|$t/||" "$t/out"
printf 'raw control bytes: %d\n' "$(tr -d '\n' <"$t/out" | tr -cd '\000-\037\177' | wc -c)"
rm -rf "$t"
