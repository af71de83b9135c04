"""Turned things seen slightly from above: mugs, cups, pots, bottles, bowls, jugs, vases."""

from demo.pictures.kit import RGB, Canvas, darker, lighter

METAL: RGB = (150, 150, 148)
LEAF: RGB = (74, 118, 70)
CANDLE: RGB = (240, 234, 220)
FLAME: RGB = (246, 178, 64)


def _handle(c: Canvas, box, colour: RGB, width: float) -> None:
    b, w = c.box(box), round(width * c.unit)
    c.fill(lambda d: d.ellipse(b, outline=255, width=w), colour, shade="flat")


def mug(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 83, 24, 5)
    _handle(c, (54, 48, 74, 72), colour, 4.5)
    top = c.lathe([(38, 17), (60, 17), (82, 16)], colour, cx=46)
    c.rim(46, *top, colour)


def cup(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 80, 34, 6)
    c.ellipse((16, 70, 84, 86), colour, shade="flat")  # the saucer
    c.ellipse((30, 72, 70, 82), darker(colour, 0.12), shade="none", outline=0.15)
    _handle(c, (55, 52, 69, 66), colour, 3.2)
    top = c.lathe([(50, 13.5), (64, 12.5), (76, 9)], colour, cx=48)
    c.rim(48, *top, colour)


def pot(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 82, 32, 6)
    c.arc((26, 22, 74, 62), 195, 345, darker(colour, 0.35), 1.6)  # the folding bail
    c.lathe([(48, 26), (66, 26), (80, 25)], colour)
    c.ellipse((23, 42, 77, 54), lighter(colour, 0.1), shade="flat")  # the lid
    c.ellipse((44, 40, 56, 46), darker(colour, 0.25), shade="flat")  # its knob
    c.line([(24, 56), (76, 56)], darker(colour, 0.15), 0.4)


def bottle(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 86, 16, 4)
    c.lathe([(28, 7), (32, 8), (38, 13), (46, 14), (80, 14), (85, 13.5)], colour)
    c.lathe([(16, 8), (28, 8.5)], darker(colour, 0.55), shade="cylinder")  # the cap
    c.rounded((46, 11, 54, 18), 2, darker(colour, 0.55), shade="flat")  # the carry loop
    c.line([(36, 72), (64, 72)], darker(colour, 0.15), 0.5)


def coffee_press(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 86, 22, 5)
    c.line([(48, 12), (48, 30)], METAL, 1.2)  # the plunger
    c.ellipse((44, 8, 52, 14), darker(colour, 0.5), shade="flat")
    _handle(c, (54, 36, 72, 72), darker(colour, 0.5), 4)
    c.lathe([(30, 15), (84, 15)], colour, cx=46)
    c.lathe([(26, 15.5), (32, 15.5)], darker(colour, 0.15), cx=46)  # the lid band
    for y in (40, 76):
        c.line([(31, y), (61, y)], darker(colour, 0.2), 0.4)


def bowl(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 80, 30, 6)
    c.lathe([(52, 34), (64, 30), (74, 21), (79, 14)], colour)
    c.rim(50, 52, 34, colour, tilt=0.28)


def plate(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 64, 40, 14)
    c.ellipse((10, 40, 90, 80), colour, shade="flat")
    c.ellipse((22, 46, 78, 74), darker(colour, 0.08), shade="flat", outline=0.12)
    c.ellipse((26, 48.5, 74, 72.5), lighter(colour, 0.05), shade="flat", outline=0)


def teapot(c: Canvas, colour: RGB) -> None:
    c.shadow(48, 84, 30, 5)
    _handle(c, (58, 44, 80, 72), colour, 4.5)
    c.polygon([(30, 66), (14, 42), (11, 40), (13, 38), (18, 42), (34, 56)], colour, shade="flat")
    c.lathe([(42, 15), (48, 21), (60, 24), (74, 21), (84, 14)], colour, cx=46)
    c.ellipse((32, 38, 60, 46), lighter(colour, 0.08), shade="flat")  # the lid
    c.ellipse((42, 34, 50, 40), colour, shade="flat")  # its knob


def carafe(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 86, 22, 5)
    c.lathe([(30, 6), (44, 7), (58, 14), (72, 18), (84, 16)], colour, light=0.6, dark=0.2)
    c.lathe([(14, 9), (30, 7.5)], lighter(colour, 0.1), light=0.6, dark=0.2)  # the glass lid
    c.rim(50, 14, 9, colour)
    c.lathe([(66, 17.5), (84, 16)], darker(colour, 0.12), light=0.5, dark=0.15)  # water


def jug(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 84, 24, 5)
    _handle(c, (56, 46, 74, 72), colour, 4)
    top = c.lathe([(40, 15), (60, 17), (82, 14)], colour, cx=46)
    c.polygon([(31, 37), (25, 36), (32, 44)], colour, shade="flat")  # the lip
    c.rim(46, *top, colour)


def vase(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 86, 18, 4)
    c.lathe([(16, 8), (20, 6), (30, 6), (44, 14), (62, 18), (76, 15), (86, 11)], colour)
    c.rim(50, 16, 8, colour)
    for stem, tip in (((46, 18), (36, 4)), ((52, 18), (60, 2)), ((50, 18), (48, 0))):
        c.line([stem, tip], LEAF, 0.7)


def planter(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 86, 28, 5)
    for dx, dy, turn in ((-12, -6, -1), (12, -8, 1), (0, -12, 0), (-20, 4, -1), (20, 2, 1)):
        base = (50, 50)
        tip = (50 + dx * 1.8 + turn * 4, 20 + dy)
        mid = ((base[0] + tip[0]) / 2, (base[1] + tip[1]) / 2)
        side = (6, 0) if turn <= 0 else (-6, 0)
        c.polygon(
            [base, (mid[0] + side[0], mid[1] - 4), tip, (mid[0] - side[0], mid[1] + 2)],
            LEAF,
            shade="flat",
        )
    top = c.lathe([(48, 22), (56, 22), (58, 20), (84, 16)], colour)
    c.rim(50, top[0], top[1], (88, 64, 44))  # soil


def candle_holder(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 86, 24, 5)
    c.lathe([(14, 4), (46, 4)], CANDLE, light=0.2, dark=0.15)
    c.polygon([(50, 4), (52.5, 10), (50, 13), (47.5, 10)], FLAME, shade="none", outline=0)
    c.lathe([(46, 7), (50, 6), (56, 3), (70, 3), (76, 8), (80, 20), (84, 20)], colour)
    c.rim(50, 46, 7, colour)
