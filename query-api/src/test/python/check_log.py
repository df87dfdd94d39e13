#!/usr/bin/env python3
"""Independent check of what a running ledger serves, from the documents alone.

Uses only the Python standard library (Ed25519 is written out from RFC 8032 below). It verifies:
  * a checkpoint note (C2SP signed-note / tlog-checkpoint) with the ledger's verifier key, and the
    witnesses' tlog-cosignature Ed25519 cosignatures (type 0x04);
  * an inclusion proof (GET /v1/log/inclusion) against that note, per RFC 9162 2.1.3.2;
  * a trust receipt (GET /v1/agents/{id}/receipt, a c2sp.org/tlog-proof@v1 file): the checkpoint,
    every entry's inclusion proof, every entry's own hash, the ledger's signed statement.

Usage: check_log.py --ledger-key VKEY [--witness-key VKEY ...]
                    [--checkpoint FILE] [--inclusion FILE] [--receipt FILE]
Prints one line per check and exits 0 only when every check passes.
"""
import argparse
import base64
import hashlib
import json
import sys

# --- Ed25519 verification (RFC 8032 section 5.1.7), cofactorless as RFC 8032 describes ---------
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _inv(x):
    return pow(x, P - 2, P)


def _recover_x(y, sign):
    xx = (y * y - 1) * _inv(D * y * y + 1) % P
    x = pow(xx, (P + 3) // 8, P)
    if (x * x - xx) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - xx) % P != 0:
        return None
    if x == 0 and sign:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = t1 * 2 * D * t2 % P
    dd = z1 * 2 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(s, point):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, point)
        point = _add(point, point)
        s >>= 1
    return q


def _encode(point):
    x, y, z, _ = point
    zi = _inv(z)
    x, y = x * zi % P, y * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _decode(b):
    if len(b) != 32:
        return None
    y = int.from_bytes(b, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        return None
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


_BY = 4 * _inv(5) % P
BASE = (_recover_x(_BY, 0), _BY, 1, _recover_x(_BY, 0) * _BY % P)


def ed25519_verify(public, message, signature):
    if len(signature) != 64:
        return False
    a = _decode(public)
    if a is None or _decode(signature[:32]) is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    x, y, z, t = _mul(h, a)
    check = _add(_mul(s, BASE), ((-x) % P, y, z, (-t) % P))
    return _encode(check) == signature[:32]


# --- signed notes, checkpoints, cosignatures ------------------------------------------------------
def parse_vkey(vkey, want_type):
    name, key_id, typed = vkey.split("+", 2)
    raw = base64.b64decode(typed)
    if raw[0] != want_type or len(raw) != 33:
        raise ValueError("verifier key %s is not of type %d" % (vkey, want_type))
    public = raw[1:]
    computed = hashlib.sha256(name.encode() + b"\n" + bytes([want_type]) + public).digest()[:4]
    if computed.hex() != key_id:
        raise ValueError("verifier key %s: key id does not match" % vkey)
    return name, computed, public


def parse_note(note):
    split = note.rindex("\n\n")
    text = note[: split + 1]
    lines = note[split + 2 :].rstrip("\n").split("\n")
    signatures = []
    for line in lines:
        if not line.startswith("\u2014 "):
            raise ValueError("malformed signature line: %r" % line)
        name, blob = line[2:].split(" ")
        signatures.append((name, base64.b64decode(blob)))
    return text, signatures


def verify_checkpoint(note, ledger_vkey, witness_vkeys):
    name, key_id, public = parse_vkey(ledger_vkey, 1)
    text, signatures = parse_note(note)
    ok = [s for s in signatures if s[0] == name and s[1][:4] == key_id]
    assert ok, "the note carries no signature of the ledger key"
    for _, blob in ok:
        assert ed25519_verify(public, text.encode(), blob[4:]), "the ledger's signature fails"
    origin, size, root = text.rstrip("\n").split("\n")
    assert origin == name, "origin %s is not the key name %s" % (origin, name)
    cosigned = []
    for w in witness_vkeys:
        wname, wid, wpub = parse_vkey(w, 4)
        for sname, blob in signatures:
            if sname == wname and blob[:4] == wid:
                timestamp = int.from_bytes(blob[4:12], "big")
                message = ("cosignature/v1\ntime %d\n" % timestamp).encode() + text.encode()
                assert ed25519_verify(wpub, message, blob[12:]), "cosignature of %s fails" % wname
                cosigned.append((wname, timestamp))
    return origin, int(size), base64.b64decode(root), cosigned


# --- RFC 9162 2.1.3.2 ------------------------------------------------------------------------------
def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf(data):
    return hashlib.sha256(b"\x00" + data).digest()


def root_from_inclusion(index, size, leaf_hash, proof):
    assert 0 <= index < size, "index outside the tree"
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        assert sn != 0, "proof too long"
        if fn & 1 or fn == sn:
            r = node(p, r)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    assert sn == 0, "proof too short"
    return r


# --- Avro: the first fields of a LedgerEntry (subject_id string, seq long) ------------------------
def read_long(b, i):
    shift = result = 0
    while True:
        byte = b[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return (result >> 1) ^ -(result & 1), i


def entry_head(entry):
    n, i = read_long(entry, 0)
    subject = entry[i : i + n].decode()
    seq, _ = read_long(entry, i + n)
    return subject, seq


def check_entry_hash(entry):
    # The entry's Avro binary ends with entry_hash as Avro bytes: length 32 (zig-zag 0x40), then it.
    assert entry[-33] == 0x40, "the entry does not end with its 32-byte hash"
    unhashed, recorded = entry[:-33], entry[-32:]
    assert hashlib.sha256(b"trustledger/v1/entry\n" + unhashed).digest() == recorded, "entry hash"


def verify_receipt(text, ledger_vkey, witness_vkeys):
    lines = text.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1", "not a tlog-proof"
    assert lines[1].startswith("extra ") and lines[2].startswith("index ")
    extra = json.loads(base64.b64decode(lines[1][6:]))
    index = int(lines[2][6:])
    proof = []
    i = 3
    while lines[i] != "":
        proof.append(base64.b64decode(lines[i]))
        i += 1
    note = "\n".join(lines[i + 1 :])
    origin, size, root, cosigned = verify_checkpoint(note, ledger_vkey, witness_vkeys)
    entries = extra["entries"]
    assert entries[0]["index"] == index, "the first entry is not the proof's"
    assert root_from_inclusion(index, size, leaf(base64.b64decode(entries[0]["entry"])), proof) == root
    for e in entries:
        data = base64.b64decode(e["entry"])
        check_entry_hash(data)
        hashes = [base64.b64decode(h) for h in e["proof"]]
        assert root_from_inclusion(e["index"], size, leaf(data), hashes) == root, "entry proof"
    _, _, ledger_public = parse_vkey(ledger_vkey, 1)
    statement = extra["statement"]
    assert ed25519_verify(
        ledger_public, b"trustledger/v1/receipt\n" + statement.encode(),
        base64.b64decode(extra["signature"])), "the ledger's statement is not signed by it"
    fields = [line.split(" ") for line in statement.rstrip("\n").split("\n")]
    checkpoint_line = [f for f in fields if f[0] == "checkpoint"][0]
    assert checkpoint_line[1:] == [origin, str(size), base64.b64encode(root).decode()]
    subject = [f for f in fields if f[0] == "subject"][0][1]
    latest = [f for f in fields if f[0] == "latest"]
    for f, e in zip(latest, entries):
        data = base64.b64decode(e["entry"])
        who, _ = entry_head(data)
        assert who == f[1] and int(f[2]) == e["index"] and data[-32:].hex() == f[3], "statement"
    who, seq = entry_head(base64.b64decode(entries[0]["entry"]))
    assert who == subject
    return subject, seq, size, cosigned


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ledger-key", required=True)
    parser.add_argument("--witness-key", action="append", default=[])
    parser.add_argument("--checkpoint")
    parser.add_argument("--inclusion")
    parser.add_argument("--receipt")
    args = parser.parse_args()
    if args.checkpoint:
        origin, size, root, cosigned = verify_checkpoint(
            open(args.checkpoint, encoding="utf-8").read(), args.ledger_key, args.witness_key)
        assert len(cosigned) == len(args.witness_key), "not every witness cosigned"
        print("checkpoint ok: %s size %d, cosigned by %s" % (origin, size, [c[0] for c in cosigned]))
    if args.inclusion:
        p = json.load(open(args.inclusion, encoding="utf-8"))
        origin, size, root, _ = verify_checkpoint(p["checkpoint"], args.ledger_key, [])
        computed = root_from_inclusion(
            p["ledger_seq"], size, bytes.fromhex(p["leaf_hash"]), [bytes.fromhex(h) for h in p["proof"]])
        assert size == p["tree_size"] and computed == root, "the inclusion proof fails"
        print("inclusion ok: ledger_seq %d in %s size %d" % (p["ledger_seq"], origin, size))
    if args.receipt:
        subject, seq, size, cosigned = verify_receipt(
            open(args.receipt, encoding="utf-8").read(), args.ledger_key, args.witness_key)
        assert len(cosigned) == len(args.witness_key), "not every witness cosigned the receipt"
        print("receipt ok: %s seq %d in a tree of size %d, cosigned by %s"
              % (subject, seq, size, [c[0] for c in cosigned]))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, ValueError, KeyError, IndexError) as e:
        print("FAILED: %s" % e)
        sys.exit(1)
