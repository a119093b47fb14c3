# Expectations about a process that never started (its create_process step
# failed: no frames are left) fail with "process: expected running, actual
# not running"; they never compare the whole system's counts. Exit status 1.
"$MMSIM" run tests/cli/not-running.json | grep -A2 '^  expect\|held'
"$MMSIM" run tests/cli/not-running.json >/dev/null
printf '[exit %d]\n' $?
"$MMSIM" run --json tests/cli/not-running.json | grep '"type":"result"\|"passed":false'
