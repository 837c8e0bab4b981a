"""The organisation's name, logo and colour, as e-mails and the survey page show them."""

from functools import lru_cache

from django.conf import settings
from django.templatetags.static import static


def _luminance(hex_colour: str) -> float:
    # WCAG 2.1 relative luminance.
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on the brand colour."""
    white, black = "#ffffff", "#000000"
    return white if contrast(background, white) >= contrast(background, black) else black


def brand(absolute: bool = False) -> dict:
    """Template context; `absolute` gives the logo a full URL, as an e-mail needs."""
    return dict(
        _brand(
            settings.ITPULSE_LOGO,
            settings.ITPULSE_BASE_URL if absolute else "",
            settings.ITPULSE_COLOUR,
            settings.ITPULSE_ORGANISATION,
        )
    )


@lru_cache(maxsize=16)
def _brand(logo_path: str, base_url: str, colour: str, organisation: str) -> dict:
    # Every survey page and e-mail asks; the answer changes only with the settings (the key).
    logo = static(logo_path) if logo_path else ""
    if logo and base_url and not logo.startswith(("http://", "https://")):
        logo = base_url + logo
    return {
        "organisation": organisation,
        "logo_url": logo,
        "colour": colour,
        "colour_text": text_colour_on(colour),
    }
