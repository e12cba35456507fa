"""The project's own two scripts for embeds: an embed page reports its height, the partner's
page sets the frame to it, so nobody scrolls inside a frame.

- ``HEIGHT_SCRIPT`` stands inline in every embed page (``embed/<id>.html``). It posts the
  height of the page's content to the parent window whenever it changes (a
  ``ResizeObserver``), on load, and when the parent asks. The message holds a number and
  nothing else. The page's Content Security Policy allows this script by its hash and no
  other (``csp``); the site's scan allows it the same way (``generator/checks/scan.py``).
- ``RESIZER_SCRIPT`` is published at ``embed/resize.js`` for partners; the oEmbed snippet
  loads it. It heeds a message only from the window of one of its embed frames
  (``event.source``) and only from that frame's origin, which for a frame sandboxed
  without ``allow-same-origin`` (as the snippet is) is the opaque origin ``"null"``;
  it sets no more than the frame's height, within sane bounds. Without it the frame keeps
  the snippet's fallback height and scrolls.
"""

from __future__ import annotations

import base64
import hashlib

MESSAGE_KEY = "backrackEmbedHeight"
"""The key of the height in the message an embed posts."""
ASK = "backrack-embed-height"
"""The message by which the partner's page asks an embed for its height."""

HEIGHT_SCRIPT = (
    '(function(){"use strict";var root=document.documentElement;'
    "function report(){parent.postMessage({" + MESSAGE_KEY + ":"
    'Math.ceil(root.getBoundingClientRect().height)},"*");}'
    "new ResizeObserver(report).observe(root);"
    'addEventListener("load",report);'
    'addEventListener("message",function(event){'
    'if(event.source===parent&&event.data==="' + ASK + '")report();});})();'
)
"""The inline script of every embed page (one line: its hash is its identity)."""

RESIZER_SCRIPT = (
    "/* backrack(TM) embeds: each embed frame takes the height of its content, so nobody\n"
    "   scrolls inside a frame. A message is heeded only from the window of an embed frame\n"
    "   on this page, and only from that frame's origin: the site's, or the opaque origin\n"
    '   ("null") of a frame sandboxed without allow-same-origin. It sets the height only. */\n'
    "(function () {\n"
    '  "use strict";\n'
    "  function frames() {\n"
    '    return document.querySelectorAll("iframe[data-backrack-embed]");\n'
    "  }\n"
    "  function expected(frame) {\n"
    "    var sandbox = frame.sandbox;\n"
    '    if (sandbox && sandbox.length && !sandbox.contains("allow-same-origin")) return "null";\n'
    "    return new URL(frame.src, location.href).origin;\n"
    "  }\n"
    '  addEventListener("message", function (event) {\n'
    "    var data = event.data;\n"
    f'    if (!data || typeof data.{MESSAGE_KEY} !== "number") return;\n'
    "    var list = frames();\n"
    "    for (var i = 0; i < list.length; i++) {\n"
    "      var frame = list[i];\n"
    "      if (event.source !== frame.contentWindow) continue;\n"
    "      if (event.origin !== expected(frame)) return;\n"
    f"      var height = Math.ceil(data.{MESSAGE_KEY});\n"
    '      if (height >= 50 && height <= 50000) frame.style.height = height + "px";\n'
    "      return;\n"
    "    }\n"
    "  });\n"
    "  function ask() {\n"
    "    var list = frames();\n"
    "    for (var i = 0; i < list.length; i++) {\n"
    f'      if (list[i].contentWindow) list[i].contentWindow.postMessage("{ASK}", "*");\n'
    "    }\n"
    "  }\n"
    '  if (document.readyState === "loading") addEventListener("DOMContentLoaded", ask);\n'
    "  else ask();\n"
    '  addEventListener("load", ask);\n'
    "})();\n"
)
"""The partner's script, ``embed/resize.js``."""


def source_hash(text: str) -> str:
    """Return a CSP source for an inline script or style: ``'sha256-…'`` of its UTF-8 text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


OWN_INLINE_SCRIPTS = frozenset({source_hash(HEIGHT_SCRIPT)})
"""The hashes of the inline scripts the project puts in its pages, and no other."""


def content_security_policy(css: str) -> str:
    """Return an embed page's policy: nothing from anywhere, but its own style and script."""
    return (
        "default-src 'none'; "
        f"script-src {source_hash(HEIGHT_SCRIPT)}; "
        f"style-src {source_hash(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
