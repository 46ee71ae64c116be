#!/usr/bin/env python3
"""make-eval.py — writes Inspect eval logs in JSON as one ".eval" archive,
laid out as Inspect's eval recorder lays it out, for the tests:

    _journal/start.json          {version, eval, plan}
    samples/<id>_epoch_<n>.json  one sample each
    _journal/summaries/1.json    {id, epoch, input, target, scores} per sample
    summaries.json               the same, all of them
    reductions.json              when the log has reductions
    header.json                  {version, status, eval, plan, results, stats}

Entries are deflated at level 5, in that order.  The first log gives the
header; the samples of every log given go in.  Options damage the archive
for the tests of bad input (K is a sample's 1-based place):

    --not-json K        the sample's entry holds text that is not JSON
    --bad-utf8 K        a byte 0xff in the text of the sample's first message
    --bomb K MIB        the sample's entry is MIB MiB of spaces
    --declare K BYTES   the sample's entry claims to hold BYTES bytes
                        uncompressed (in both of its headers), whatever it holds
    --truncate BYTES    the archive is cut after BYTES bytes

usage: make-eval.py [options] OUT.eval LOG.json...
"""
import json
import struct
import sys
import zipfile


def dump(value):
    return json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8")


def sample_name(sample):
    return "samples/%s_epoch_%s.json" % (sample.get("id"), sample.get("epoch"))


def summary(sample):
    keys = ("id", "epoch", "input", "target", "scores")
    return {k: sample[k] for k in keys if k in sample}


def sample_bytes(sample, place, opts):
    if opts.get("not-json") == place:
        return b'{"id": 1, "epoch": 1, "messages": [ this is not JSON'
    data = dump(sample)
    if opts.get("bad-utf8") == place:
        first = sample["messages"][0]["content"]
        text = dump(first)[1:-1]
        at = data.index(text)
        data = data[:at] + b"\xff" + data[at:]
    return data


def write_bomb(archive, name, mib):
    chunk = b" " * (1 << 20)
    with archive.open(name, "w", force_zip64=True) as out:
        for _ in range(mib):
            out.write(chunk)


def declare_size(path, name, size):
    """Writes size as the entry's uncompressed size in its local header and
    in its central directory record."""
    with zipfile.ZipFile(path) as z:
        local = z.getinfo(name).header_offset
    data = bytearray(open(path, "rb").read())
    data[local + 22:local + 26] = struct.pack("<I", size)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == name.encode():
            data[at + 24:at + 28] = struct.pack("<I", size)
        at = data.find(b"PK\x01\x02", at + 4)
    open(path, "wb").write(bytes(data))


def main(argv):
    opts, args = {}, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--not-json", "--bad-utf8", "--truncate"):
            opts[a[2:]] = int(argv[i + 1])
            i += 2
        elif a in ("--bomb", "--declare"):
            opts[a[2:]] = (int(argv[i + 1]), int(argv[i + 2]))
            i += 3
        else:
            args.append(a)
            i += 1
    if len(args) < 2:
        sys.exit(__doc__)
    out, logs = args[0], [json.load(open(p, encoding="utf-8")) for p in args[1:]]
    head = logs[0]
    samples = [s for log in logs for s in log.get("samples") or []]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=5) as z:
        z.writestr("_journal/start.json", dump({k: head[k] for k in ("version", "eval", "plan") if k in head}))
        for place, sample in enumerate(samples, 1):
            bomb = opts.get("bomb")
            if bomb and bomb[0] == place:
                write_bomb(z, sample_name(sample), bomb[1])
            else:
                z.writestr(sample_name(sample), sample_bytes(sample, place, opts))
        summaries = [summary(s) for s in samples]
        z.writestr("_journal/summaries/1.json", dump(summaries))
        z.writestr("summaries.json", dump(summaries))
        if head.get("reductions"):
            z.writestr("reductions.json", dump(head["reductions"]))
        z.writestr("header.json", dump({k: head[k] for k in
                   ("version", "status", "eval", "plan", "results", "stats", "error") if k in head}))
    if "declare" in opts:
        place, size = opts["declare"]
        declare_size(out, sample_name(samples[place - 1]), size)
    if "truncate" in opts:
        with open(out, "r+b") as f:
            f.truncate(opts["truncate"])


if __name__ == "__main__":
    main(sys.argv[1:])
