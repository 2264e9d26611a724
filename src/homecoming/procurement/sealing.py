"""Sealed bids: no primitive here is hand-written; this module only combines well-kept libraries.

- Each tender gets an X25519 key pair when it is published (`cryptography`).
- A bid is sealed to the tender's public key: an ephemeral X25519 key agreement, HKDF-SHA256 and AES-256-GCM,
  with the tender and bidder codes as associated data (a sealed bid moved to another tender or bidder fails).
- The private key is kept only wrapped (AES-GCM) under a random 16-byte key-encryption key (KEK); the KEK is
  split k-of-n among the opening committee with Shamir's scheme (`pycryptodome`) and then forgotten.
- A bidder's receipt is the SHA-256 of its sealed bid.
"""

from __future__ import annotations

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
KEK_BYTES = 16  # what pycryptodome's Shamir splits
HKDF_INFO = b"homecoming sealed bid v1"
RAW = serialization.Encoding.Raw


@dataclass(frozen=True)
class TenderKeys:
    """What publication produces: the public key and wrapped private key to store, and the shares to hand out."""

    public_key: bytes
    wrapped_private_key: bytes
    shares: tuple[tuple[int, bytes], ...]  # (index 1..n, 16-byte share); never stored


@dataclass(frozen=True)
class BidContent:
    price: Decimal
    currency: str


def make_tender_keys(tender_code: str, threshold: int, members: int) -> TenderKeys:
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    secret = private.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    kek = AESGCM.generate_key(bit_length=KEK_BYTES * 8)
    nonce = os.urandom(NONCE_BYTES)
    wrapped = nonce + AESGCM(kek).encrypt(nonce, secret, _wrap_context(tender_code))
    shares = tuple((index, bytes(share)) for index, share in Shamir.split(threshold, members, kek))
    return TenderKeys(public, wrapped, shares)


def unwrap_private_key(tender_code: str, wrapped: bytes, shares: list[tuple[int, bytes]]) -> bytes:
    """The tender's private key from k shares; wrong or too few shares are refused (the GCM tag says so)."""
    kek = Shamir.combine(shares)
    try:
        return AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_context(tender_code))
    except InvalidTag:
        raise RuleViolation(
            "tender.shares_invalid",
            f"the shares given do not open tender {tender_code}: too few distinct valid shares, or a wrong one",
            {"tender": tender_code, "indices": sorted(i for i, _ in shares)},
        ) from None


def seal_bid(public_key: bytes, tender_code: str, bidder_code: str, price: Decimal, currency: str) -> bytes:
    """What a bidder's client sends: ephemeral public key | nonce | AES-GCM ciphertext of the bid."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    key = _bid_key(ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key)), ephemeral_public, public_key)
    nonce = os.urandom(NONCE_BYTES)
    plaintext = json.dumps({"price": str(price), "currency": currency}, sort_keys=True).encode()
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, plaintext, _bid_context(tender_code, bidder_code))


def open_bid(private_key: bytes, tender_code: str, bidder_code: str, sealed: bytes) -> BidContent:
    """Decrypt one sealed bid; any change to it (or a bid moved from another tender or bidder) is refused."""
    ephemeral_public = sealed[:KEY_BYTES]
    nonce = sealed[KEY_BYTES : KEY_BYTES + NONCE_BYTES]
    private = X25519PrivateKey.from_private_bytes(private_key)
    own_public = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _bid_key(shared, ephemeral_public, own_public)
        plaintext = AESGCM(key).decrypt(
            nonce, sealed[KEY_BYTES + NONCE_BYTES :], _bid_context(tender_code, bidder_code)
        )
        data = json.loads(plaintext)
        return BidContent(Decimal(data["price"]), str(data["currency"]))
    except (InvalidTag, ValueError, KeyError, InvalidOperation):
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


def share_digest(share: bytes) -> str:
    return hashlib.sha256(share).hexdigest()


def format_share(tender_code: str, index: int, share: bytes) -> str:
    """A share as a committee member keeps it: `<tender>:<index>:<hex>`."""
    return f"{tender_code}:{index}:{share.hex()}"


def parse_share(tender_code: str, text: str) -> tuple[int, bytes]:
    parts = text.strip().rsplit(":", 2)
    try:
        code, index, share = parts[0], int(parts[1]), bytes.fromhex(parts[2])
    except (IndexError, ValueError):
        code, index, share = "", 0, b""
    if code != tender_code or index < 1 or len(share) != KEK_BYTES:
        raise RuleViolation(
            "tender.share_malformed",
            f"a share for tender {tender_code} looks like '{tender_code}:<n>:<32 hex digits>'",
            {"tender": tender_code},
        )
    return index, share


def _bid_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral_public + recipient_public, info=HKDF_INFO)
    return hkdf.derive(shared)


def _bid_context(tender_code: str, bidder_code: str) -> bytes:
    return json.dumps(["bid", tender_code, bidder_code]).encode()


def _wrap_context(tender_code: str) -> bytes:
    return json.dumps(["tender-key", tender_code]).encode()
