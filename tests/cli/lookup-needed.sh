# A read-only view of a read/write file section: trimmed, the page's PTE
# becomes the "lookup needed" prototype form 0xFFFFF420 (the VAD locates
# the prototype PTE; the PTE keeps the view's protection); the walk decodes
# it and finds the prototype PTE through the VAD; the next read is a soft
# fault through it.
"$MMSIM" run tests/cli/lookup-needed.json | grep -E 'lookup needed|step 5|soft fault'
printf '[exit %d]\n' $?
printf '%s\n' 'goto 4' 'walk 0x501000 b' 'q' | "$MMSIM" step tests/cli/lookup-needed.json 2>&1 | grep -E 'PTE at|prototype PTE at|raises'
