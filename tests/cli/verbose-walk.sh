# -v adds the two-level walk after every access and the hardware's A/D bits.
"$MMSIM" run -v tests/cli/small.json | sed -n '/^step 2:/,/^step 3:/p'
