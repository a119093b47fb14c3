# mmsim trace --json names each trace and its process by the file's name:
# a name with a quote, a backslash and a tab still gives JSON that parses,
# in the summary and in the per-reference lines (-c), and the name comes
# back whole (the tab as \t).
d="${TMPDIR:-/tmp}/trace-names.$$"
mkdir -p "$d"
f="$d/$(printf 'q"uote\\back\tslash.txt')"
printf '1\n2\n1\n' >"$f"
"$MMSIM" trace --json "$f" >"$d/out"
printf '[exit %d]\n' $?
python3 - "$d/out" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
print("traces:", [os.path.basename(t) for t in d["traces"]])
print("process:", d["processes"][0]["name"])
PY
"$MMSIM" trace -c --json "$f" >"$d/out"
printf '[exit %d]\n' $?
python3 - "$d/out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
print(len(lines), "lines parse; processes:", sorted({l["process"] for l in lines if "process" in l}))
PY
rm -rf "$d"
# two files of one base name are two processes of two names
mkdir -p "$d/a" "$d/b"
printf '1\n2\n' >"$d/a/t.txt"
printf '3\n' >"$d/b/t.txt"
"$MMSIM" trace --json -C 2 "$d/a/t.txt" "$d/b/t.txt" "$d/a/t.txt" >"$d/out"
printf '[exit %d]\n' $?
python3 - "$d/out" <<'PY'
import json, sys
print("processes:", [p["name"] for p in json.load(open(sys.argv[1]))["processes"]])
PY
rm -rf "$d"
