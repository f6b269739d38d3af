"""Layout helpers for the consent's story: images that fit, and headings kept with what
they introduce (reportlab's own keepWithNext does not join a heading to a kept block)."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, FrameBreak, Image, KeepTogether

from app.document.pdf.styles import FRAME_WIDTH


def fit_image(png: bytes, max_w: float, max_h: float) -> Image:
    """A platypus image of ``png`` scaled to fit the box, keeping its aspect ratio.

    Raises ValueError when the bytes are not a readable image.
    """
    try:
        px_w, px_h = ImageReader(BytesIO(png)).getSize()
    except Exception as exc:  # reportlab/Pillow raise many kinds for a broken image
        raise ValueError(f"unreadable image ({exc})") from exc
    if px_w <= 0 or px_h <= 0:
        raise ValueError("empty image")
    scale = min(max_w / px_w, max_h / px_h)
    image = Image(BytesIO(png), width=px_w * scale, height=px_h * scale)
    image.hAlign = "LEFT"
    return image


def stacked_height(flowables: list[Flowable], width: float = FRAME_WIDTH) -> float:
    """Height of the flowables one under the other, spaces included (an upper bound)."""
    return sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in flowables)


class KeepWithStart(KeepTogether):
    """Headings with the (long) flowable they introduce.

    Kept together when everything fits. Otherwise the group moves to a new page only when
    less than ``min_space`` is left; with more room the heading starts here and what it
    introduces splits across the page break, so a long table leaves no half-empty page.
    """

    def __init__(self, flowables: list[Flowable], min_space: float) -> None:
        super().__init__(flowables)
        self._min_space = min_space

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (reportlab names)
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content[:]
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        if self._H > aH and aH < self._min_space and not at_top:
            content.insert(0, FrameBreak())
        return content


def keep_headings(story: list[Flowable], min_space: float = 60 * mm) -> list[Flowable]:
    """Attach every run of keep-with-next flowables (headings) to what follows them.

    reportlab's own keepWithNext does not join a heading to a KeepTogether block, so a
    heading could end a page alone above its first risk or signature. Here a heading run
    joins a following KeepTogether into one block, and any other flowable through
    :class:`KeepWithStart`.
    """
    out: list[Flowable] = []
    run: list[Flowable] = []
    for flowable in story:
        if not isinstance(flowable, KeepTogether) and flowable.getKeepWithNext():
            run.append(flowable)
            continue
        if run:
            for head in run:
                head.keepWithNext = 0  # handled here; reportlab must not regroup them
            if isinstance(flowable, KeepTogether):
                flowable = KeepTogether([*run, *flowable._content])
            else:
                flowable = KeepWithStart([*run, flowable], min_space)
            run = []
        out.append(flowable)
    return out + run


def text_blocks(text: str) -> list[str]:
    """Plain text split at blank lines, each block stripped, empty ones dropped."""
    return [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
