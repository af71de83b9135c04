"""Product pictures for the demo shop, drawn with Pillow: each kind of product has a drawing
in its colour, shaded, on a studio background. Deterministic: the same arguments give the
same bytes (`seed` picks the small variations a drawing has).
"""

from collections.abc import Callable

from PIL import Image, ImageFont

from demo.pictures import garments, gear, home, vessels
from demo.pictures.kit import RGB, Canvas, lighter, luminance, webp

Drawing = Callable[[Canvas, RGB], None]

DRAWINGS: dict[str, Drawing] = {
    "mug": vessels.mug,
    "cup": vessels.cup,
    "pot": vessels.pot,
    "bottle": vessels.bottle,
    "coffee-press": vessels.coffee_press,
    "bowl": vessels.bowl,
    "plate": vessels.plate,
    "teapot": vessels.teapot,
    "carafe": vessels.carafe,
    "jug": vessels.jug,
    "vase": vessels.vase,
    "planter": vessels.planter,
    "candle-holder": vessels.candle_holder,
    "t-shirt": garments.t_shirt,
    "breton": garments.breton,
    "jumper": garments.jumper,
    "rollneck": garments.rollneck,
    "cardigan": garments.cardigan,
    "knit-vest": garments.knit_vest,
    "shirt": garments.shirt,
    "overshirt": garments.overshirt,
    "coat": garments.coat,
    "trench": garments.trench,
    "jacket": garments.jacket,
    "rain-jacket": garments.rain_jacket,
    "gilet": garments.gilet,
    "trousers": garments.trousers,
    "jeans": garments.jeans,
    "cords": garments.cords,
    "shorts": garments.shorts,
    "tent": gear.tent,
    "tunnel-tent": gear.tunnel_tent,
    "backpack": gear.backpack,
    "rolltop": gear.rolltop,
    "hip-pack": gear.hip_pack,
    "sleeping-bag": gear.sleeping_bag,
    "sleeping-mat": gear.sleeping_mat,
    "beanie": gear.beanie,
    "cap": gear.cap,
    "sneaker": gear.sneaker,
    "boot": gear.boot,
    "tote": gear.tote,
    "belt": gear.belt,
    "scarf": gear.scarf,
    "wallet": gear.wallet,
    "cushion": home.cushion,
    "folded": home.folded,
    "throw": home.throw,
    "towel": home.towel,
    "board": home.board,
    "table-lamp": home.table_lamp,
    "pendant": home.pendant,
    "floor-lamp": home.floor_lamp,
    "chair": home.chair,
    "stool": home.stool,
    "side-table": home.side_table,
}


def picture_image(*, picture: str, colour: RGB, seed: int, size: int):
    """Return the drawing `picture` in `colour` as a Pillow image of size×size."""
    canvas = Canvas(size=size, seed=seed)
    DRAWINGS[picture](canvas, colour)
    return canvas.result()


def picture_draw(
    *, picture: str, colour: RGB, seed: int, size: int, thumb: int
) -> tuple[bytes, bytes]:
    """Draw a product picture and its thumbnail; return both as WebP bytes.

    Raises KeyError for an unknown drawing.
    """
    image = picture_image(picture=picture, colour=colour, seed=seed, size=size)
    small = image.resize((thumb, thumb), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return webp(image), webp(small)


def logo_draw(*, name: str, colour: RGB, size: int) -> bytes:
    """Draw a merchant's logo: its initials on a disc of its colour; return WebP bytes."""
    canvas = Canvas(size=size, seed=0)
    canvas.ellipse((8, 8, 92, 92), colour, shade="flat", outline=0)
    initials = "".join(word[0] for word in name.split() if word[0].isalpha())[:2].upper()
    font = ImageFont.load_default(size=int(canvas.px * 0.32))
    ink = (32, 32, 36) if luminance(colour) > 150 else lighter(colour, 0.9)
    canvas.draw.text(canvas.xy([(50, 50)])[0], initials, font=font, fill=ink, anchor="mm")
    return webp(canvas.result())
