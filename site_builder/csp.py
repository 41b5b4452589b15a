"""The Content-Security-Policy every page carries: no inline script, nothing from elsewhere.

Scripts, styles and the search index come from the site itself; inline `style`
attributes are allowed (the charts size themselves with one). Under `serve`, pages also
run the one inline script livereload injects, allowed by its hash.
"""

from __future__ import annotations

import base64
import hashlib

# The inline script livereload 2.7 injects into every HTML page it serves, as
# `Server.application` builds it when no separate live-reload port is used.
# tests/test_serve.py checks it against what the server really injects.
LIVERELOAD_SCRIPT = (
    "(function(){"
    'var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port'
    '+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);"
    "})();"
)


def script_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(serving: bool) -> str:
    """The policy for the site's pages; `serving` adds livereload's inline script."""
    scripts = "'self'" + (" " + script_hash(LIVERELOAD_SCRIPT) if serving else "")
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'"
    )
