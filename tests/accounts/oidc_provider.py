"""A small OpenID Connect provider on loopback, for testing single sign-on end to end.

It implements the authorization code flow with PKCE as a provider such as Entra ID does:
discovery, /authorize (signing in whoever the test chose, at once), /token (an RS256 ID
token from a key made for the test run), /jwks and /userinfo. The app talks to it over real
HTTP; nothing is mocked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "csp-tracker-test"
CLIENT_SECRET = secrets.token_urlsafe(16)


@dataclass
class Provider:
    url: str = ""
    # Who the provider signs in next: the claims it vouches for.
    claims: dict = field(default_factory=dict)
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    codes: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = "test-key-1"

    def settings(self) -> dict:
        return {
            "OIDC_ENABLED": True,
            "OIDC_PROVIDER_NAME": "Test Council account",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_ISSUER": self.url,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
        }

    def sign_in_as(self, email: str, *, verified: bool = True, amr=("pwd",)) -> None:
        self.claims = {"sub": hashlib.sha256(email.encode()).hexdigest()[:20],
                       "email": email, "email_verified": verified, "name": "Someone"}  # fmt: skip
        self.amr = list(amr)

    # --- Endpoints ---------------------------------------------------------------------------

    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {}, b"unknown client or response type"
        if "openid" not in query.get("scope", "").split():
            return 400, {}, b"openid scope missing"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**query, "claims": dict(self.claims), "amr": list(self.amr)}
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, {"Location": target}, b""

    def token(self, form: dict) -> tuple[int, dict, bytes]:
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
            or not _pkce_ok(form.get("code_verifier", ""), grant)
        ):
            return 400, {}, json.dumps({"error": "invalid_grant"}).encode()
        now = int(time.time())
        id_token = jwt.encode(
            {"iss": self.url, "aud": CLIENT_ID, "sub": grant["claims"]["sub"], "iat": now,
             "exp": now + 300, "nonce": grant.get("nonce"), "amr": grant["amr"]},
            self.key, algorithm="RS256", headers={"kid": self.kid},
        )  # fmt: skip
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = grant["claims"]
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300,
                "id_token": id_token}  # fmt: skip
        return 200, {}, json.dumps(body).encode()

    def jwks(self) -> tuple[int, dict, bytes]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return 200, {}, json.dumps({"keys": [jwk]}).encode()

    def userinfo(self, authorization: str) -> tuple[int, dict, bytes]:
        claims = self.tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {}, b""
        return 200, {}, json.dumps(claims).encode()

    def discovery(self) -> tuple[int, dict, bytes]:
        names = ("authorization", "token", "userinfo")
        body = {"issuer": self.url, "jwks_uri": f"{self.url}/jwks",
                **{f"{n}_endpoint": f"{self.url}/{n.replace('authorization', 'authorize')}"
                   for n in names}}  # fmt: skip
        return 200, {}, json.dumps(body).encode()


def _pkce_ok(verifier: str, grant: dict) -> bool:
    challenge = grant.get("code_challenge")
    if challenge is None:
        return True
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


def serve(provider: Provider) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def _answer(self, answer: tuple[int, dict, bytes]) -> None:
            status, headers, body = answer
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            routes = {
                "/authorize": lambda: provider.authorize(query),
                "/jwks": provider.jwks,
                "/userinfo": lambda: provider.userinfo(self.headers.get("Authorization", "")),
                "/.well-known/openid-configuration": provider.discovery,
            }
            self._answer(routes.get(parts.path, lambda: (404, {}, b""))())

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            self._answer(provider.token(form) if self.path == "/token" else (404, {}, b""))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
