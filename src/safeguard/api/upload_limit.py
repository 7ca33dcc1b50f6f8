"""A limit on request bodies (``SAFEGUARD_MAX_UPLOAD_MB``), enforced while the body streams in:
a declared length above it is refused before a byte is read, and a body that goes over it
(chunked, or lying about its length) is cut off there. Either way the answer is 413 with a
sentence, and the server never holds more than the limit of one request."""

from __future__ import annotations

import html
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _TooLarge(Exception):
    """The body went over the limit while streaming in."""


class UploadLimit:
    """Pure ASGI middleware (so the body is never read ahead of the limit check)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def message(self) -> str:
        mb = self.max_bytes / 1024 / 1024
        return (
            f"The file is larger than this server accepts ({mb:g} MB, SAFEGUARD_MAX_UPLOAD_MB); "
            "split it into smaller files and send each."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen, started, over = 0, False, False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over:  # whatever the app made of the cut-off body is replaced by the 413
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            pass
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        text = self.message()
        if str(scope.get("path", "")).startswith("/api/"):
            body = json.dumps({"error": {"status": 413, "message": text}}).encode()
            kind = b"application/json"
        else:
            body = (
                '<!doctype html><html lang="en"><title>File too large</title>'
                f"<main><h1>File too large</h1><p>{html.escape(text)}</p></main></html>"
            ).encode()
            kind = b"text/html; charset=utf-8"
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]  # fmt: skip
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
