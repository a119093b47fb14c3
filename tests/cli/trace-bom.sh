# A trace that starts with a UTF-8 byte-order mark reads as the same trace
# without it, as a file and on standard input, in both the page-number and
# the ADDR R|W formats.
d="${TMPDIR:-/tmp}/trace-bom.$$"
mkdir -p "$d"
printf '1\n2\n3\n1\n4\n1\n' >"$d/plain.txt"
printf '\357\273\277' | cat - "$d/plain.txt" >"$d/bom.txt"
"$MMSIM" trace -p lru -C 2 "$d/plain.txt" | grep FINALSTATS
"$MMSIM" trace -p lru -C 2 "$d/bom.txt" | grep FINALSTATS
"$MMSIM" trace -p lru -C 2 - <"$d/bom.txt" | grep FINALSTATS
printf '\357\273\277# a comment\n0x10 R\n0x2010 W\n' | "$MMSIM" trace -p fifo -C 1 - | grep -E '^trace|FINALSTATS'
printf '[exit %d]\n' $?
rm -rf "$d"
