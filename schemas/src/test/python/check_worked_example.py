#!/usr/bin/env python3
"""Independent re-implementation of the wire contract, checked against the worked example.

Uses only the Python standard library and `cryptography` (for Ed25519). It encodes
UnsignedEvent by hand from schemas/README.md, so it checks the documentation as much as
the Java code. Usage: python3 check_worked_example.py [path/to/worked_example.json]
"""
import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def zigzag(n):
    n = (n << 1) ^ (n >> 63)
    out = bytearray()
    while n & ~0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def avro_bytes(b):
    return zigzag(len(b)) + b


def avro_string(s):
    return avro_bytes(s.encode("utf-8"))


def principal_id(prefix, key):
    digest = hashlib.sha256(key).digest()[:20]
    return prefix + base64.b32encode(digest).decode().rstrip("=").lower()


def main(path):
    ex = json.load(open(path))
    admin_pk = bytes.fromhex(ex["admin_public_key"])
    sponsor_pk = bytes.fromhex(ex["sponsor_public_key"])
    ledger_pk = bytes.fromhex(ex["ledger_public_key"])
    assert principal_id("adm_", admin_pk) == ex["admin_id"]
    assert principal_id("spn_", sponsor_pk) == ex["sponsor_id"]
    assert principal_id("ldg_", ledger_pk) == ex["ledger_id"]

    # UnsignedEvent: event_id, subject_id, issued_at, signer_id, payload (union branch 0 =
    # SponsorRegistered{public_key, name, contact}).
    unsigned = (
        avro_string(ex["event_id"])
        + avro_string(ex["sponsor_id"])
        + zigzag(ex["issued_at"])
        + avro_string(ex["admin_id"])
        + zigzag(0)
        + avro_bytes(sponsor_pk)
        + avro_string("Example Org")
        + avro_string("ops@example.org")
    )
    assert unsigned.hex() == ex["unsigned_event_avro"], "UnsignedEvent encoding differs"
    signing = b"trustledger/v1/event\n" + unsigned
    assert signing.hex() == ex["signing_bytes"]
    assert hashlib.sha256(signing).hexdigest() == ex["event_hash"]
    Ed25519PublicKey.from_public_bytes(admin_pk).verify(bytes.fromhex(ex["signature"]), signing)
    Ed25519PublicKey.from_public_bytes(sponsor_pk).verify(
        bytes.fromhex(ex["pop_signature"]), signing
    )

    signed = unsigned + avro_bytes(bytes.fromhex(ex["signature"])) + zigzag(1) + avro_bytes(
        bytes.fromhex(ex["pop_signature"])
    )
    assert signed.hex() == ex["signed_event_avro"]

    # UnhashedLedgerEntry: subject_id, seq, prev_hash, ledger_time, ledger_seq, event (branch 0 =
    # SignedEvent), facts{signer_public_key (branch 1), signer_kind (branch 1, ADMIN=0),
    # positive_weight (null), negative_weight (null), status_after (ACTIVE=0), trust_after (null)}.
    facts = zigzag(1) + avro_bytes(admin_pk) + zigzag(1) + zigzag(0) + zigzag(0) + zigzag(0)
    facts += zigzag(0) + zigzag(0)
    unhashed = (
        avro_string(ex["sponsor_id"])
        + zigzag(0)
        + avro_bytes(bytes(32))
        + zigzag(ex["ledger_time"])
        + zigzag(0)  # ledger_seq
        + zigzag(0)  # event branch 0: SignedEvent
        + signed
        + facts
    )
    assert unhashed.hex() == ex["unhashed_entry_avro"], "UnhashedLedgerEntry encoding differs"
    entry_hash = hashlib.sha256(b"trustledger/v1/entry\n" + unhashed).digest()
    assert entry_hash.hex() == ex["entry_hash"]
    # The entry's Avro binary is the UnhashedLedgerEntry followed by entry_hash as Avro bytes.
    entry_avro = unhashed + avro_bytes(entry_hash)
    assert entry_avro.hex() == ex["entry_avro"]
    leaf = hashlib.sha256(b"\x00" + entry_avro).digest()
    assert leaf.hex() == ex["leaf_hash"]
    root1 = leaf  # a tree of one leaf
    assert root1.hex() == ex["root_1"]

    name = ex["note_key_name"]
    key_id = hashlib.sha256(name.encode() + b"\n" + b"\x01" + ledger_pk).digest()[:4]
    assert key_id.hex() == ex["note_key_id"]
    body = "%s\n1\n%s\n" % (name, base64.b64encode(root1).decode())
    note = ex["checkpoint_note"]
    assert note.startswith(body + "\n")
    line = note[len(body) + 1 :]
    assert line.startswith("\u2014 " + name + " ") and line.endswith("\n")
    blob = base64.b64decode(line.rstrip("\n").split(" ")[2])
    assert blob[:4] == key_id
    Ed25519PublicKey.from_public_bytes(ledger_pk).verify(blob[4:], body.encode())
    print("worked example verified independently")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "schemas/src/test/resources/vectors/contract/worked_example.json")
