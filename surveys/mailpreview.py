"""The sent-mail page shows a captured HTML mail in a sandboxed srcdoc frame, which lives under
its page's Content-Security-Policy. Mail HTML is styled inline (mail clients ignore stylesheets),
so the page allows exactly this mail's styles by their hashes ('unsafe-hashes' lets a hash match
a style attribute) and nothing else inline: no script, no other style.
"""

import base64
import hashlib
from html.parser import HTMLParser

from django.conf import settings
from django.utils.csp import CSP, build_policy

# A mail with more distinct styles than this shows the rest unstyled rather than send a header
# too long for proxies (ours have about twenty).
MAX_HASHES = 200


class _Styles(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.styles.extend(value for name, value in attrs if name == "style" and value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def style_hashes(html: str) -> list[str]:
    """CSP sources for each style attribute and <style> element of `html`, once each."""
    parser = _Styles()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(_hash(style) for style in parser.styles))[:MAX_HASHES]


def preview_policy(html: str) -> str:
    """The site's policy, with this mail's own styles allowed."""
    hashes = style_hashes(html)
    style_src: list[str] = [CSP.SELF, CSP.UNSAFE_HASHES, *hashes] if hashes else [CSP.SELF]
    return build_policy({**settings.SECURE_CSP, "style-src": style_src})
