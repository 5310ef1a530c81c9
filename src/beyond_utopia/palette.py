"""Colour checks for the house style: contrast on white and colour-vision deficiency.

Contrast follows WCAG 2 (relative luminance). Colour-vision deficiency is simulated with
the matrices of Machado, Oliveira and Fernandes (2009) at full severity, applied in
linear RGB; colours are compared by their CIE76 distance in CIELAB.
"""

from __future__ import annotations

import itertools

MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(hex_colour: str) -> float:
    r, g, b = (_linear(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = "#FFFFFF") -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _lab(lin: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(max(c, 0.0), 1.0) for c in lin)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def simulate(hex_colour: str, deficiency: str | None) -> tuple[float, float, float]:
    lin = tuple(_linear(c) for c in rgb(hex_colour))
    if deficiency is None:
        return lin  # type: ignore[return-value]
    m = MACHADO[deficiency]
    return tuple(sum(m[i][j] * lin[j] for j in range(3)) for i in range(3))  # type: ignore


def distance(a: str, b: str, deficiency: str | None = None) -> float:
    la, lb = _lab(simulate(a, deficiency)), _lab(simulate(b, deficiency))
    return sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5


def closest_pair(colours: dict[str, str], deficiency: str | None = None) -> tuple:
    """The two colours least distinguishable (under a deficiency): (distance, name, name)."""
    return min((distance(colours[a], colours[b], deficiency), a, b)
               for a, b in itertools.combinations(colours, 2))
