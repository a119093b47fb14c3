# check validates several files and reports each; one bad file makes the
# status 2, and run refuses to start any of them.
"$MMSIM" check tests/cli/small.json tests/bad/unknown-op.json tests/cli/small.json
printf '[exit %d]\n' $?
"$MMSIM" run tests/cli/small.json tests/bad/unknown-op.json >"${TMPDIR:-/tmp}/mmsim-run.out"
printf '[exit %d]\n' $?
wc -c <"${TMPDIR:-/tmp}/mmsim-run.out"
rm -f "${TMPDIR:-/tmp}/mmsim-run.out"
