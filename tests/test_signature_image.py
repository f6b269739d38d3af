"""Signature strokes become a tight-cropped PNG; a dot or a tick is not a signature."""

from __future__ import annotations

import struct
import zlib

from app.consult.demo import demo_strokes
from app.consult.signature_image import has_enough_ink, strokes_to_png


def png_size_and_ink(png: bytes) -> tuple[int, int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    idat = png[png.index(b"IDAT") + 4:png.index(b"IEND") - 8]
    raw = zlib.decompress(idat)
    stride = 1 + 2 * width
    inked = sum(1 for y in range(height) for x in range(width)
                if raw[y * stride + 1 + 2 * x + 1] > 0)
    return width, height, inked


def test_png_is_cropped_to_the_ink():
    strokes = [[(100.0, 100.0), (200.0, 100.0)], [(150.0, 80.0), (150.0, 120.0)]]
    width, height, inked = png_size_and_ink(strokes_to_png(strokes, pen=3, margin=6))
    assert 100 < width < 120 and 40 < height < 60  # not the 200+ px of the pad origin
    assert inked > 300


def test_minimum_ink_rule():
    assert has_enough_ink(demo_strokes())
    assert not has_enough_ink([[(10.0, 10.0)]])  # a dot
    assert not has_enough_ink([[(10.0, 10.0), (15.0, 18.0), (30.0, 0.0)]])  # a tick
    assert not has_enough_ink([])
