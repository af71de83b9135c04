"""Clothes laid flat, seen from the front: tops (one outline with options) and trousers."""

from dataclasses import dataclass

from demo.pictures.kit import RGB, Canvas, darker, lighter

ECRU: RGB = (236, 228, 208)
BUTTON: RGB = (60, 52, 46)
ZIP: RGB = (70, 70, 74)
STITCH: RGB = (206, 150, 70)


@dataclass(frozen=True)
class Top:
    sleeves: str = "long"  # long | short | none
    hem: float = 84  # where the body ends
    neck: str = "crew"  # crew | roll | collar | v | hood | lapel
    front: str = ""  # buttons | zip | ""
    pockets: str = ""  # chest | patch | ""
    rib: bool = False  # knitted cuffs and hem
    stripes: bool = False  # navy-on-ecru Breton stripes (the colour is the stripes')
    quilted: bool = False
    belt: bool = False


def _body(top: Top) -> list[tuple[float, float]]:
    if top.sleeves == "none":
        return [
            (38, 16),
            (30, 20),
            (31, 34),
            (32, 44),
            (31, top.hem),
            (69, top.hem),
            (68, 44),
            (69, 34),
            (70, 20),
            (62, 16),
            (56, 20),
            (44, 20),
        ]
    return [
        (40, 15),
        (30, 19),
        (32, 42),
        (31, top.hem),
        (69, top.hem),
        (68, 42),
        (70, 19),
        (60, 15),
        (55, 19),
        (45, 19),
    ]


def _mirror(side: int):
    """Return x -> x on the right side (1) or mirrored about the middle (-1)."""
    return lambda v: 50 + side * (v - 50)


def _sleeves(c: Canvas, top: Top, colour: RGB, kw: dict) -> None:
    if top.sleeves == "short":
        for s in (1, -1):
            x = _mirror(s)
            c.polygon([(x(30), 19), (x(17), 37), (x(26), 42), (x(32), 34)], colour, **kw)
    elif top.sleeves == "long":
        cuff = top.hem - 6
        for s in (1, -1):
            x = _mirror(s)
            c.polygon([(x(30), 19), (x(18), cuff), (x(26), cuff + 1), (x(33), 40)], colour, **kw)
            if top.rib:
                c.polygon(
                    [(x(18), cuff), (x(17.6), cuff + 5), (x(25.6), cuff + 6), (x(26), cuff + 1)],
                    darker(colour, 0.08),
                    **kw,
                )


def top_draw(c: Canvas, colour: RGB, top: Top) -> None:
    c.shadow(50, top.hem + 1, 30, 4, strength=0.2)
    base = ECRU if top.stripes else colour
    kw = {"shade": "cloth", "bounds": (15, 12, 85, top.hem)}
    _sleeves(c, top, base, kw)
    body = _body(top)
    c.polygon(body, base, **kw)
    if top.stripes:
        pts = c.xy(body)
        stripes = [c.box((0, y, 100, y + 2.4)) for y in range(24, int(top.hem) - 2, 6)]

        def paint(d):
            for box in stripes:
                d.rectangle(box, fill=255)

        c.fill(paint, colour, shade="cloth", clip=lambda d: d.polygon(pts, fill=255), outline=0)
    if top.quilted:
        for y in range(26, int(top.hem) - 2, 8):
            c.line([(32, y), (68, y)], darker(colour, 0.25), 0.4)
    if top.rib:
        c.polygon(
            [(31, top.hem - 6), (31, top.hem), (69, top.hem), (69, top.hem - 6)],
            darker(colour, 0.06),
            **kw,
        )
        for x in range(33, 68, 2):
            c.line([(x, top.hem - 5.5), (x, top.hem - 0.5)], darker(colour, 0.15), 0.2)
    _neck(c, top, colour, kw)
    if top.front == "buttons":
        start = {"v": 40, "lapel": 44}.get(top.neck, 22)
        c.line([(50, start), (50, top.hem)], darker(colour, 0.2), 0.35)
        for y in range(start + 3, int(top.hem) - 3, 9):
            c.dot(50, y, 0.9, BUTTON if top.neck != "collar" else lighter(colour, 0.5))
    elif top.front == "zip":
        c.line([(50, 19), (50, top.hem)], ZIP, 0.6)
        c.rounded((49, 24, 51, 28), 0.5, ZIP, shade="none")
    if top.pockets == "chest":
        for x in (36, 56):
            c.rounded((x, 28, x + 8, 37), 0.6, colour, **kw)
    elif top.pockets == "patch":
        for x in (34, 56):
            c.rounded((x, top.hem - 22, x + 10, top.hem - 10), 0.8, colour, **kw)
        c.rounded((55, 26, 63, 34), 0.6, colour, **kw)
    if top.belt:
        c.polygon([(31, 54), (69, 54), (69, 59), (31, 59)], darker(colour, 0.08), **kw)
        c.rounded((47, 53, 53, 60), 0.5, darker(colour, 0.35), shade="none")


def _neck(c: Canvas, top: Top, colour: RGB, kw: dict) -> None:
    inside = darker(ECRU if top.stripes else colour, 0.35)
    if top.neck == "crew":
        c.ellipse((42, 14, 58, 22), inside, shade="none", outline=0)
        c.arc((41.5, 13.5, 58.5, 22.5), 0, 180, darker(colour, 0.1), 1.2)
    elif top.neck == "roll":
        c.rounded((40, 8, 60, 21), 4, colour, **kw)
        for x in range(42, 59, 2):
            c.line([(x, 9), (x, 20)], darker(colour, 0.15), 0.2)
    elif top.neck == "v":
        c.polygon([(44, 17), (50, 40), (56, 17)], inside, shade="none", outline=0)
        c.line([(43.5, 17), (50, 41), (56.5, 17)], darker(colour, 0.12), 1.2)
    elif top.neck == "collar":
        c.polygon([(42, 15), (50, 21), (45, 27)], lighter(colour, 0.06), **kw)
        c.polygon([(58, 15), (50, 21), (55, 27)], lighter(colour, 0.06), **kw)
    elif top.neck == "hood":
        c.polygon([(38, 18), (40, 6), (50, 2), (60, 6), (62, 18), (56, 20), (44, 20)], colour, **kw)
        c.polygon(
            [(43, 18), (44, 9), (50, 6), (56, 9), (57, 18)],
            darker(colour, 0.3),
            shade="none",
            outline=0,
        )
    elif top.neck == "lapel":
        c.polygon([(40, 15), (50, 44), (44, 30), (37, 24)], lighter(colour, 0.05), **kw)
        c.polygon([(60, 15), (50, 44), (56, 30), (63, 24)], lighter(colour, 0.05), **kw)


def _top(**options) -> callable:
    top = Top(**options)
    return lambda c, colour: top_draw(c, colour, top)


t_shirt = _top(sleeves="short", hem=80)
breton = _top(sleeves="long", hem=80, stripes=True)
jumper = _top(rib=True)
rollneck = _top(rib=True, neck="roll")
cardigan = _top(rib=True, neck="v", front="buttons", pockets="")
knit_vest = _top(sleeves="none", rib=True, neck="v", hem=78)
shirt = _top(neck="collar", front="buttons", hem=82)
overshirt = _top(neck="collar", front="buttons", pockets="chest", hem=80)
coat = _top(neck="lapel", front="buttons", hem=94)
trench = _top(neck="lapel", front="buttons", hem=94, belt=True)
jacket = _top(neck="collar", front="buttons", pockets="patch", hem=78)
rain_jacket = _top(neck="hood", front="zip", hem=82)
gilet = _top(sleeves="none", neck="crew", front="zip", quilted=True, hem=78)


def _legwear(
    c: Canvas, colour: RGB, *, length: float, jeans: bool = False, wales: bool = False
) -> None:
    """Draw trousers from the waistband down to `length`; short ones stand lower."""
    top = 0 if length > 70 else 30  # shorts: moved down so they sit on the floor line
    hem = length + top

    def y(v: float) -> float:
        return v + top

    c.shadow(50, hem + 1, 22, 3, strength=0.2)
    kw = {"shade": "cloth", "bounds": (30, y(12), 70, hem)}
    for s in (1, -1):
        x = _mirror(s)
        leg = [(x(50), y(19)), (x(66.5), y(18)), (x(69), hem), (x(52.5), hem), (x(50), y(32))]
        c.polygon(leg, colour, **kw)
        if wales:
            for i in range(1, 8):
                f = i / 8
                c.line(
                    [(x(50 + 16.5 * f), y(22 + 4 * (1 - f))), (x(52.5 + 16.5 * f), hem)],
                    darker(colour, 0.14),
                    0.25,
                )
        if jeans:
            c.curve([(x(58), y(18)), (x(60), y(24)), (x(66.6), y(26))], STITCH, 0.35)
            c.dot(x(64.5), y(21), 0.6, STITCH)
    c.polygon([(33, y(13)), (67, y(13)), (67, y(19)), (33, y(19))], colour, **kw)
    c.line([(50, y(19)), (50, y(34))], darker(colour, 0.25), 0.35)
    c.dot(50, y(16), 0.8, BUTTON if not jeans else STITCH)
    for x in (38, 46, 54, 62):
        c.line([(x, y(13)), (x, y(19))], darker(colour, 0.3), 0.35)  # belt loops
    if jeans:
        c.dashes([(34, y(18.6)), (66, y(18.6))], STITCH)


def trousers(c: Canvas, colour: RGB) -> None:
    _legwear(c, colour, length=90)


def jeans(c: Canvas, colour: RGB) -> None:
    _legwear(c, colour, length=90, jeans=True)


def cords(c: Canvas, colour: RGB) -> None:
    _legwear(c, colour, length=90, wales=True)


def shorts(c: Canvas, colour: RGB) -> None:
    _legwear(c, colour, length=52)
