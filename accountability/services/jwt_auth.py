"""JWTs from an external identity provider, verified with PyJWT against a key or a JWKS
document from the settings; the role comes from a configurable claim."""

from __future__ import annotations

import json
from typing import Any

import jwt

from accountability.domain.redaction import Role, Viewer
from accountability.errors import EngineError
from accountability.settings import Settings


class JwtVerifier:
    """Checks signature, issuer, audience and expiry; maps the role claim to a role."""

    def __init__(self, settings: Settings) -> None:
        if settings.jwt_issuer is None or settings.jwt_audience is None:
            raise EngineError("JWTs need both ACCOUNTABILITY_JWT_ISSUER and _JWT_AUDIENCE")
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self.role_claim = settings.jwt_role_claim
        self.algorithms = settings.jwt_algorithms
        self.key: Any = None
        self.jwks: jwt.PyJWKSet | None = None
        if settings.jwt_jwks_file is not None:
            self.jwks = jwt.PyJWKSet.from_dict(json.loads(settings.jwt_jwks_file.read_text()))
        elif settings.jwt_key_file is not None:
            self.key = settings.jwt_key_file.read_text()
        else:
            raise EngineError("JWTs need ACCOUNTABILITY_JWT_KEY_FILE or _JWT_JWKS_FILE")

    def _key_for(self, token: str) -> Any:
        if self.jwks is None:
            return self.key
        kid = jwt.get_unverified_header(token).get("kid")
        for key in self.jwks.keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise jwt.InvalidKeyError("no key in the JWKS matches the token's kid")

    def verify(self, token: str) -> Viewer | None:
        """The holder of a valid token with a known role, or None."""
        try:
            claims = jwt.decode(
                token,
                self._key_for(token),
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
            role = Role(str(claims.get(self.role_claim)))
        except (jwt.PyJWTError, ValueError):
            return None
        return Viewer(
            name=str(claims.get("name") or claims["sub"]),
            role=role,
            principal=f"jwt:{claims['iss']}:{claims['sub']}",
        )


def verifier_from(settings: Settings) -> JwtVerifier | None:
    """A verifier when the settings name an issuer; None otherwise."""
    return JwtVerifier(settings) if settings.jwt_issuer else None
