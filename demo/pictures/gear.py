"""Outdoor gear and things to wear that are not cut like a top: tents, packs, sleeping
bags, hats, shoes, bags, belts, scarves and wallets."""

from demo.pictures.kit import RGB, Canvas, darker, lighter, mix

WEBBING: RGB = (48, 48, 52)
METAL: RGB = (172, 172, 168)
BRASS: RGB = (192, 154, 74)
RUBBER: RGB = (236, 230, 214)
SOLE: RGB = (58, 44, 36)
LACE: RGB = (245, 243, 236)


def tent(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 80, 40, 6)
    for peg in ((8, 82), (92, 82)):
        c.line([(50, 30), peg], (120, 120, 120), 0.25)  # guy lines
    c.polygon(
        [(12, 80), (22, 56), (36, 38), (50, 30), (64, 38), (78, 56), (88, 80)],
        colour,
        shade="flat",
    )
    side = [(50, 30), (64, 38), (78, 56), (88, 80), (60, 80)]
    c.polygon(side, darker(colour, 0.15), shade="flat")
    c.polygon([(36, 80), (50, 40), (60, 80)], darker(colour, 0.45), shade="down", outline=0)
    c.curve([(12, 80), (30, 46), (50, 30), (70, 46), (88, 80)], darker(colour, 0.4), 0.5)
    c.line([(50, 40), (50, 80)], darker(colour, 0.6), 0.35)  # the door's zip


def tunnel_tent(c: Canvas, colour: RGB) -> None:
    c.shadow(52, 80, 44, 6)
    c.polygon(
        [(8, 80), (14, 62), (26, 48), (40, 44), (66, 48), (82, 58), (94, 80)],
        colour,
        shade="flat",
    )
    for x, top in ((30, 46), (50, 45), (70, 51)):
        c.curve(
            [(x - 14, 80), (x - 8, 58), (x, top), (x + 6, 58), (x + 10, 80)],
            darker(colour, 0.3),
            0.5,
        )
    c.polygon(
        [(14, 80), (20, 60), (28, 52), (34, 80)], darker(colour, 0.45), shade="down", outline=0
    )


def _buckle(c: Canvas, x: float, y: float) -> None:
    c.rounded((x - 2.5, y - 1.5, x + 2.5, y + 1.5), 0.6, WEBBING, shade="none")


def backpack(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 86, 26, 4)
    c.rounded((44, 8, 56, 20), 5, WEBBING, shade="none")  # the haul loop
    for x in (28, 72):
        c.rounded((x - 3, 24, x + 3, 78), 3, WEBBING, shade="flat")  # the shoulder straps
    c.rounded((30, 16, 70, 86), 12, colour, shade="flat")
    c.rounded((30, 14, 70, 34), 9, darker(colour, 0.12), shade="flat")  # the lid
    c.rounded((36, 50, 64, 78), 6, lighter(colour, 0.06), shade="flat")  # the front pocket
    c.curve([(37, 56), (50, 53), (63, 56)], darker(colour, 0.5), 0.45)
    for x in (40, 60):
        c.line([(x, 30), (x, 40)], WEBBING, 1.2)
        _buckle(c, x, 41)


def rolltop(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 86, 26, 4)
    c.rounded((30, 24, 70, 86), 8, colour, shade="flat")
    c.rounded((28, 12, 72, 26), 7, darker(colour, 0.08), shade="tube")  # the rolled top
    for x in (38, 62):
        c.line([(x, 12), (x, 46)], WEBBING, 1.4)
        _buckle(c, x, 46)
    c.dashes([(34, 70), (66, 70)], darker(colour, 0.35))


def hip_pack(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 72, 34, 5)
    c.line([(6, 54), (28, 56)], WEBBING, 2.4)
    c.line([(72, 56), (94, 54)], WEBBING, 2.4)
    _buckle(c, 12, 54.5)
    c.polygon(
        [(26, 48), (40, 40), (60, 40), (74, 48), (72, 66), (50, 72), (28, 66)], colour, shade="flat"
    )
    c.curve([(29, 50), (50, 44), (71, 50)], darker(colour, 0.5), 0.5)
    c.rounded((62, 47, 66, 52), 1, METAL, shade="none")


def sleeping_bag(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 90, 20, 4)
    body = [
        (50, 6),
        (62, 8),
        (68, 18),
        (66, 40),
        (62, 64),
        (58, 84),
        (50, 88),
        (42, 84),
        (38, 64),
        (34, 40),
        (32, 18),
        (38, 8),
    ]
    c.polygon(body, colour, shade="cylinder")
    c.ellipse((40, 10, 60, 24), darker(colour, 0.45), shade="none", outline=0)  # the hood
    for y in range(30, 84, 8):
        w = 16 - max(0, y - 40) * 0.16
        c.curve([(50 - w, y), (50, y + 2), (50 + w, y)], darker(colour, 0.22), 0.4)
    c.line([(62, 22), (60, 70)], WEBBING, 0.5)  # the zip


def sleeping_mat(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 80, 36, 5)
    c.rounded((18, 50, 78, 78), 3, colour, shade="tube")
    c.ellipse((70, 50, 86, 78), lighter(colour, 0.1), shade="flat")  # the rolled end
    for r in (6, 4, 2):
        c.arc((78 - r, 64 - r * 1.6, 78 + r, 64 + r * 1.6), 0, 360, darker(colour, 0.3), 0.3)
    for y in (56, 72):
        c.line([(30, y - 6), (30, y + 6)], WEBBING, 1.2)  # the straps
    c.rounded((16, 60, 20, 66), 1, WEBBING, shade="none")  # the valve


def beanie(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 78, 28, 4)
    c.fill(lambda d: d.chord(c.box((24, 20, 76, 96)), 180, 360, fill=255), colour, shade="flat")
    c.rounded((22, 54, 78, 76), 4, darker(colour, 0.06), shade="cloth")  # the turn-up
    for x in range(25, 77, 3):
        c.line([(x, 55), (x, 75)], darker(colour, 0.2), 0.3)


def cap(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 72, 34, 5)
    c.polygon(
        [(26, 64), (12, 72), (30, 76), (60, 74), (64, 64)], darker(colour, 0.05), shade="flat"
    )  # the brim
    c.fill(lambda d: d.chord(c.box((24, 34, 80, 94)), 180, 360, fill=255), colour, shade="flat")
    c.curve([(52, 34), (48, 48), (44, 64)], darker(colour, 0.25), 0.4)
    c.curve([(52, 34), (62, 48), (70, 64)], darker(colour, 0.25), 0.4)
    c.dot(52, 34.5, 1.6, darker(colour, 0.2))


def sneaker(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 76, 40, 4)
    upper = [
        (12, 66),
        (13, 58),
        (22, 54),
        (36, 50),
        (50, 43),
        (58, 37),
        (64, 35),
        (70, 40),
        (78, 38),
        (84, 42),
        (88, 52),
        (88, 66),
    ]
    c.polygon(upper, colour, shade="flat")
    c.ellipse((66, 36, 80, 42), darker(colour, 0.5), shade="none", outline=0)  # the collar
    c.polygon(
        [(80, 40), (84, 42), (88, 52), (88, 66), (78, 66), (78, 48)],
        darker(colour, 0.1),
        shade="flat",
    )  # the heel counter
    c.rounded((10, 64, 90, 74), 4, RUBBER, shade="down")  # the sole
    c.line([(12, 70), (88, 70)], darker(RUBBER, 0.2), 0.4)
    c.polygon([(10, 66), (12, 58), (22, 55), (24, 66)], RUBBER, shade="flat")  # the toe cap
    for i in range(5):
        x, y = 38 + i * 5, 50 - i * 3
        c.line([(x - 2.5, y + 2.5), (x + 2.5, y - 2.5)], LACE, 0.8)
        c.dot(x - 2.5, y + 2.5, 0.6, darker(colour, 0.5))


def boot(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 84, 38, 4)
    upper = [(12, 76), (16, 66), (34, 60), (50, 56), (52, 14), (80, 14), (82, 56), (86, 76)]
    c.polygon(upper, colour, shade="flat")
    c.polygon([(56, 26), (64, 56), (74, 26)], darker(colour, 0.35), shade="cloth")  # elastic
    c.rounded((70, 8, 78, 18), 1.5, darker(colour, 0.2), shade="none")  # the pull tab
    c.rounded((10, 74, 88, 84), 2.5, SOLE, shade="down")
    c.polygon([(74, 84), (88, 84), (88, 88), (74, 88)], SOLE, shade="down")  # the heel
    c.dashes([(16, 74), (86, 74)], darker(colour, 0.35))


def tote(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 88, 30, 4)
    for x in (36, 54):
        c.arc((x, 8, x + 14, 50), 180, 360, darker(colour, 0.15), 2.2)  # the handles
    c.polygon([(22, 34), (78, 34), (82, 88), (18, 88)], colour, shade="cloth")
    c.dashes([(22, 38), (78, 38)], darker(colour, 0.35))
    for x in (37, 63):
        c.line([(x, 34), (x, 44)], darker(colour, 0.25), 0.5)


def belt(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 74, 32, 6)
    for r in (30, 24, 18):
        box = (50 - r, 54 - r * 0.55, 50 + r, 54 + r * 0.55)
        b, w = c.box(box), round(5.2 * c.unit)
        c.fill(lambda d, b=b, w=w: d.ellipse(b, outline=255, width=w), colour, shade="flat")
        c.arc(box, 0, 360, darker(colour, 0.25), 0.3)
    c.rounded((16, 44, 30, 62), 2, BRASS, shade="flat")  # the buckle
    c.rounded((19.5, 47, 26.5, 59), 1.2, mix(colour, BRASS, 0.1), shade="flat")
    c.line([(23, 47), (23, 59)], darker(BRASS, 0.3), 0.6)


def scarf(c: Canvas, colour: RGB) -> None:
    c.shadow(52, 62, 38, 18, strength=0.2)
    square = [(50, 14), (88, 48), (54, 86), (14, 52)]
    c.polygon(square, colour, shade="flat", outline=0.4)
    c.polygon(
        [(50, 22), (80, 48), (54, 78), (22, 52)], lighter(colour, 0.25), shade="flat", outline=0
    )
    c.polygon([(50, 28), (74, 48), (54, 72), (28, 52)], colour, shade="flat", outline=0)
    for dx, dy in ((0, -12), (12, 0), (0, 12), (-12, 0)):
        c.dot(51 + dx, 50 + dy, 2.4, lighter(colour, 0.55))
    c.dot(51, 50, 4, lighter(colour, 0.4))


def wallet(c: Canvas, colour: RGB) -> None:
    c.shadow(50, 76, 30, 5)
    c.rounded((30, 26, 72, 52), 2, (230, 232, 236), shade="flat")  # a card
    c.rounded((22, 34, 78, 74), 4, colour, shade="flat")
    for y in (42, 50):
        c.curve([(22, y), (50, y + 1.5), (78, y)], darker(colour, 0.3), 0.5)
    c.dashes([(24.5, 37), (24.5, 71.5), (75.5, 71.5), (75.5, 37)], lighter(colour, 0.35))
