# MEM_COMMIT inside mapped views (commit-in-view.json): each status NT's
# commit path gives, and nothing more charged; the scenario reader lets a
# commit name write-copy, which only a view's pages can have.
"$MMSIM" run tests/cli/commit-in-view.json >"${TMPDIR:-/tmp}/civ.$$" 2>&1
printf '[exit %d]\n' $?
grep -E "^step|^  -> STATUS|^  expect|steps, " "${TMPDIR:-/tmp}/civ.$$"
rm -f "${TMPDIR:-/tmp}/civ.$$"
