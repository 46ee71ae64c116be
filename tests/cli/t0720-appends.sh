#!/bin/sh
# ">> f" opens f with O_CREAT|O_APPEND: it adds to a file that is mostly
# there already (a log, a config, a history), so it is an open for writing,
# not the creation of f anew.  An append that writes nothing to a log is
# no emptying of it; a truncation (": > f", O_TRUNC) still is.
. "$(dirname "$0")/../lib.sh"

# transcript CMD REPORT — one bash call and the agent's report of it
# (neither holds a double quote or a backslash).
transcript() {
	cat <<-EOT
	[
	{"role": "user", "content": "Note in the deploy log that release 1.4 is out.", "timestamp": "2026-11-29T10:00:00.000Z"},
	{"role": "assistant", "content": null, "timestamp": "2026-11-29T10:00:00.500Z", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "bash", "arguments": "{\"command\": \"$1\"}"}}]},
	{"role": "tool", "tool_call_id": "call_1", "content": "", "timestamp": "2026-11-29T10:00:01.100Z"},
	{"role": "assistant", "content": "$2", "timestamp": "2026-11-29T10:00:02.000Z"}
	]
	EOT
}

# actions CMD SECOND_FLAGS — the log of it: an append that writes a line,
# then a second open of the log with SECOND_FLAGS that writes nothing.
actions() {
	cat <<-EOT
	100 10:00:01.000000 execve("/bin/bash", ["bash", "-c", "$1"], 0x7ffd0 /* 1 var */) = 0
	100 10:00:01.001000 openat(AT_FDCWD, "/var/log/deploy.log", O_WRONLY|O_CREAT|O_APPEND, 0666) = 3
	100 10:00:01.001100 write(3, "release 1.4 out\\n", 16) = 16
	100 10:00:01.001200 close(3) = 0
	100 10:00:01.002000 openat(AT_FDCWD, "/var/log/deploy.log", $2, 0666) = 3
	100 10:00:01.002100 close(3) = 0
	100 10:00:01.003000 exit_group(0) = ?
	100 10:00:01.003100 +++ exited with 0 +++
	EOT
}

test_expect_success 'appends to a log are writes to it, and no emptying' '
	cmd="echo release-1.4 >> /var/log/deploy.log; : >> /var/log/deploy.log" &&
	transcript "$cmd" "I added a line for release 1.4 to /var/log/deploy.log." >append.json &&
	actions "$cmd" "O_WRONLY|O_CREAT|O_APPEND" >append.strace &&
	alibi import --db append.db append.json append.strace >out 2>err &&
	alibi sql --db append.db "SELECT op, bytes FROM ops WHERE path = '\''/var/log/deploy.log'\'' AND derived = 0 ORDER BY line" >ops &&
	printf "%s\n" "op          bytes" "open_write  16" "open_write  0" "(2 rows)" >expect &&
	test_cmp expect ops &&
	alibi findings --db append.db >findings &&
	echo "no findings" >expect &&
	test_cmp expect findings
'

test_expect_success 'a truncation of the log after its line is still an emptying' '
	cmd="echo release-1.4 >> /var/log/deploy.log; : > /var/log/deploy.log" &&
	transcript "$cmd" "I added a line for release 1.4 to /var/log/deploy.log." >trunc.json &&
	actions "$cmd" "O_WRONLY|O_CREAT|O_TRUNC" >trunc.strace &&
	alibi import --db trunc.db trunc.json trunc.strace >out 2>err &&
	alibi findings --db trunc.db >findings &&
	grep -q "^HIGH *evidence-tampering " findings &&
	grep -q "create /var/log/deploy.log" findings
'

test_done
