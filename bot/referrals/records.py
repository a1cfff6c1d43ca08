"""Referrals' records, field names equal to column aliases (mapped by ``bot.db.rows``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Multiplier:
    """One referrer's tree, one level deep: how many they brought, stayed, took part."""

    referrer_id: int
    brought: int  # people whose seat was confirmed through one of their invites
    stayed: int  # of those, still members now
    active: int  # of those who stayed, posted, rated a preview or voted since joining


@dataclass(frozen=True, slots=True)
class ReferralLink:
    """One edge of the tree: ``user_id`` joined through ``referrer_id``'s invite."""

    user_id: int
    referrer_id: int
    joined_at: int
    member: bool
    active: bool
