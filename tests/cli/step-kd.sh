# The kernel debugger's views in step mode, driven through standard input
# (tests/cli/kd.json): !pte for a valid, demand-zero, zero, decommitted,
# transition and paging-file PTE and a missing page table; !pfn of the page
# as it goes Active -> Modified -> Free; !pte given a PTE address; !vad,
# !wsle, !memusage, !process, the forms without '!', and bad commands.
# Only what follows the start is kept: the views, not the narration.
printf '%s\n' 'goto 5' '!pte 10000' '!pte 21000' '!pte 22000' '!pte 400000' '!pfn 7' \
    'goto 6' '!pte 12000' 'goto 7' '!pte 10000' '!pfn 7' 'goto 9' '!pte 10000' '!pfn 7' \
    '!PTE c0000044' '!vad' '!vad other' '!wsle' 'wsle 1 other' '!memusage' '!process' 'process 0 0' \
    '!process 2 0' '!pte' '!pfn zz' '!pfn 0n32' '!frob' '!vad nobody' '!process 9' \
    'memusage 8 9' 'q' |
    "$MMSIM" step tests/cli/kd.json >"${TMPDIR:-/tmp}/step-kd.$$" 2>&1
rc=$?
sed -n '/^type .help/,$p' "${TMPDIR:-/tmp}/step-kd.$$"
rm -f "${TMPDIR:-/tmp}/step-kd.$$"
printf '[exit %d]\n' $rc
