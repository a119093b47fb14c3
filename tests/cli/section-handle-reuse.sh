# A section's handle is reused once the section is deleted: the narration
# of the next section's creation names the new section, not the deleted one
# the replay last knew under that handle, and expectations by name still
# find each section.
"$MMSIM" run tests/cli/section-handle-reuse.json >"${TMPDIR:-/tmp}/reuse.$$" 2>&1
printf '[exit %d]\n' $?
grep -E "^step|^  section|^  expect" "${TMPDIR:-/tmp}/reuse.$$"
rm -f "${TMPDIR:-/tmp}/reuse.$$"
