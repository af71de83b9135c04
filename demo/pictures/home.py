"""Things for the home that are not turned: textiles, boards, lamps and furniture."""

from demo.pictures.kit import RGB, Canvas, darker, lighter, smooth

CORD: RGB = (50, 50, 52)
SHADE_LINEN: RGB = (236, 226, 204)
GLOW: RGB = (255, 226, 150)
HOOK: RGB = (150, 150, 146)


def cushion(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 80, 34, 5)
    outline = smooth(
        [(18, 24), (50, 28), (82, 22), (78, 50), (84, 80), (50, 76), (16, 82), (22, 50), (18, 24)],
        steps=8,
    )
    c.polygon(outline, colour, shade="flat", light=0.4, dark=0.4)
    c.curve([(24, 28), (36, 40), (40, 48)], darker(colour, 0.18), 0.4)
    c.curve([(76, 76), (64, 62), (60, 54)], darker(colour, 0.18), 0.4)


def _slab(
    c: Canvas, colour: RGB, y: float, *, width: float = 64, depth: float = 14, thick: float = 9
) -> None:
    x0 = 50 - width / 2
    c.polygon(
        [(x0 + 6, y - depth), (x0 + width + 6, y - depth), (x0 + width, y), (x0, y)],
        lighter(colour, 0.08),
        shade="flat",
    )  # the top
    c.rounded((x0, y - 1, x0 + width, y + thick), 3, colour, shade="down")  # the folded front
    c.line([(x0 + 3, y + thick / 2), (x0 + width - 3, y + thick / 2)], darker(colour, 0.12), 0.3)


def folded(c: Canvas, colour: RGB) -> None:
    c.shadow(52, 84, 38, 5)
    for y in (76, 66, 56):
        _slab(c, colour, y)


def throw(c: Canvas, colour: RGB) -> None:
    c.shadow(52, 84, 38, 5)
    for y in (72, 58):
        _slab(c, colour, y, thick=12)
    for x in range(20, 82, 2):
        c.line([(x, 84), (x, 88)], darker(colour, 0.1), 0.4)  # the fringe
    for y in (62, 76):
        c.line([(18, y), (82, y)], lighter(colour, 0.35), 0.9)


def towel(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 90, 22, 3, strength=0.15)
    c.line([(20, 12), (80, 12)], HOOK, 1.6)  # the rail
    c.arc((46, 8, 54, 18), 0, 360, darker(colour, 0.2), 0.6)  # the hanging loop
    c.polygon([(30, 14), (70, 14), (72, 88), (28, 88)], colour, shade="cloth")
    for y in (70, 74):
        c.line([(28.6, y), (71.4, y)], lighter(colour, 0.5), 1.1)
    c.line([(50, 16), (50, 86)], darker(colour, 0.08), 0.4)


def board(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 76, 38, 6)
    b, handle = c.box((14, 40, 74, 76)), c.box((70, 52, 90, 64))
    hole = c.box((80, 55.5, 85, 60.5))

    def paint(d):
        d.rounded_rectangle(b, radius=5 * c.unit, fill=255)
        d.rounded_rectangle(handle, radius=5 * c.unit, fill=255)
        d.ellipse(hole, fill=0)

    c.fill(paint, colour, shade="flat")
    for i, y in enumerate((46, 52, 58, 64, 70)):
        bend = 1.5 if i % 2 else -1.5
        c.curve([(18, y), (40, y + bend), (60, y - bend), (72, y)], darker(colour, 0.12), 0.3)
    c.line([(15, 76), (73, 76)], darker(colour, 0.3), 0.8)  # the edge


def table_lamp(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 88, 22, 4)
    c.lathe([(44, 5), (50, 12), (62, 16), (78, 12), (86, 10)], colour)
    c.line([(50, 36), (50, 44)], (190, 180, 150), 1)
    c.ellipse((38, 36, 62, 42), GLOW, shade="none", outline=0)
    c.polygon(
        [(36, 10), (64, 10), (74, 38), (26, 38)],
        SHADE_LINEN,
        shade="cylinder",
        light=0.3,
        dark=0.15,
    )


def pendant(c: Canvas, colour: RGB) -> None:
    c.line([(50, 0), (50, 40)], CORD, 0.6)
    c.ellipse((34, 64, 66, 74), GLOW, shade="none", outline=0)
    c.fill(
        lambda d: d.chord(c.box((18, 38, 82, 102)), 180, 360, fill=255), colour, shade="cylinder"
    )
    c.rounded((46, 34, 54, 42), 1.5, colour, shade="cylinder")
    c.ellipse((40, 66, 60, 74), lighter(GLOW, 0.4), shade="none", outline=0)


def floor_lamp(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 92, 20, 3)
    c.line([(50, 22), (50, 90)], colour, 1.2)
    c.ellipse((36, 86, 64, 94), colour, shade="flat")
    c.ellipse((40, 24, 60, 30), GLOW, shade="none", outline=0)
    c.fill(lambda d: d.chord(c.box((32, 6, 68, 42)), 180, 360, fill=255), colour, shade="cylinder")


def chair(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 88, 30, 4)
    leg = darker(colour, 0.08)
    for x in (34, 66):
        c.polygon(
            [(x - 1.6, 12), (x + 1.6, 12), (x + 2.2, 86), (x - 1.4, 86)], leg, shade="cylinder"
        )  # the back legs
    c.curve([(34, 16), (50, 19), (66, 16)], colour, 5)  # the steam-bent back rail
    for x in (42, 50, 58):
        c.line([(x, 20), (x, 54)], colour, 1.6)
    c.polygon([(30, 54), (70, 54), (76, 62), (24, 62)], lighter(colour, 0.06), shade="flat")
    c.rounded((24, 62, 76, 66), 1, colour, shade="down")
    for x in (27, 73):
        c.polygon(
            [(x - 1.8, 66), (x + 1.8, 66), (x + 1.2, 92), (x - 1.2, 92)], colour, shade="cylinder"
        )
    c.line([(28, 80), (72, 80)], leg, 1.2)


def stool(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 90, 28, 4)
    for top, bottom in (((40, 38), (24, 90)), ((60, 38), (76, 90)), ((50, 40), (50, 92))):
        c.polygon(
            [
                (top[0] - 2, top[1]),
                (top[0] + 2, top[1]),
                (bottom[0] + 1.6, bottom[1]),
                (bottom[0] - 1.6, bottom[1]),
            ],
            darker(colour, 0.05),
            shade="cylinder",
        )
    c.line([(31, 70), (69, 70)], colour, 1.2)
    c.lathe([(34, 26), (40, 25)], colour, tilt=0.3)
    c.ellipse((24, 26, 76, 42), lighter(colour, 0.08), shade="flat")


def side_table(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 88, 30, 4)
    for x0, x1 in ((36, 28), (64, 72), (50, 50)):
        c.polygon(
            [(x0 - 1.5, 44), (x0 + 1.5, 44), (x1 + 1.5, 88), (x1 - 1.5, 88)],
            darker(colour, 0.05),
            shade="cylinder",
        )
    c.lathe([(38, 30), (44, 29)], colour, tilt=0.3)
    c.ellipse((20, 30, 80, 46), lighter(colour, 0.08), shade="flat")
