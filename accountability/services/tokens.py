"""API tokens: created, checked, listed and revoked; only their hashes are stored."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from accountability.domain.redaction import Role, Viewer
from accountability.errors import (
    AccountabilityError,
    Forbidden,
    NotFound,
    Problem,
    ValidationFailed,
)
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services import audit
from accountability.services.jwt_auth import JwtVerifier

PREFIX = "acc"
log = logging.getLogger("accountability.tokens")


@dataclass(frozen=True)
class TokenInfo:
    id: str
    role: Role
    name: str
    created_at: str
    revoked_at: str | None


def digest(token: str) -> str:
    """The stored form of a token. Tokens are 256-bit random secrets, so a plain
    SHA-256 suffices (no password-style stretching is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class TokenService:
    """Bearer tokens for the API."""

    def __init__(
        self, db: Database, cache_s: float = 5.0, jwt_verifier: JwtVerifier | None = None
    ) -> None:
        self.db = db
        self.cache_s = cache_s
        self.jwt_verifier = jwt_verifier
        self._cache: dict[str, tuple[float, Viewer]] = {}
        #: The token generation last read from the database (revocations by any instance).
        self._gen: int | None = None
        #: Counts the times the cache was dropped: a verification read before a drop is
        #: not cached after it.
        self._epoch = 0

    async def create(self, role: Role, name: str, by: Viewer) -> tuple[str, str]:
        """A new token for ``name`` with ``role``: (token id, the token, shown once)."""
        if by.role is not Role.ADMIN:
            raise Forbidden("only an admin may create tokens")
        if not name.strip():
            raise ValidationFailed.of([Problem("name", "name the token's holder")])
        token_id = secrets.token_hex(6)
        token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"

        async def work(tx: Tx) -> None:
            await tx.run(
                Q.CREATE_TOKEN,
                id=token_id,
                hash=digest(token),
                role=role.value,
                name=name.strip(),
                now=now_iso(),
            )
            # The id and the role only: never the secret, nor its hash.
            await audit.append(
                tx, by, "create_token", [token_id], f"created a token, role {role.value.lower()}"
            )

        await self.db.write(work)
        return token_id, token

    async def authenticate(self, token: str) -> Viewer | None:
        """The holder of an active token (ours, or a JWT when an issuer is set), or None."""
        if not token.startswith(f"{PREFIX}_"):
            return self.jwt_verifier.verify(token) if self.jwt_verifier else None
        key = digest(token)
        hit = self._cache.get(key)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            return hit[1]
        epoch = self._epoch
        rows = await self.db.read(Q.FIND_TOKEN, hash=key)
        if not rows:
            self._cache.pop(key, None)
            return None
        viewer = Viewer(
            name=rows[0]["name"], role=Role(rows[0]["role"]), principal=f"token:{rows[0]['id']}"
        )
        if epoch == self._epoch:
            self._cache[key] = (now + self.cache_s, viewer)
        return viewer

    def _forget(self) -> None:
        self._cache.clear()
        self._epoch += 1

    async def poll(self) -> None:
        """Forget every verified token when the database says one was revoked since the
        last look, by whichever instance."""
        rows = await self.db.read(Q.TOKEN_GENERATION)
        gen = int(rows[0]["gen"]) if rows else 0
        if gen != self._gen:
            self._forget()
            self._gen = gen

    async def watch(self, interval_s: float, stop: asyncio.Event) -> None:
        """Poll for revocations until ``stop`` is set: caches that matter for protection
        are invalidated through the database, so N instances behave as one. Stopped by
        the event, not cancelled, so that no read is cut off mid-way (a connection
        dropped in flight is not returned to the pool)."""
        while not stop.is_set():
            try:
                await self.poll()
            except AccountabilityError:
                # The database is away: every verification will fail anyway; and cached
                # ones expire within auth_cache_s.
                log.debug("token generation unreadable; trying again", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)

    async def list(self, by: Viewer) -> list[TokenInfo]:
        if by.role is not Role.ADMIN:
            raise Forbidden("only an admin may list tokens")
        rows = await self.db.read(Q.LIST_TOKENS)
        return [
            TokenInfo(r["id"], Role(r["role"]), r["name"], r["created_at"], r["revoked_at"])
            for r in rows
        ]

    async def revoke(self, token_id: str, by: Viewer) -> None:
        if by.role is not Role.ADMIN:
            raise Forbidden("only an admin may revoke tokens")

        async def work(tx: Tx) -> None:
            if not await tx.run(Q.REVOKE_TOKEN, id=token_id, now=now_iso()):
                raise NotFound(f"no active token with id {token_id!r}")
            await audit.append(tx, by, "revoke_token", [token_id], "revoked a token")

        await self.db.write(work)
        self._forget()

    async def bootstrap(self) -> str | None:
        """On a first start with no active token, create an admin token and return it
        (to be shown once); otherwise None."""
        rows = await self.db.read(Q.COUNT_ACTIVE_TOKENS)
        if rows and rows[0]["active"]:
            return None
        admin = Viewer(name="bootstrap", role=Role.ADMIN)
        return (await self.create(Role.ADMIN, "first admin (created on first start)", admin))[1]
