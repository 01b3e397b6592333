#!/usr/bin/env python3
"""Verifies the chain of an exported msix event log (docs/event-log.md, "The chain"), stdlib only.
Usage: verify-chain.py [LOG]  (standard input without LOG). Prints "ok N events" and exits 0, or
prints the first broken line (1-based), its position and why, and exits 1."""
import hashlib, json, sys

def unique(pairs):  # a repeated key would let readers disagree on a value that the hash covers once
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice in one object")
    return dict(pairs)

def problem(line, heads):
    env = dict(line["envelope"])
    claimed, seq, prev = env.pop("hash"), env["sequence"], env["prev"]
    del env["position"]  # assigned by the store after hashing, so not covered
    text = json.dumps({**line, "envelope": env}, sort_keys=True, separators=(",", ":"))
    last_seq, last_hash = heads.get(line["device"], (-1, "0" * 64))
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != claimed:
        return "its hash does not match its content"
    if prev != last_hash:
        return "its prev is not the hash of the device's previous event"
    if seq != last_seq + 1:
        return f"its sequence {seq} does not follow the device's previous {last_seq}"
    heads[line["device"]] = (seq, claimed)

heads, count = {}, 0
with open(sys.argv[1], encoding="utf-8") if len(sys.argv) > 1 else sys.stdin as log:
    for count, text in enumerate(log, 1):
        try:
            line = json.loads(text, object_pairs_hook=unique)
            why = problem(line, heads)
        except (ValueError, KeyError, TypeError) as e:
            line, why = {}, f"not a log line ({type(e).__name__}: {e})"
        if why:
            position = line.get("envelope", {}).get("position")
            print(f"line {count} (position {position}, device {line.get('device')}): {why}")
            sys.exit(1)
print(f"ok {count} events")
