"""Sealed bids and the opening committee's shares: no primitive here is hand-written; this module only combines
well-kept libraries.

- One envelope scheme (ECIES) for everything sealed to a public key: an ephemeral X25519 key agreement,
  HKDF-SHA256 and AES-256-GCM, with what the envelope is for (tender, bidder or committee seat) as associated
  data, so an envelope moved elsewhere fails (`cryptography`).
- Each tender gets an X25519 key pair when it is published. Bids are sealed to its public key.
- Its private key is split k-of-n with Shamir's scheme over GF(2^128) (`pycryptodome`, which splits 16 bytes:
  the 32-byte key is split as two halves with the same indices, each half with its own random polynomial, so
  k-1 shares say nothing about either half). Each share is sealed at once to its committee member's own public
  key (generated on the member's machine), and a SHA-256 commitment to it is kept to name a wrong share at the
  opening. The private key and the plaintext shares exist only inside `make_tender_keys`.
- A bidder's receipt is the SHA-256 of its sealed bid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from Crypto.Protocol.SecretSharing import Shamir
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from homecoming.errors import RuleViolation

KEY_BYTES = 32
NONCE_BYTES = 12
HALF_BYTES = 16  # what pycryptodome's Shamir splits
SHARE_BYTES = 2 * HALF_BYTES
HKDF_INFO = b"homecoming sealed bid v1"
SHARE_INFO = b"homecoming committee share v1"
RAW = serialization.Encoding.Raw


@dataclass(frozen=True)
class Seat:
    """One member's part of a tender's key: stored as is (nothing in it opens a bid without the member's key)."""

    index: int  # 1..n
    envelope: bytes  # the share sealed to the member's public key
    commitment: str  # SHA-256 of the share (with tender and index), to recognise it at the opening


@dataclass(frozen=True)
class TenderKeys:
    """What publication produces: the public key, and one sealed share per member. Nothing here is secret."""

    public_key: bytes
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class BidContent:
    price: Decimal
    currency: str


def make_tender_keys(tender_code: str, threshold: int, member_keys: list[bytes]) -> TenderKeys:
    """A new key pair whose private key leaves this function only as shares sealed to each member's key."""
    private = X25519PrivateKey.generate()
    public = _public_bytes(private)
    secret = private.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    halves = [Shamir.split(threshold, len(member_keys), secret[i : i + HALF_BYTES]) for i in (0, HALF_BYTES)]
    seats = []
    for (index, low), (_same, high), member_key in zip(*halves, member_keys, strict=True):
        share = bytes(low) + bytes(high)
        context = _share_context(tender_code, index, member_key)
        seats.append(
            Seat(index, _seal(member_key, share, context, SHARE_INFO), share_commitment(tender_code, index, share))
        )
    del private, secret, halves  # the only copies: nothing keeps them past this call
    return TenderKeys(public, tuple(seats))


def combine_shares(tender_code: str, public_key: bytes, shares: list[tuple[int, bytes]]) -> bytes:
    """The tender's private key from k shares, checked against its public key (a wrong combination is refused)."""
    secret = b"".join(bytes(Shamir.combine([(i, s[h : h + HALF_BYTES]) for i, s in shares])) for h in (0, HALF_BYTES))
    if _public_bytes(X25519PrivateKey.from_private_bytes(secret)) != public_key:
        raise RuleViolation(
            "tender.shares_invalid",
            f"the shares given do not open tender {tender_code}: too few distinct valid shares, or a wrong one",
            {"tender": tender_code, "indices": sorted(i for i, _ in shares)},
        )
    return secret


def share_commitment(tender_code: str, index: int, share: bytes) -> str:
    return hashlib.sha256(json.dumps(["committee-share", tender_code, index]).encode() + share).hexdigest()


def member_key_pair() -> tuple[bytes, bytes]:
    """A committee member's own key pair, made on the member's machine: (private key as PEM, raw public key)."""
    private = X25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem, _public_bytes(private)


def load_member_key(pem: bytes) -> X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, X25519PrivateKey):
        raise RuleViolation("committee.key_unreadable", "the key file is not a committee member's private key (PEM)")
    return key


def public_key_of(private: X25519PrivateKey) -> bytes:
    return _public_bytes(private)


def parse_public_key(text: str) -> bytes:
    """A member's public key as registered: base64 of the 32 raw bytes (what `committee keygen` prints)."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise RuleViolation(
            "committee.public_key_invalid",
            "a member's public key is the base64 of 32 bytes, as `homecoming committee keygen` prints it",
            {"public_key": text[:80]},
        )
    return raw


def format_public_key(public_key: bytes) -> str:
    return base64.b64encode(public_key).decode()


def format_envelope(tender_code: str, index: int, envelope: bytes) -> str:
    """A sealed share as its member receives it: `<tender>:<index>:<base64>`."""
    return f"{tender_code}:{index}:{base64.b64encode(envelope).decode()}"


def unwrap_share(private: X25519PrivateKey, envelope_text: str) -> str:
    """What a member does on its own machine: its share, as the text it gives at the opening."""
    parts = envelope_text.strip().split(":")
    try:
        tender_code, index, envelope = parts[0], int(parts[1]), base64.b64decode(parts[2], validate=True)
    except (IndexError, ValueError, binascii.Error):
        raise RuleViolation(
            "committee.envelope_malformed", "a sealed share looks like '<tender>:<n>:<base64>'"
        ) from None
    context = _share_context(tender_code, index, _public_bytes(private))
    share = _open(private, envelope, context, SHARE_INFO)
    if share is None:
        raise RuleViolation(
            "committee.envelope_not_yours",
            f"share {index} of tender {tender_code} is not sealed to this key (another member's, or altered)",
            {"tender": tender_code, "index": index},
        )
    return format_share(tender_code, index, share)


def seal_bid(public_key: bytes, tender_code: str, bidder_code: str, price: Decimal, currency: str) -> bytes:
    """What a bidder's client sends: ephemeral public key | nonce | AES-GCM ciphertext of the bid."""
    plaintext = json.dumps({"price": str(price), "currency": currency}, sort_keys=True).encode()
    return _seal(public_key, plaintext, _bid_context(tender_code, bidder_code), HKDF_INFO)


def open_bid(private_key: bytes, tender_code: str, bidder_code: str, sealed: bytes) -> BidContent:
    """Decrypt one sealed bid; any change to it (or a bid moved from another tender or bidder) is refused."""
    private = X25519PrivateKey.from_private_bytes(private_key)
    plaintext = _open(private, sealed, _bid_context(tender_code, bidder_code), HKDF_INFO)
    try:
        if plaintext is None:
            raise ValueError("does not decrypt")
        data = json.loads(plaintext)
        return BidContent(Decimal(data["price"]), str(data["currency"]))
    except (ValueError, KeyError, InvalidOperation):
        raise RuleViolation(
            "tender.bid_tampered",
            f"the sealed bid of {bidder_code} in tender {tender_code} does not decrypt: it was altered",
            {"tender": tender_code, "bidder": bidder_code, "receipt": receipt_of(sealed)},
        ) from None


def key_fingerprint(public_key: bytes) -> str:
    """What the tender notice shows, so a bidder can check the key its client seals to."""
    digest = hashlib.sha256(public_key).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def receipt_of(sealed: bytes) -> str:
    return hashlib.sha256(sealed).hexdigest()


def format_share(tender_code: str, index: int, share: bytes) -> str:
    """A share as a member gives it at the opening: `<tender>:<index>:<64 hex digits>`."""
    return f"{tender_code}:{index}:{share.hex()}"


def parse_share(tender_code: str, text: str) -> tuple[int, bytes]:
    parts = text.strip().rsplit(":", 2)
    try:
        code, index, share = parts[0], int(parts[1]), bytes.fromhex(parts[2])
    except (IndexError, ValueError):
        code, index, share = "", 0, b""
    if code != tender_code or index < 1 or len(share) != SHARE_BYTES:
        raise RuleViolation(
            "tender.share_malformed",
            f"a share for tender {tender_code} looks like '{tender_code}:<n>:<64 hex digits>'",
            {"tender": tender_code},
        )
    return index, share


def _seal(recipient_public: bytes, plaintext: bytes, context: bytes, info: bytes) -> bytes:
    """ECIES: ephemeral public key | nonce | AES-GCM ciphertext, readable only with the recipient's private key."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _public_bytes(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _derive(shared, ephemeral_public, recipient_public, info)
    nonce = os.urandom(NONCE_BYTES)
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def _open(private: X25519PrivateKey, sealed: bytes, context: bytes, info: bytes) -> bytes | None:
    """The plaintext of `_seal`, or None when it was sealed to another key or context, or altered."""
    ephemeral_public, nonce = sealed[:KEY_BYTES], sealed[KEY_BYTES : KEY_BYTES + NONCE_BYTES]
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _derive(shared, ephemeral_public, _public_bytes(private), info)
        return AESGCM(key).decrypt(nonce, sealed[KEY_BYTES + NONCE_BYTES :], context)
    except (InvalidTag, ValueError):
        return None


def _derive(shared: bytes, ephemeral_public: bytes, recipient_public: bytes, info: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral_public + recipient_public, info=info)
    return hkdf.derive(shared)


def _public_bytes(private: X25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)


def _bid_context(tender_code: str, bidder_code: str) -> bytes:
    return json.dumps(["bid", tender_code, bidder_code]).encode()


def _share_context(tender_code: str, index: int, member_public: bytes) -> bytes:
    return json.dumps(["committee-share", tender_code, index, member_public.hex()]).encode()
