"""A small kit for drawing product pictures with Pillow: a studio background, soft shadows,
shaded shapes and lines, in a 100×100 unit space scaled to the picture's size.

Each shape is drawn as a mask, then filled through a shading ramp (dark, the colour, light)
laid across the shape's bounding box: across it for round things (a cylinder's highlight
left of centre), top to bottom for cloth, corner to corner for flat things, so the picture
reads as a lit object. Drawing is at twice the size and halved at the end, which smooths
every edge. Only the part of the canvas a shape covers is touched, so a picture costs a
few milliseconds.
"""

import io
import random
from collections.abc import Callable, Sequence
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
Point = tuple[float, float]
SUPERSAMPLE = 2
TILT = 0.22  # how much of a circle's width its ellipse shows: we look slightly from above
BACKGROUND_TOP: RGB = (246, 245, 242)
BACKGROUND_BOTTOM: RGB = (232, 230, 225)


def mix(a: RGB, b: RGB, amount: float) -> RGB:
    """Return `a` moved `amount` (0..1) of the way to `b`."""
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))


def darker(colour: RGB, amount: float = 0.3) -> RGB:
    return mix(colour, (0, 0, 0), amount)


def lighter(colour: RGB, amount: float = 0.3) -> RGB:
    return mix(colour, (255, 255, 255), amount)


def luminance(colour: RGB) -> float:
    return 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]


def smooth(points: Sequence[Point], steps: int = 6) -> list[Point]:
    """Return a Catmull-Rom curve through `points` (an open line, ends kept)."""
    if len(points) < 3:
        return list(points)
    padded = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(steps):
            t = step / steps
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(
                    0.5
                    * (
                        2 * p1[k]
                        + (-p0[k] + p2[k]) * t
                        + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                        + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3
                    )
                    for k in (0, 1)
                )
            )
    out.append(points[-1])
    return out


@cache
def _ramp(colour: RGB, light: float, dark: float) -> tuple[list[int], ...]:
    """Per channel, a 256-entry table: 0 is the shadow, 128 the colour, 255 the highlight."""
    shadow, highlight = darker(colour, dark), lighter(colour, light)
    tables: tuple[list[int], ...] = ([], [], [])
    for v in range(256):
        c = mix(shadow, colour, v / 128) if v < 128 else mix(colour, highlight, (v - 128) / 127)
        for channel in range(3):
            tables[channel].append(c[channel])
    return tables


# Shading profiles: values (0 shadow, 128 the colour, 255 highlight) laid over the box.
CYLINDER = (70, 150, 215, 175, 125, 90, 60)  # across, highlight left of centre
DOWN = (200, 150, 110)  # top to bottom
CLOTH = (170, 135, 105)
FLAT = ((190, 150), (140, 95))  # corners: top-left, top-right / bottom-left, bottom-right


def _shade_image(kind: str, values: tuple, width: int, height: int) -> Image.Image:
    if kind == "across":
        row = Image.new("L", (len(values), 1))
        row.putdata(list(values))
        return row.resize((width, 1), Image.Resampling.BILINEAR).resize(
            (width, height), Image.Resampling.NEAREST
        )
    if kind == "down":
        column = Image.new("L", (1, len(values)))
        column.putdata(list(values))
        return column.resize((1, height), Image.Resampling.BILINEAR).resize(
            (width, height), Image.Resampling.NEAREST
        )
    corners = Image.new("L", (2, 2))
    corners.putdata([values[0][0], values[0][1], values[1][0], values[1][1]])
    return corners.resize((width, height), Image.Resampling.BILINEAR)


@cache
def _background(px: int) -> Image.Image:
    """Return the studio backdrop (light, a little darker towards the floor); never drawn on."""
    top = Image.new("RGB", (1, 2))
    top.putdata([BACKGROUND_TOP, BACKGROUND_BOTTOM])
    return top.resize((px, px), Image.Resampling.BILINEAR)


class Canvas:
    """A square picture being drawn; coordinates are in units of a 100×100 square."""

    def __init__(self, *, size: int, seed: int) -> None:
        self.size = size
        self.px = size * SUPERSAMPLE
        self.rng = random.Random(seed)
        # The seed frames each picture a little differently, as photos of one shop do:
        # slightly smaller or larger and off centre, still standing on the same floor.
        self.unit = self.px / 100 * self.rng.uniform(0.93, 1.0)
        self.origin = (
            self.px * (0.5 + self.rng.uniform(-0.025, 0.025)) - 50 * self.unit,
            self.px * 0.85 - 85 * self.unit,
        )
        self.image = _background(self.px).copy()
        self.draw = ImageDraw.Draw(self.image)

    # --- coordinates ---------------------------------------------------------------------

    def xy(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        ox, oy = self.origin
        return [(ox + x * self.unit, oy + y * self.unit) for x, y in points]

    def box(self, box: Sequence[float]) -> list[float]:
        (x0, y0), (x1, y1) = self.xy([(box[0], box[1]), (box[2], box[3])])
        return [x0, y0, x1, y1]

    # --- shadows and shapes --------------------------------------------------------------

    def shadow(self, cx: float, cy: float, rx: float, ry: float, strength: float = 0.35) -> None:
        """Darken a soft ellipse on the ground under an object."""
        small = 4  # blur at a quarter of the size: the same softness for a 16th of the work
        w, h = int(rx * 2.6 * self.unit / small) + 2, int(ry * 2.6 * self.unit / small) + 2
        mask = Image.new("L", (w, h))
        ImageDraw.Draw(mask).ellipse(
            (w * 0.12, h * 0.12, w * 0.88, h * 0.88), fill=int(255 * strength)
        )
        mask = mask.filter(ImageFilter.GaussianBlur(max(1, min(w, h) / 10)))
        mask = mask.resize((w * small, h * small), Image.Resampling.BILINEAR)
        ((x, y),) = self.xy([(cx, cy)])
        left, top = int(x - mask.width / 2), int(y - mask.height / 2)
        self.image.paste((70, 66, 60), (left, top), mask)

    def fill(
        self,
        paint: Callable[[ImageDraw.ImageDraw], None],
        colour: RGB,
        *,
        shade: str = "flat",
        light: float = 0.35,
        dark: float = 0.35,
        outline: float = 0.25,
        bounds: Sequence[float] | None = None,
        clip: Callable[[ImageDraw.ImageDraw], None] | None = None,
    ) -> None:
        """Fill what `paint` draws (with fill=255 on a mask, in pixels) in shaded `colour`.

        `bounds` (units) lays the shading over a larger box than the shape's own, so the
        parts of one object share one light; `clip` keeps only what lies inside its drawing.
        """
        mask = Image.new("L", (self.px, self.px))
        paint(ImageDraw.Draw(mask))
        if clip is not None:
            inside = Image.new("L", (self.px, self.px))
            clip(ImageDraw.Draw(inside))
            mask = ImageChops.multiply(mask, inside)
        found = mask.getbbox()
        if found is None:
            return
        ramp_box = list(found)
        if bounds:  # the larger of the two, so the shading covers the whole shape
            b = [int(v) for v in self.box(bounds)]
            ramp_box = [
                min(b[0], found[0]),
                min(b[1], found[1]),
                max(b[2], found[2]),
                max(b[3], found[3]),
            ]
        width = max(1, ramp_box[2] - ramp_box[0])
        height = max(1, ramp_box[3] - ramp_box[1])
        if shade == "cylinder":
            shading = _shade_image("across", CYLINDER, width, height)
        elif shade == "tube":  # a cylinder lying down
            shading = _shade_image("down", CYLINDER, width, height)
        elif shade == "down":
            shading = _shade_image("down", DOWN, width, height)
        elif shade == "cloth":
            shading = _shade_image("down", CLOTH, width, height)
        elif shade == "none":
            shading = Image.new("L", (width, height), 128)
        else:
            shading = _shade_image("corners", FLAT, width, height)
        crop = tuple(found)
        region = shading.crop(
            (
                crop[0] - ramp_box[0],
                crop[1] - ramp_box[1],
                crop[2] - ramp_box[0],
                crop[3] - ramp_box[1],
            )
        )
        tables = _ramp(colour, light, dark)
        painted = Image.merge("RGB", [region.point(table) for table in tables])
        part = mask.crop(crop)
        self.image.paste(painted, crop[:2], part)
        if outline:
            edge = part.filter(ImageFilter.FIND_EDGES).point(lambda v: int(v * outline))
            self.image.paste(darker(colour, 0.45), crop[:2], edge)

    def polygon(self, points: Sequence[Point], colour: RGB, **kw) -> None:
        pts = self.xy(points)
        self.fill(lambda d: d.polygon(pts, fill=255), colour, **kw)

    def ellipse(self, box: Sequence[float], colour: RGB, **kw) -> None:
        b = self.box(box)
        self.fill(lambda d: d.ellipse(b, fill=255), colour, **kw)

    def rounded(self, box: Sequence[float], radius: float, colour: RGB, **kw) -> None:
        b = self.box(box)
        r = radius * self.unit
        self.fill(lambda d: d.rounded_rectangle(b, radius=r, fill=255), colour, **kw)

    def lathe(
        self, profile: Sequence[Point], colour: RGB, *, cx: float = 50, tilt: float = TILT, **kw
    ) -> tuple[float, float]:
        """Fill a turned body: `profile` is (y, half-width) from top to bottom, smoothed.

        Return the y and half-width of the top, for a rim or a lid.
        """
        curve = smooth([(y, w) for y, w in profile], steps=5)
        right = [(cx + w, y) for y, w in curve]
        left = [(cx - w, y) for y, w in reversed(curve)]
        pts = self.xy(right + left)
        # The bottom is a circle seen from above its plane: an ellipse, not a straight edge.
        y, w = profile[-1]
        foot = self.box((cx - w, y - w * tilt, cx + w, y + w * tilt))

        def paint(d: ImageDraw.ImageDraw) -> None:
            d.polygon(pts, fill=255)
            d.ellipse(foot, fill=255)

        kw.setdefault("shade", "cylinder")
        self.fill(paint, colour, **kw)
        return profile[0]

    def rim(self, cx: float, y: float, w: float, colour: RGB, *, tilt: float = TILT) -> None:
        """Show the opening of a vessel: its lip and the darker inside."""
        lip = (cx - w, y - w * tilt, cx + w, y + w * tilt)
        self.ellipse(lip, lighter(colour, 0.15), shade="none")
        inner = w * 0.9
        self.ellipse(
            (cx - inner, y - inner * tilt * 0.85, cx + inner, y + inner * tilt * 0.95),
            darker(colour, 0.3),
            shade="flat",
            outline=0,
        )

    # --- lines and marks -----------------------------------------------------------------

    def line(self, points: Sequence[Point], colour: RGB, width: float = 0.6) -> None:
        self.draw.line(self.xy(points), fill=colour, width=max(1, round(width * self.unit)))

    def curve(self, points: Sequence[Point], colour: RGB, width: float = 0.6) -> None:
        self.line(smooth(points, steps=8), colour, width)

    def arc(self, box, start: float, end: float, colour: RGB, width: float = 0.6) -> None:
        pixels = max(1, round(width * self.unit))
        self.draw.arc(self.box(box), start, end, fill=colour, width=pixels)

    def dot(self, x: float, y: float, r: float, colour: RGB) -> None:
        self.draw.ellipse(self.box((x - r, y - r, x + r, y + r)), fill=colour)

    def dashes(self, points: Sequence[Point], colour: RGB, *, dash: float = 1.6) -> None:
        """Stitching: a dashed line along `points`."""
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 0.01)
            steps = int(length / dash)
            for i in range(0, steps, 2):
                a, b = i / max(steps, 1), min((i + 1) / max(steps, 1), 1)
                start = (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a)
                end = (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)
                self.line([start, end], colour, 0.35)

    # --- out -----------------------------------------------------------------------------

    def result(self) -> Image.Image:
        return self.image.reduce(SUPERSAMPLE)


def webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # method=0: the fastest encoder; on soft drawings the files stay small (about 7 KB).
    image.save(out, "WEBP", quality=82, method=0)
    return out.getvalue()
