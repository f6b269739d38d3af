"""Turn signature strokes into ink measures and a tight-cropped PNG, without Qt.

The pad (a Qt widget) only collects strokes; the image stored and printed is made here,
so the GUI, the command line and the self-test produce the same kind of image.
"""

from __future__ import annotations

import math
import struct
import zlib

Stroke = list[tuple[float, float]]
MIN_INK_LENGTH = 150.0  # pad pixels of pen travel; a dot or a tick is well under this
MIN_INK_EXTENT = 40.0  # the signature must span at least this much in width or height


def ink_length(strokes: list[Stroke]) -> float:
    return sum(math.dist(a, b) for s in strokes for a, b in zip(s, s[1:], strict=False))


def has_enough_ink(strokes: list[Stroke]) -> bool:
    """A dot, a tick or a short dash is not a signature."""
    points = [p for s in strokes for p in s]
    if len(points) < 2:
        return False
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    return ink_length(strokes) >= MIN_INK_LENGTH and extent >= MIN_INK_EXTENT


def strokes_to_png(strokes: list[Stroke], *, pen: float = 3.0, margin: int = 6,
                   scale: float = 1.0) -> bytes:
    """Rasterise strokes into a tight-cropped, transparent PNG (dark ink, alpha channel)."""
    points = [p for s in strokes for p in s]
    if not points:
        raise ValueError("A signature needs at least one stroke.")
    min_x, min_y = min(p[0] for p in points), min(p[1] for p in points)
    max_x, max_y = max(p[0] for p in points), max(p[1] for p in points)
    width = int(math.ceil((max_x - min_x) * scale + pen)) + 2 * margin + 1
    height = int(math.ceil((max_y - min_y) * scale + pen)) + 2 * margin + 1
    alpha = bytearray(width * height)
    radius = pen / 2.0
    offset = margin + radius

    def stamp(cx: float, cy: float) -> None:
        r = int(math.ceil(radius + 1))
        for y in range(max(0, int(cy) - r), min(height, int(cy) + r + 1)):
            for x in range(max(0, int(cx) - r), min(width, int(cx) + r + 1)):
                d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
                # one pixel of soft edge keeps the strokes smooth without a full anti-aliaser
                cover = max(0.0, min(1.0, radius + 0.5 - d))
                i = y * width + x
                alpha[i] = max(alpha[i], int(cover * 255))

    for stroke in strokes:
        pts = [((x - min_x) * scale + offset, (y - min_y) * scale + offset) for x, y in stroke]
        stamp(*pts[0])
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            steps = max(1, int(math.dist((x0, y0), (x1, y1)) / max(radius / 2, 0.5)))
            for k in range(1, steps + 1):
                t = k / steps
                stamp(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
    return _encode_gray_alpha_png(width, height, alpha, ink=0x1A)


def _encode_gray_alpha_png(width: int, height: int, alpha: bytearray, ink: int) -> bytes:
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for a in alpha[y * width:(y + 1) * width]:
            rows += bytes((ink, a))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 4, 0, 0, 0)  # 8-bit grey + alpha
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))
