"""Colour arithmetic for "is this text readable": WCAG contrast between text colour and its background."""

from __future__ import annotations

RGB = tuple[float, float, float]  # 0..1
WHITE: RGB = (1.0, 1.0, 1.0)
BLACK: RGB = (0.0, 0.0, 0.0)
NEAR_INVISIBLE_CONTRAST = 1.5  # below this ratio text is practically unreadable (WCAG asks 4.5 for body text)


def from_hex(value: str | None) -> RGB | None:
    """'FFFFFF', 'FFFFFFFF' (ARGB, as SpreadsheetML writes it) or '#fff' -> RGB; None when not a colour."""
    if not value:
        return None
    v = value.strip().lstrip("#")
    if len(v) == 8:
        v = v[2:]
    if len(v) == 3:
        v = "".join(c * 2 for c in v)
    if len(v) != 6:
        return None
    try:
        return (int(v[0:2], 16) / 255, int(v[2:4], 16) / 255, int(v[4:6], 16) / 255)
    except ValueError:
        return None


def from_pdf(value: object) -> RGB | None:
    """A PDF colour operand (gray, RGB or CMYK numbers) -> RGB; patterns and unknown spaces -> None."""
    if isinstance(value, int | float):
        g = float(value)
        return (g, g, g)
    if not isinstance(value, tuple | list) or not all(isinstance(x, int | float) for x in value):
        return None
    if len(value) == 1:
        g = float(value[0])
        return (g, g, g)
    if len(value) == 3:
        return (float(value[0]), float(value[1]), float(value[2]))
    if len(value) == 4:
        c, m, y, k = (float(x) for x in value)
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _luminance(c: RGB) -> float:
    def lin(x: float) -> float:
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(min(max(x, 0.0), 1.0)) for x in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio, 1 (identical) .. 21 (black on white)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def same(a: RGB, b: RGB) -> bool:
    return all(abs(x - y) < 1 / 255 for x, y in zip(a, b, strict=True))


def visibility(text: RGB | None, background: RGB | None) -> str | None:
    """'same_colour', 'near_invisible' or None (readable or unknown)."""
    if text is None:
        return None
    bg = background or WHITE
    if same(text, bg):
        return "same_colour"
    if contrast(text, bg) < NEAR_INVISIBLE_CONTRAST:
        return "near_invisible"
    return None
