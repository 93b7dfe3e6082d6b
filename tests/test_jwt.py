"""JWTs from an external identity provider (keys made here; no network)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accountability.app import create_app
from accountability.domain.redaction import Role
from accountability.graph.database import Database
from accountability.services.jwt_auth import JwtVerifier
from accountability.settings import Settings

ISSUER = "https://idp.example.org"
AUDIENCE = "accountability"


@pytest.fixture(scope="module")
def keypair() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def token(key: rsa.RSAPrivateKey, **overrides: Any) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "u-1",
        "name": "Fictional Prosecutor",
        "role": "prosecutor",
        "exp": int(time.time()) + 300,
        **overrides,
    }
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


def jwt_settings(base: Settings, key: rsa.RSAPrivateKey, folder: Path, jwks: bool) -> Settings:
    public = key.public_key()
    if jwks:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
        path = folder / "jwks.json"
        path.write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig"}]}))
        extra: dict[str, Any] = {"jwt_jwks_file": path}
    else:
        path = folder / "key.pem"
        path.write_bytes(
            public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        extra = {"jwt_key_file": path}
    return base.model_copy(update={"jwt_issuer": ISSUER, "jwt_audience": AUDIENCE, **extra})


@pytest.mark.parametrize("jwks", [False, True])
def test_verifier(
    keypair: rsa.RSAPrivateKey, settings: Settings, tmp_path: Path, jwks: bool
) -> None:
    verifier = JwtVerifier(jwt_settings(settings, keypair, tmp_path, jwks))
    viewer = verifier.verify(token(keypair))
    assert viewer is not None and (viewer.name, viewer.role) == (
        "Fictional Prosecutor",
        Role.PROSECUTOR,
    )
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for bad in (
        token(keypair, aud="someone-else"),
        token(keypair, iss="https://evil"),
        token(keypair, exp=int(time.time()) - 10),
        token(keypair, role="superuser"),
        token(keypair, role=None),
        token(other),
        "not.a.jwt",
    ):
        assert verifier.verify(bad) is None


async def test_jwt_over_http(
    keypair: rsa.RSAPrivateKey, settings: Settings, db: Database, tmp_path: Path
) -> None:
    app = create_app(jwt_settings(settings, keypair, tmp_path, jwks=True), database=db)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            ok = await client.post(
                "/graphql",
                json={"query": "{ __typename }"},
                headers={"Authorization": f"Bearer {token(keypair)}"},
            )
            assert ok.status_code == 200
            bad = await client.post(
                "/graphql",
                json={"query": "{ __typename }"},
                headers={"Authorization": f"Bearer {token(keypair, aud='x')}"},
            )
            assert bad.status_code == 401
            analyst = token(keypair, role="analyst")
            denied = await client.post(
                "/graphql",
                headers={"Authorization": f"Bearer {analyst}"},
                json={
                    "query": 'mutation { createNode(label: UNIT, properties: {name: "x"}) { id } }'
                },
            )
            assert denied.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
