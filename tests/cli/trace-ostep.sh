# mmsim trace -c for FIFO and LRU prints, line for line, what OSTEP's
# paging-policy.py -c prints for the same trace and cache size (its Access
# lines and FINALSTATS). Each tests/cli/ostep/TRACE-POLICY-CACHE.txt was
# recorded from `paging-policy.py -f TRACE -p POLICY -C CACHE -c`, keeping
# the lines that grep -E '^Access|^FINALSTATS' selects.
for want in tests/cli/ostep/*-*-*.txt; do
    name=${want##*/}; name=${name%.txt}
    cache=${name##*-}; rest=${name%-*}; policy=${rest##*-}; trace=${rest%-*}.txt
    [ "$trace" = belady.txt ] && path=tests/cli/belady.txt || path=tests/cli/ostep/$trace
    "$MMSIM" trace -p "$policy" -C "$cache" -c "$path" | grep -E '^Access|^FINALSTATS' >"$TMPDIR/got"
    if cmp -s "$want" "$TMPDIR/got"; then
        echo "$trace, $policy, cache $cache: the lines of paging-policy.py -c"
    else
        echo "$trace, $policy, cache $cache: DIFFERENT from paging-policy.py -c"
        diff "$want" "$TMPDIR/got" | head -6
    fi
done
