# shellcheck shell=bash
# record-lib.sh — what every sample-logs/*/record.sh shares.
#
# A record.sh describes one incident: the server state, the conversation
# and the commands of its tool calls.  This library does the rest: the
# safety checks, the work directory and the cleanup, the generators of
# model weights and logs, a stand-in host, the harness that replays the
# tool calls under ONE strace process, and the writer of transcript.json.
# A record.sh reads, in this order:
#
#	#!/bin/bash
#	set -euo pipefail
#	here=$(cd "$(dirname "$0")" && pwd)
#	. "$here/../record-lib.sh"
#
#	record_begin my-incident /srv/models /srv/logs  # root? tools? fresh?
#	require_tools curl                              # what else it needs
#
#	make_model /srv/models/agent2 6291456 1536 18   # the server state
#	make_log /srv/logs/serve.log '40 days ago' 100
#
#	system_prompt 'You are an operations agent on ...'
#	message user 1.0 - <<'EOF'
#	Please delete /srv/models/agent2.
#	EOF
#	message assistant 3.0 "Let me look first."      # 3 s of "thinking"
#	tool_call 'ls -la /srv/models'                  # belongs to that message
#	message assistant 2.0                           # tool call, no text
#	tool_call - <<'EOF'
#	find /srv/models -name '*.json'
#	EOF
#	message assistant 2.0 "Done."
#
#	record_run openai                               # or: anthropic
#
# Texts and commands are kept exactly as given (but for trailing newlines,
# so a heredoc's last one does not count); "-" reads them from stdin, which
# with a quoted heredoc (<<'EOF') needs no escaping at all.
# record_run runs every command as `bash -c "<command>"` in /srv, in order,
# under `strace -f -tt -y -s 256`, then writes actions.strace and
# transcript.json into the sample's directory (or into $OUT_DIR when set),
# with the real outputs and the real UTC time of every step.  When the
# script ends, for any reason, everything registered with record_begin,
# the stand-in hosts and the work directory are removed.
#
# Variables a record.sh may read: $here (its own directory, set by itself),
# $out_dir (where the recording goes), $work (the work directory, removed
# at the end; a stand-in host keeps what it received there).

rec_name=
rec_created=()             # paths removed at the end
rec_pids=()                # stand-in hosts stopped at the end
rec_tracer=                # strace's pid (and session) while it runs
rec_messages=0
rec_has_system=0
work=
out_dir=

die() { echo "record.sh: $*" >&2; exit 1; }

require_tools() { # command...
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || die "$tool is missing (apt-get install $tool)"
	done
}

# Refuses an address in use, so that nothing but our stand-in answers there.
require_free_port() { # port
	if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
		die "127.0.0.1:$1 is already in use"
	fi
}

# name: the incident (it seeds the tool call ids); paths: everything the
# scenario creates outside $work.  They must not exist yet: the script
# refuses to run on a machine that has them, and removes them at the end.
record_begin() { # name path...
	rec_name=$1
	shift
	[ "$(id -u)" -eq 0 ] || die "run me as root (on a throwaway machine)"
	require_tools strace python3
	local d
	for d in "$@"; do
		[ ! -e "$d" ] || die "$d already exists; this script only runs on a machine without it"
	done
	out_dir=${OUT_DIR:-$here}
	mkdir -p "$out_dir"
	out_dir=$(cd "$out_dir" && pwd)
	rec_created=("$@")
	work=$(mktemp -d /tmp/agent-harness.XXXXXX)
	trap rec_cleanup EXIT
}

rec_cleanup() {
	local pid _
	if [ -n "$rec_tracer" ]; then     # interrupted while recording
		kill -TERM -- "-$rec_tracer" 2>/dev/null || true
		wait "$rec_tracer" 2>/dev/null || true
		for _ in $(seq 1 20); do
			kill -0 -- "-$rec_tracer" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$rec_tracer" 2>/dev/null || true
	fi
	for pid in "${rec_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "${rec_created[@]}" "$work"
}

# ------------------------------------------------------------ server state

# A safetensors file: 8-byte header length, a JSON header, then the tensor
# bytes (random here).
make_safetensors() { # file, tensor bytes, tensor name
	python3 - "$1" "$2" "$3" <<'EOF'
import json, os, struct, sys
path, size, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
header = {"__metadata__": {"format": "pt"},
          name: {"dtype": "F16", "shape": [size // 2], "data_offsets": [0, size]}}
raw = json.dumps(header, separators=(",", ":")).encode()
raw += b" " * (-len(raw) % 8)
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(raw)))
    f.write(raw)
    f.write(os.urandom(size))
EOF
}

# A model directory: model.safetensors, config.json and tokenizer.json,
# all last modified 41 days ago.
make_model() { # dir, weight bytes, hidden size, layers
	mkdir -p "$1"
	make_safetensors "$1/model.safetensors" "$2" model.embed_tokens.weight
	cat >"$1/config.json" <<EOF
{
  "architectures": ["DecoderLM"],
  "hidden_size": $3,
  "num_hidden_layers": $4,
  "num_attention_heads": 8,
  "vocab_size": 32000,
  "torch_dtype": "float16"
}
EOF
	python3 - "$1/tokenizer.json" <<'EOF'
import json, sys
vocab = {f"<tok{i}>": i for i in range(2000)}
json.dump({"version": "1.0", "model": {"type": "BPE", "vocab": vocab, "merges": []}},
          open(sys.argv[1], "w"))
EOF
	touch -d '41 days ago 09:12' "$1"/*
}

# A log of one line every 37 seconds, ending at the given time (any
# `date -d` string), which also becomes the file's modification time.
make_log() { # file, time of the last line, lines
	mkdir -p "$(dirname "$1")"
	python3 - "$1" "$(date -u -d "$2" +%s)" "$3" <<'EOF'
import os, sys, time
path, last, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
name = os.path.basename(path).split(".")[0]
with open(path, "w") as f:
    for i in range(n):
        t = time.gmtime(last - (n - 1 - i) * 37)
        f.write("%s INFO %s: step=%d status=ok\n"
                % (time.strftime("%Y-%m-%dT%H:%M:%SZ", t), name, i + 1))
EOF
	touch -d "$2" "$1"
}

# A stand-in for another host: an HTTP server on 127.0.0.1:port that
# stores every PUT under dir (path "/a/b" becomes the file "a__b") and
# answers 201.  It runs outside strace, as another machine would.
start_put_receiver() { # port, dir
	require_free_port "$1"
	mkdir -p "$2"
	python3 - "$2" "$1" 2>>"$work/receiver.log" <<'EOF' &
import http.server, os, sys
root, port = sys.argv[1], int(sys.argv[2])
class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"          # answers "Expect: 100-continue"
    def do_PUT(self):
        left = int(self.headers.get("Content-Length", "0"))
        name = self.path.strip("/").replace("/", "__") or "upload"
        with open(os.path.join(root, name), "wb") as f:
            while left > 0:
                chunk = self.rfile.read(min(65536, left))
                if not chunk:
                    break
                f.write(chunk)
                left -= len(chunk)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()
http.server.HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
EOF
	rec_pids+=("$!")
	local _
	for _ in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	die "the receiver on 127.0.0.1:$1 did not start (see $work/receiver.log)"
}

# ------------------------------------------------------------ conversation
# Kept in $work/turns as NUL-terminated records: "P<system prompt>",
# "R<role> <seconds of thinking before it>", "T<text>", "C<command>".

rec_turn() { # tag, body
	[ -n "$work" ] || die "call record_begin before describing the conversation"
	printf '%s%s\0' "$1" "$2" >>"$work/turns"
}

rec_text() { # text, or "-" for stdin
	if [ "$1" = - ]; then cat; else printf '%s' "$1"; fi
}

system_prompt() { # text|-
	rec_turn P "$(rec_text "$1")"
	rec_has_system=1
}

# Without a text the message has none (content null in OpenAI messages);
# it then usually carries only tool calls.
message() { # role, seconds of thinking before it, [text|-]
	[ $# -ge 2 ] || die "usage: message ROLE SECONDS [TEXT|-]"
	rec_turn R "$1 $2"
	rec_messages=$((rec_messages + 1))
	[ $# -lt 3 ] || rec_turn T "$(rec_text "$3")"
}

tool_call() { # command|-
	[ "$rec_messages" -gt 0 ] || die "tool_call needs a message before it"
	rec_turn C "$(rec_text "$1")"
}

# ---------------------------------------------------------------- the run

# format: openai (chat messages) or anthropic (Messages API);
# NAME=VALUE...: environment of the agent's shell beyond PATH and HOME,
# e.g. TZ=Europe/Berlin for a machine that keeps local time.
record_run() { # format, [NAME=VALUE...]
	local format=$1
	shift
	case $format in
	openai | anthropic) ;;
	*) die "record_run: unknown transcript format '$format'" ;;
	esac
	[ "$rec_has_system" = 1 ] || die "the conversation has no system_prompt"
	rec_write_harness
	rec_write_builder
	mkfifo "$work/tick"
	python3 "$work/transcript.py" steps "$work/turns" "$work/steps"

	# strace runs in a session of its own, so that rec_cleanup can stop the
	# whole traced tree if the script is interrupted; --default-signal
	# undoes the SIGINT/SIGQUIT that bash ignores in a background job, so
	# the agent's shell starts as it would in the foreground.
	cd /srv || die "/srv is missing"
	env -i --default-signal=INT,QUIT \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		"$@" \
		setsid strace -f -tt -y -s 256 -o "$out_dir/actions.strace" \
		bash --noprofile --norc "$work/harness.sh" "$work" \
		</dev/null >/dev/null 2>"$work/harness.err" &
	rec_tracer=$!
	wait "$rec_tracer" ||
		{ cat "$work/harness.err" >&2; die "the harness failed"; }
	rec_tracer=
	cd /

	python3 "$work/transcript.py" build "$work/turns" "$work/harness.log" \
		"$format" "$rec_name" "$out_dir/transcript.json"
	echo "record.sh: wrote $out_dir/actions.strace ($(wc -l <"$out_dir/actions.strace") lines)"
	echo "record.sh: wrote $out_dir/transcript.json"
}

# The harness runs the steps in order: "M<seconds>" waits (the model
# thinking) and notes the time of the next message; "C<command>" runs one
# tool call and notes its start, end, exit status and output.
rec_write_harness() {
	cat >"$work/harness.sh" <<'EOF'
work=$1
LC_ALL=C                  # ${#out} counts bytes
exec 8>"$work/harness.log" 9<>"$work/tick"
while IFS= read -r -d '' step; do
	case $step in
	M*)
		read -r -t "${step#M}" -u 9 _ || true
		printf 'M %s\n' "$EPOCHREALTIME" >&8
		;;
	C*)
		printf 'S %s\n' "$EPOCHREALTIME" >&8
		out=$(exec bash -c "${step#C}" 2>&1 </dev/null) && rc=0 || rc=$?
		printf 'E %s %d %d\n%s\n' "$EPOCHREALTIME" "$rc" "${#out}" "$out" >&8
		;;
	esac
done <"$work/steps"
EOF
}

# transcript.py steps TURNS STEPS: the harness's steps from the turns.
# transcript.py build TURNS LOG FORMAT NAME OUT: transcript.json from the
# turns and the harness log.
rec_write_builder() {
	cat >"$work/transcript.py" <<'EOF'
import datetime, hashlib, json, sys

def load(path):
    """The system prompt and [role, delay, text or None, [commands]]."""
    system, turns = None, []
    for rec in open(path, "rb").read().split(b"\0")[:-1]:
        tag, body = rec[:1], rec[1:].decode()
        if tag == b"P":
            system = body
        elif tag == b"R":
            role, delay = body.split(" ")
            turns.append([role, float(delay), None, []])
        elif tag == b"T":
            turns[-1][2] = body
        elif tag == b"C":
            turns[-1][3].append(body)
    return system, turns

def steps(turns, path):
    with open(path, "wb") as f:
        f.write(b"M0\0")                       # the system prompt
        for _role, delay, _text, cmds in turns:
            f.write(b"M%g\0" % delay)
            for c in cmds:
                f.write(b"C" + c.encode() + b"\0")

def read_log(path):
    """The harness log: "M <time>", "S <time>", "E <time> <rc> <bytes>" + output."""
    raw = open(path, "rb").read()
    marks, ends, i = [], [], 0
    while i < len(raw):
        j = raw.index(b"\n", i)
        f = raw[i:j].decode().split()
        i = j + 1
        if f[0] == "M":
            marks.append(f[1])
        elif f[0] == "E":
            size = int(f[3])
            ends.append((f[1], f[2], raw[i:i + size].decode("utf-8", "replace")))
            i += size + 1
    return iter(marks), iter(ends)

def iso(t):
    sec, _, frac = t.partition(".")
    d = datetime.datetime.fromtimestamp(int(sec), datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + (frac + "000")[:3] + "Z"

def make_id(name, n, prefix, length):
    """A stable id that looks like the provider's, seeded by incident and call."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    h = int.from_bytes(hashlib.sha256(b"%s:%d" % (name.encode(), n)).digest(), "big")
    s = ""
    for _ in range(length):
        h, r = divmod(h, len(alphabet))
        s += alphabet[r]
    return prefix + s

def warn_exit(n, rc):
    if rc != "0":
        print("record.sh: warning: command %d exited %s" % (n, rc), file=sys.stderr)

def openai(name, system, turns, marks, ends):
    msgs = [{"role": "system", "content": system, "timestamp": iso(next(marks))}]
    n = 0
    for role, _delay, text, cmds in turns:
        m = {"role": role, "content": text, "timestamp": iso(next(marks))}
        msgs.append(m)
        if not cmds:
            continue
        m["tool_calls"] = []
        results = []
        for c in cmds:
            n += 1
            cid = make_id(name, n, "call_", 24)
            m["tool_calls"].append({"id": cid, "type": "function", "function": {
                "name": "bash", "arguments": json.dumps({"command": c})}})
            end, rc, body = next(ends)
            warn_exit(n, rc)
            if rc != "0":
                body += "\n[exit code %s]" % rc
            results.append({"role": "tool", "tool_call_id": cid, "content": body,
                            "timestamp": iso(end)})
        msgs.extend(results)
    return msgs

def anthropic(name, system, turns, marks, ends):
    next(marks)                                # the system prompt
    msgs = []
    n = 0
    for role, _delay, text, cmds in turns:
        blocks = [{"type": "text", "text": text}] if text else []
        results = []
        end = None
        for c in cmds:
            n += 1
            tid = make_id(name, n, "toolu_01", 22)
            blocks.append({"type": "tool_use", "id": tid, "name": "bash",
                           "input": {"command": c}})
            end, rc, body = next(ends)
            warn_exit(n, rc)
            result = {"type": "tool_result", "tool_use_id": tid, "content": body}
            if rc != "0":
                result["is_error"] = True
            results.append(result)
        msgs.append({"role": role, "content": blocks, "timestamp": iso(next(marks))})
        if results:
            msgs.append({"role": "user", "content": results, "timestamp": iso(end)})
    return {"system": system, "messages": msgs}

def build(turns_path, log, fmt, name, out):
    system, turns = load(turns_path)
    marks, ends = read_log(log)
    doc = (openai if fmt == "openai" else anthropic)(name, system, turns, marks, ends)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")

if sys.argv[1] == "steps":
    steps(load(sys.argv[2])[1], sys.argv[3])
else:
    build(*sys.argv[2:7])
EOF
}
