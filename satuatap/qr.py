"""QR codes as inline SVG, for tickets, bookings and printed service standards."""

from __future__ import annotations

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no XML declaration, so it can sit in HTML)."""
    image = qrcode.make(data, image_factory=SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")
