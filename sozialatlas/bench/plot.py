"""A tiny pure-Python PNG rasteriser for benchmark charts (zlib only, no plotting library).

Only what the latency chart needs: filled rectangles, thick (optionally dashed) lines and
upper-case text in a 3x5 bitmap font, scaled.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

Color = tuple[int, int, int]

# 3x5 glyphs, rows top to bottom, "1" = ink
FONT: dict[str, str] = {
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111",
    "3": "111001111001111", "4": "101101111001001", "5": "111100111001111",
    "6": "111100111101111", "7": "111001001001001", "8": "111101111101111",
    "9": "111101111001111", "A": "010101111101101", "B": "110101110101110",
    "C": "011100100100011", "D": "110101101101110", "E": "111100110100111",
    "F": "111100110100100", "G": "011100101101011", "H": "101101111101101",
    "I": "111010010010111", "J": "001001001101010", "K": "101101110101101",
    "L": "100100100100111", "M": "101111111101101", "N": "110101101101101",
    "O": "010101101101010", "P": "110101110100100", "Q": "010101101110011",
    "R": "110101110101101", "S": "011100010001110", "T": "111010010010010",
    "U": "101101101101111", "V": "101101101101010", "W": "101101111111101",
    "X": "101101010101101", "Y": "101101010010010", "Z": "111001010100111",
    " ": "000000000000000", ".": "000000000000010", "-": "000000111000000",
    "/": "001001010100100", "%": "101001010100101", "(": "010100100100010",
    ")": "010001001001010", "=": "000111000111000", ":": "000010000010000",
    ",": "000000000010100", "+": "000010111010000",
}  # fmt: skip


class Canvas:
    def __init__(self, width: int, height: int, background: Color = (255, 255, 255)) -> None:
        self.width = width
        self.height = height
        self.pixels = bytearray(bytes(background) * (width * height))

    def dot(self, x: int, y: int, color: Color) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            at = 3 * (y * self.width + x)
            self.pixels[at : at + 3] = bytes(color)

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        for y in range(max(y0, 0), min(y1, self.height)):
            for x in range(max(x0, 0), min(x1, self.width)):
                self.dot(x, y, color)

    def line(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        color: Color,
        width: int = 1,
        dash: int = 0,
    ) -> None:
        steps = max(int(max(abs(x1 - x0), abs(y1 - y0))), 1)
        half = width // 2
        for i in range(steps + 1):
            if dash and (i // dash) % 2:
                continue
            x = round(x0 + (x1 - x0) * i / steps)
            y = round(y0 + (y1 - y0) * i / steps)
            self.rect(x - half, y - half, x - half + width, y - half + width, color)

    def text(self, x: int, y: int, text: str, color: Color = (0, 0, 0), scale: int = 2) -> int:
        """Draw ``text`` with its top-left corner at (x, y); returns the end x."""
        for char in text.upper():
            glyph = FONT.get(char, FONT[" "])
            for row in range(5):
                for col in range(3):
                    if glyph[row * 3 + col] == "1":
                        self.rect(
                            x + col * scale,
                            y + row * scale,
                            x + (col + 1) * scale,
                            y + (row + 1) * scale,
                            color,
                        )
            x += 4 * scale
        return x

    def png(self) -> bytes:
        raw = bytearray()
        stride = 3 * self.width
        for y in range(self.height):
            raw.append(0)
            raw += self.pixels[y * stride : (y + 1) * stride]

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
            + chunk(b"IEND", b"")
        )

    def save(self, path: Path) -> None:
        path.write_bytes(self.png())


def text_width(text: str, scale: int = 2) -> int:
    return 4 * scale * len(text)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


Series = tuple[str, Sequence[float], Color, bool]  # label, values per x, colour, dashed


def panel(
    canvas: Canvas,
    box: tuple[int, int, int, int],
    title: str,
    xlabels: Sequence[str],
    series: Sequence[Series],
    target: float | None = None,
) -> None:
    """One line chart in ``box`` (x0, y0, x1, y1): y from 0 ms, x categorical."""
    x0, y0, x1, y1 = box
    canvas.text(x0, y0, title, scale=2)
    left, top, right, bottom = x0 + 48, y0 + 22, x1 - 10, y1 - 24
    peak = max([v for _, values, _, _ in series for v in values] + [target or 0.0, 1.0])
    ymax = nice_ceiling(peak * 1.05)
    grey = (200, 200, 200)
    for i in range(5):
        value = ymax * i / 4
        y = bottom - (bottom - top) * i / 4
        canvas.line(left, y, right, y, grey)
        label = f"{value:g}"
        canvas.text(left - 6 - text_width(label), round(y) - 5, label, scale=2)
    canvas.line(left, top, left, bottom, (0, 0, 0))
    canvas.line(left, bottom, right, bottom, (0, 0, 0))

    def xpos(i: int) -> float:
        return left + 20 + (right - left - 40) * (i / max(len(xlabels) - 1, 1))

    for i, label in enumerate(xlabels):
        canvas.text(round(xpos(i)) - text_width(label) // 2, bottom + 8, label, scale=2)
    if target is not None:
        y = bottom - (bottom - top) * target / ymax
        canvas.line(left, y, right, y, (220, 0, 0), width=1, dash=6)
        canvas.text(right - text_width("TARGET"), round(y) - 13, "TARGET", (220, 0, 0))
    for _label, values, color, dashed in series:
        points = [(xpos(i), bottom - (bottom - top) * v / ymax) for i, v in enumerate(values)]
        for (ax, ay), (bx, by) in itertools.pairwise(points):
            canvas.line(ax, ay, bx, by, color, width=2, dash=5 if dashed else 0)
        for px, py in points:
            canvas.rect(round(px) - 3, round(py) - 3, round(px) + 4, round(py) + 4, color)


def legend(canvas: Canvas, x: int, y: int, series: Sequence[Series]) -> None:
    for label, _values, color, dashed in series:
        canvas.line(x, y + 5, x + 24, y + 5, color, width=2, dash=5 if dashed else 0)
        x = canvas.text(x + 30, y, label, scale=2) + 18
