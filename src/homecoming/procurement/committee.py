"""The opening committee: members with keys of their own, publication that seals each share to its member, and
the opening, to which members give their shares one at a time after the deadline.

Nobody but the members ever holds a share: publication seals each share to its member's public key and keeps
only the envelope and a commitment; a share given at the opening is kept until the k-th arrives, which opens
the bids in the same transaction and wipes every given share. At no moment does the database (or any answer,
log or audit entry) hold k shares, and before the deadline it holds none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from homecoming.accounts.models import User
from homecoming.accounts.permissions import allowed_roles
from homecoming.accounts.roles import Role
from homecoming.errors import Conflict, Forbidden, NotFound, RuleViolation
from homecoming.procurement import sealing, service
from homecoming.procurement.models import Bid, Bidder, BidStatus, CommitteeMember, CommitteeSeat, Tender, TenderStatus
from homecoming.procurement.schemas import Committee, CommitteeMemberCreate

RUNS_OPENINGS = allowed_roles(Role.PROCUREMENT_OFFICER)  # the office (admins always): procurement.actions too


@dataclass(frozen=True)
class SeatView:
    """A seat as the publisher and the member see it: nothing in it opens a bid without the member's own key."""

    member: str
    share_index: int
    member_key_fingerprint: str
    sealed_share: str  # `<tender>:<index>:<base64>`, for `homecoming committee unwrap`
    given: bool  # the member gave its share at this opening (wiped once the opening is done)


@dataclass(frozen=True)
class Opening:
    """Where an opening stands after a share is given."""

    tender: Tender
    given: int
    needed: int

    @property
    def opened(self) -> bool:
        return self.tender.opened_at is not None


def register_member(session: Session, data: CommitteeMemberCreate) -> CommitteeMember:
    public_key = sealing.parse_public_key(data.public_key)
    if session.scalars(select(CommitteeMember.id).where(CommitteeMember.name == data.name)).first() is not None:
        raise Conflict(
            "committee.duplicate_name", f"a committee member named {data.name!r} exists already", {"name": data.name}
        )
    if session.scalars(select(CommitteeMember.id).where(CommitteeMember.public_key == public_key)).first():
        raise Conflict(
            "committee.duplicate_key",
            "this public key is registered already: each member makes its own key pair",
            {"fingerprint": sealing.key_fingerprint(public_key)},
        )
    user_id = None
    if data.username is not None:
        user = session.scalars(select(User).where(User.username == data.username)).one_or_none()
        if user is None:
            raise NotFound("users.not_found", f"no account {data.username!r}", {"username": data.username})
        user_id = user.id
    member = CommitteeMember(name=data.name, public_key=public_key, user_id=user_id)
    session.add(member)
    session.flush()
    return member


def members(session: Session) -> list[CommitteeMember]:
    return list(session.scalars(select(CommitteeMember).order_by(CommitteeMember.name)))


def member_named(session: Session, name: str) -> CommitteeMember:
    member = session.scalars(select(CommitteeMember).where(CommitteeMember.name == name)).one_or_none()
    if member is None:
        raise NotFound(
            "committee.member_unknown",
            f"no committee member named {name!r}: register the member's public key first (`committee add`)",
            {"member": name},
        )
    return member


def publish_tender(
    session: Session, code: str, committee: Committee, clock: service.Clock = service.utc_now
) -> list[SeatView]:
    """Open the tender for enquiries and bids: a new key pair whose private key survives only as the members'
    sealed shares. The answer holds no share, only each member's sealed one."""
    tender, now = service.get_tender(session, code), service.server_now(clock)
    if tender.status is TenderStatus.DRAFT and now >= tender.enquiry_end:
        raise RuleViolation(
            "tender.deadline_passed",
            f"tender {code} cannot be published: its enquiry deadline {tender.enquiry_end:%Y-%m-%d %H:%M} UTC "
            "has passed; set later deadlines",
            {"tender": code, "now": now.isoformat()},
        )
    chosen = [member_named(session, name) for name in committee.members]
    service.move(tender, TenderStatus.ENQUIRIES)
    keys = sealing.make_tender_keys(code, committee.threshold, [m.public_key for m in chosen])
    tender.public_key, tender.opening_threshold, tender.published_at = keys.public_key, committee.threshold, now
    for member, seat in zip(chosen, keys.seats, strict=True):
        session.add(
            CommitteeSeat(
                tender_id=tender.id,
                member_id=member.id,
                share_index=seat.index,
                sealed_share=seat.envelope,
                share_sha256=seat.commitment,
            )
        )
    session.flush()
    return seat_views(session, tender)


def seats_of(session: Session, tender: Tender) -> list[tuple[CommitteeSeat, CommitteeMember]]:
    query = (
        select(CommitteeSeat, CommitteeMember)
        .join(CommitteeMember, CommitteeSeat.member_id == CommitteeMember.id)
        .where(CommitteeSeat.tender_id == tender.id)
        .order_by(CommitteeSeat.share_index)
    )
    return [(seat, member) for seat, member in session.execute(query)]


def seat_views(session: Session, tender: Tender, viewer: User | None = None) -> list[SeatView]:
    """The seats a viewer may see: the office all of them, a member's account only its own."""
    return [
        SeatView(
            member.name,
            seat.share_index,
            sealing.key_fingerprint(member.public_key),
            sealing.format_envelope(tender.code, seat.share_index, seat.sealed_share),
            seat.share_given is not None,
        )
        for seat, member in seats_of(session, tender)
        if viewer is None or viewer.role in RUNS_OPENINGS or member.user_id == viewer.id
    ]


def sealed_share_for(session: Session, code: str, public_key: bytes) -> str:
    """The sealed share of the member holding this key (what `committee unwrap --tender` reads)."""
    tender = service.get_tender(session, code)
    for seat, member in seats_of(session, tender):
        if member.public_key == public_key:
            return sealing.format_envelope(code, seat.share_index, seat.sealed_share)
    raise NotFound(
        "committee.no_seat",
        f"the key with fingerprint {sealing.key_fingerprint(public_key)} has no seat on the committee of {code}",
        {"tender": code},
    )


def give_share(
    session: Session, code: str, share_text: str, clock: service.Clock = service.utc_now, giver: User | None = None
) -> Opening:
    """A member gives its share, after the deadline only. Each is checked against its commitment; the k-th opens
    every bid at once (too few bids: the tender is unsuccessful). `giver` None is the server's console."""
    tender, now = service.get_tender(session, code), service.server_now(clock)
    seats = seats_of(session, tender)
    _check_giver(giver, code, [member for _seat, member in seats])
    if tender.status not in {TenderStatus.ENQUIRIES, TenderStatus.TENDERING}:
        service.move(tender, TenderStatus.OPENING)  # refused: names the current status
    if now < tender.tender_end:
        raise RuleViolation(
            "tender.opening_before_deadline",
            f"bids for {code} can be opened only after {tender.tender_end:%Y-%m-%d %H:%M} UTC; shares are "
            "taken from then on",
            {"tender": code, "deadline": tender.tender_end.isoformat(), "now": now.isoformat()},
        )
    index, share = sealing.parse_share(code, share_text)
    seat, member = next(((s, m) for s, m in seats if s.share_index == index), (None, None))
    if seat is None or member is None or seat.share_sha256 != sealing.share_commitment(code, index, share):
        raise RuleViolation(
            "tender.share_invalid",
            f"share {index} of tender {code} is not the one sealed to its committee member",
            {"tender": code, "index": index},
        )
    _check_giver(giver, code, [member])
    if seat.share_given is not None:
        raise Conflict("tender.share_already_given", f"share {index} of {code} was given already", {"index": index})
    needed = tender.opening_threshold or 0
    given = [(s.share_index, s.share_given) for s, _m in seats if s.share_given is not None] + [(index, share)]
    seat.given_at = now
    flag_modified(tender, "opening_threshold")  # a new version: two members giving at once cannot both be stored
    bids = service.bids_of(session, tender)
    if len(bids) < tender.min_bids:
        service.close_tendering(tender, TenderStatus.UNSUCCESSFUL)
        tender.closed_at, tender.close_reason = now, f"too few bids: {len(bids)} of {tender.min_bids} required"
        service.forget_given_shares(session, tender)
    elif len(given) < needed:
        seat.share_given = share
    else:
        private_key = sealing.combine_shares(code, tender.public_key or b"", given)
        service.forget_given_shares(session, tender)
        _open_every_bid(tender, bids, private_key, now)
    session.flush()
    return Opening(tender, len(given), needed)


def _check_giver(giver: User | None, code: str, allowed: list[CommitteeMember]) -> None:
    if giver is None or giver.role in RUNS_OPENINGS or any(m.user_id == giver.id for m in allowed):
        return
    raise Forbidden(
        "committee.not_your_seat",
        f"the account {giver.username} holds no seat of this share on the committee of {code}",
        {"tender": code, "username": giver.username},
    )


def _open_every_bid(tender: Tender, bids: list[tuple[Bid, Bidder]], private_key: bytes, now: dt.datetime) -> None:
    service.close_tendering(tender, TenderStatus.OPENING)
    for bid, bidder in bids:
        if sealing.receipt_of(bid.sealed) != bid.receipt:
            raise RuleViolation(
                "tender.bid_tampered",
                f"the sealed bid of {bidder.code} no longer matches its receipt: it was altered",
                {"tender": tender.code, "bidder": bidder.code, "receipt": bid.receipt},
            )
        content = sealing.open_bid(private_key, tender.code, bidder.code, bid.sealed)
        bid.opened_price, bid.status = float(content.price), BidStatus.OPENED
        if content.currency != tender.currency:
            bid.status = BidStatus.DISQUALIFIED
            bid.disqualification_reason = f"priced in {content.currency}; the tender asks for {tender.currency}"
    tender.opened_at = now
