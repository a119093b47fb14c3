# mmsim step driven through standard input: next, back, goto, and every
# inspection command, including bad commands.
printf 'n\nn\n\nwalk 0x10000\nwalk 0x80001000\npte 0x10000 a\npfn 4\npfn 0x99999\nlists\nlists -v\nws\nvad a\nb\ng 0\ng 99\ngoto 4\nfrob\nwalk\nwalk zz\nws nobody\nhelp\nq\n' |
    "$MMSIM" step tests/cli/small.json
printf '[exit %d]\n' $?
