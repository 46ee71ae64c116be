#!/bin/sh
# record.sh — records tests/data/auditd/cleanup.audit.log with the kernel's
# audit system: a retired model's files copied to a hidden place, deleted,
# and the copy renamed.  Needs root, auditd and auditctl, and a machine
# where nothing else is being audited (it replaces the audit rules and
# restores none).  Writes the raw records of the key it sets (alibi-sample).
set -eu
out=${OUT:-$(dirname "$0")/cleanup.audit.log}
base=/srv/alibi-audit-sample
[ -e "$base" ] && { echo "record.sh: $base exists" >&2; exit 1; }
command -v auditctl >/dev/null && command -v ausearch >/dev/null ||
	{ echo "record.sh: needs auditctl and ausearch (apt-get install auditd)" >&2; exit 1; }
pgrep -x auditd >/dev/null || { auditd -n & sleep 2; }

mkdir -p "$base/models/agent2"
head -c 65536 /dev/urandom >"$base/models/agent2/model.safetensors"
echo '{"arch": "llama"}' >"$base/models/agent2/config.json"
start_day=$(date +%x); start_time=$(date +%T)

auditctl -D >/dev/null
auditctl -e 1 >/dev/null
auditctl -a always,exit -F arch=b64 -S execve -k alibi-sample
auditctl -a always,exit -F arch=b64 \
	-S openat,unlink,unlinkat,rename,renameat,renameat2,connect \
	-F dir="$base" -k alibi-sample
sh -c "ls $base/models;
       cp -r $base/models/agent2 $base/.cache-agent2;
       rm -rf $base/models/agent2;
       mv $base/.cache-agent2 $base/.keep"
sleep 1
auditctl -D >/dev/null
auditctl -e 0 >/dev/null
sleep 1
ausearch --raw --start "$start_day" "$start_time" -k alibi-sample >"$out" || true
rm -rf "$base"
echo "record.sh: wrote $(wc -l <"$out") records to $out"
