"""Administration through the API, for admins: tokens and the audit chain's check. The
command line does the same (accountability token …, accountability audit verify)."""

from __future__ import annotations

import strawberry

from accountability.api.context import Info
from accountability.api.types.enums import Role
from accountability.services.tokens import TokenInfo


@strawberry.type(description="An API token (its secret is never shown again).")
class ApiToken:
    id: strawberry.ID
    role: Role
    name: str = strawberry.field(description="Who holds it.")
    created_at: str
    revoked_at: str | None = strawberry.field(description="Null while the token is active.")

    @classmethod
    def of(cls, t: TokenInfo) -> ApiToken:
        return cls(
            id=strawberry.ID(t.id),
            role=t.role,
            name=t.name,
            created_at=t.created_at,
            revoked_at=t.revoked_at,
        )


@strawberry.type(description="A token just created: the secret is in this answer only.")
class CreatedToken:
    id: strawberry.ID
    role: Role
    name: str
    token: str = strawberry.field(
        description="The bearer token itself, shown once: only its hash is stored."
    )


@strawberry.type(description="The audit log's hash chain, checked entry by entry.")
class AuditVerification:
    checked: int = strawberry.field(description="Entries read.")
    intact: bool
    broken_at: int | None = strawberry.field(description="The first entry that does not hold.")
    reason: str | None
    head_seq: int = strawberry.field(description="The last entry's number.")
    head_hash: str = strawberry.field(
        description="The last entry's hash: record it outside the database to detect a "
        "rewritten chain later."
    )


@strawberry.type
class AdminQuery:
    @strawberry.field(description="Every API token, active and revoked (admins only).")
    async def tokens(self, info: Info) -> list[ApiToken]:
        ctx = info.context
        return [ApiToken.of(t) for t in await ctx.services.tokens.list(ctx.viewer)]

    @strawberry.field(description="Check the audit log's whole hash chain (admins only).")
    async def audit_verification(self, info: Info) -> AuditVerification:
        ctx = info.context
        checked, broken = await ctx.services.audit.verify_for(ctx.viewer)
        seq, digest = await ctx.services.audit.head()
        return AuditVerification(
            checked=checked,
            intact=broken is None,
            broken_at=broken.seq if broken else None,
            reason=broken.reason if broken else None,
            head_seq=seq,
            head_hash=digest,
        )


@strawberry.type
class AdminMutation:
    @strawberry.mutation(
        description="Create a token for a person or an app with a role (admins only); the "
        "answer holds the token, which is never shown again."
    )
    async def create_token(self, info: Info, role: Role, name: str) -> CreatedToken:
        ctx = info.context
        token_id, token = await ctx.services.tokens.create(role, name, ctx.viewer)
        return CreatedToken(id=strawberry.ID(token_id), role=role, name=name.strip(), token=token)

    @strawberry.mutation(
        description="Revoke a token (admins only); it stops working within the service's "
        "authentication cache time."
    )
    async def revoke_token(self, info: Info, id: strawberry.ID) -> bool:
        ctx = info.context
        await ctx.services.tokens.revoke(str(id), ctx.viewer)
        return True
