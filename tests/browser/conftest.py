"""A real Chromium (Debian's /usr/bin/chromium, driven by Playwright) against the live server.

No browser is downloaded: scripts/test.sh installs Debian's chromium package when it is
missing. axe-core is vendored in tests/browser/vendor/ (licence beside it).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = os.environ.get("ITPULSE_CHROMIUM", "/usr/bin/chromium")
VENDOR = Path(__file__).parent / "vendor"
ROOT = Path(__file__).resolve().parents[2]
# Every run saves its screenshots here (ignored by git). Committed copies in docs/screenshots/
# (shown in the README) change only on request, so parallel branches never fight over PNGs.
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# Per module: Playwright's event loop must not outlive the browser tests (other tests after
# them run in this thread and must not see a running loop).
@pytest.fixture(scope="module")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"no Chromium at {CHROMIUM}: scripts/test.sh installs Debian's package as root"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must really run the browser tests
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests still touch the
    # database synchronously between browser steps, which is safe here (one thread each).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def new_page(chromium):
    contexts = []

    def make(viewport=PHONE, **options):
        context = chromium.new_context(viewport=viewport, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))
  }));
}"""


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.evaluate((VENDOR / "axe.min.js").read_text())
    violations = page.evaluate(AXE_RUN)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def screenshot(page, name: str, docs: bool = True) -> None:
    """Save the page to test-artifacts/screenshots/ and, with ITPULSE_UPDATE_SCREENSHOTS=1 and
    `docs`, to the committed docs/screenshots/."""
    folders = [SCREENSHOTS]
    if docs and os.environ.get("ITPULSE_UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS_SCREENSHOTS)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), full_page=True)


WIDE = {"width": 1440, "height": 900}


def sign_in(page, user, base_url: str, language: str = "en") -> None:
    """Sign `user` in on the page's browser context by its session cookie (no form typed, no
    password hashed) and pick the interface language with the language switch's cookie."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url},
        ]
    )


PAGE_WIDTH = """() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"""


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits: no sideways
    scrolling of the whole page; a table scrolling inside its own box does not count)."""
    return max(0, page.evaluate(PAGE_WIDTH) - page.evaluate("() => window.innerWidth"))
