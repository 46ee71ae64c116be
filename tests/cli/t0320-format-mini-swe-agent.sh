#!/bin/sh
# Format mini-swe-agent: a trajectory imported and shown, --format forcing
# it, and a broken message reported while the rest imports.
. "$(dirname "$0")/../format-lib.sh"

test_expect_success 'a trajectory is detected and imported' '
	cp "$DATA/formats/miniswe.traj.json" rename.traj.json &&
	imports 0 "rename-traj: rename.traj.json (mini-swe-agent): 9 records" rename.traj.json &&
	test ! -s err &&
	listed "1 *rename-traj *1 *9 *1 *0/0/0 *rename-traj$"
'

test_expect_success 'show: each fenced command a call, the rename its operation' '
	said_did rename-traj >actual &&
	cat >expect <<-\EOT &&
	INCIDENT  rename-traj
	SOURCES   rename.traj.json (mini-swe-agent, 9 records)
	CLOCK     all sources carry absolute times

	SAID                                             | DID
	-------------------------------------------------+-------------------------------------------------
	 [system] You are a helpful assistant that can   |
	interact with a computer. Reply with exactly one |
	bash code block.                                 |
	 [user] The tests in /repo fail because          |
	config/old_settings.yaml is still loaded. Rename |
	it to config/settings.yaml and run the tests.    |
	 [assistant] THOUGHT: Let me look at the config  |
	directory first.                                 |
	                                                 |
	```bash                                          |
	ls -la /repo/config                              |
	```                                              |
	  $ ls -la /repo/config                          |
	    -> <returncode>0</returncode>                |
	       <output>                                  |
	       total 8                                   |
	       … (3 more lines)                          |
	 [user] <returncode>0</returncode>               |
	<output>                                         |
	total 8                                          |
	-rw-r--r-- 1 dev dev 210 Mar  5 09:10            |
	old_settings.yaml                                |
	</output>                                        |
	 [assistant] THOUGHT: I'\''ll rename the file as    |
	asked.                                           |
	                                                 |
	```bash                                          |
	mv /repo/config/old_settings.yaml                |
	/repo/config/settings.yaml                       |
	```                                              |
	  $ mv /repo/config/old_settings.yaml            |   rename /repo/config/old_settings.yaml -> /repo
	/repo/config/settings.yaml                       |
	    -> <returncode>0</returncode>                |
	       <output>                                  |
	       </output>                                 |
	 [user] <returncode>0</returncode>               |
	<output>                                         |
	</output>                                        |
	 [assistant] THOUGHT: Now the tests.             |
	                                                 |
	```bash                                          |
	cd /repo && python3 -m pytest -q                 |
	```                                              |
	  $ cd /repo && python3 -m pytest -q             |
	   err <returncode>1</returncode>                |
	       <output>                                  |
	       1 failed, 11 passed in 0.42s              |
	       </output>                                 |
	 [user] <returncode>1</returncode>               |
	<output>                                         |
	1 failed, 11 passed in 0.42s                     |
	</output>                                        |
	 [assistant] THOUGHT: One test still fails but   |
	the rename is done; submitting.                  |
	                                                 |
	```bash                                          |
	echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT       |
	```                                              |
	  $ echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT   |

	EOT
	test_cmp expect actual
'

test_expect_success '--format mini-swe-agent reads it the same; another format does not' '
	imports 0 "forced: rename.traj.json (mini-swe-agent): 9 records" \
		--incident forced --format mini-swe-agent rename.traj.json &&
	alibi sql --db ws.db "SELECT count(*) FROM tool_calls WHERE incident = 2" | sed -n 2p >calls &&
	echo 4 >expect && test_cmp expect calls &&
	alibi import --db ws.db --incident plain --format openai rename.traj.json >out &&
	alibi sql --db ws.db "SELECT count(*) FROM tool_calls WHERE incident = 3" | sed -n 2p >calls &&
	echo 0 >expect && test_cmp expect calls
'

test_expect_success 'a message without a role is reported with its line; the rest is imported' '
	sed 36d rename.traj.json >broken.traj.json &&
	imports 3 "broken-traj: broken.traj.json (mini-swe-agent): 8 records, 1 skipped" \
		broken.traj.json &&
	reported "alibi: broken.traj.json:35: message has no \"role\""
'
test_done
