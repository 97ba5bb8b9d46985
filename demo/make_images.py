"""Draw the demo's images with Pillow: article and event illustrations, portraits, partner logo marks.

Run once by hand (``python demo/make_images.py``); the PNG files it writes under ``demo/files/`` are
checked in and loaded by ``load_demo_content``. Abstract, flat shapes in the hub's brand palette
(navy, teal, orange), quantised to a few colours so that they stay small. Deterministic: the same
slug always gives the same picture.
"""

import random
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

NAVY, BRAND, TEAL, SKY, PALE = "#062a3a", "#0b4f6c", "#14739b", "#7fb8d4", "#e1eef5"
ORANGE, AMBER, MINT, WHITE = "#b8420f", "#f0a04b", "#5fb3a1", "#ffffff"
BACKGROUNDS = [NAVY, BRAND, "#0d3b52", "#123f4f"]


def save(image, path, colours=32):
    path.parent.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").quantize(colours, dither=Image.Dither.NONE).save(path, optimize=True)


# --- Illustrations (articles and events) ---------------------------------------------------------


def skyline(draw, rng, width, height, colour):
    x = rng.randint(-40, 0)
    while x < width:
        w = rng.randint(50, 120)
        h = rng.randint(height // 6, height // 2)
        draw.rectangle([x, height - h, x + w, height], fill=colour)
        for wy in range(height - h + 18, height - 20, 26):
            for wx in range(x + 12, x + w - 14, 22):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 8, wy + 10], fill=AMBER)
        x += w + rng.randint(6, 22)


def grid(draw, width, height, colour, step=80):
    for x in range(0, width, step):
        draw.line([x, 0, x, height], fill=colour, width=2)
    for y in range(0, height, step):
        draw.line([0, y, width, y], fill=colour, width=2)


def network(draw, rng, width, height, nodes=7):
    points = [(rng.randint(80, width - 80), rng.randint(60, height // 2 + 60)) for _ in range(nodes)]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        draw.line([x1, y1, x2, y2], fill=SKY, width=4)
    for x, y in points:
        draw.ellipse([x - 14, y - 14, x + 14, y + 14], fill=WHITE)
        draw.ellipse([x - 7, y - 7, x + 7, y + 7], fill=ORANGE)


def shield(draw, cx, cy, size, fill=ORANGE, mark=WHITE):
    s = size
    draw.polygon(
        [(cx, cy - s), (cx + s * 0.85, cy - s * 0.65), (cx + s * 0.75, cy + s * 0.35), (cx, cy + s),
         (cx - s * 0.75, cy + s * 0.35), (cx - s * 0.85, cy - s * 0.65)],
        fill=fill,
    )
    draw.line([cx - s * 0.35, cy, cx - s * 0.05, cy + s * 0.3, cx + s * 0.4, cy - s * 0.3], fill=mark, width=int(s * 0.14))


def waves(draw, cx, cy, colour=SKY):
    for r in range(40, 220, 45):
        draw.arc([cx - r, cy - r, cx + r, cy + r], 200, 340, fill=colour, width=8)
    draw.ellipse([cx - 16, cy - 16, cx + 16, cy + 16], fill=ORANGE)


def lamp(draw, x, base, height):
    draw.rectangle([x - 6, base - height, x + 6, base], fill=PALE)
    draw.rectangle([x - 6, base - height, x + 70, base - height + 12], fill=PALE)
    draw.polygon([(x + 40, base - height + 12), (x + 100, base - height + 12), (x + 70, base - height + 40)], fill=AMBER)
    draw.polygon([(x + 48, base - height + 40), (x + 92, base - height + 40), (x + 150, base), (x - 10, base)], fill="#1c5f7d")


def traffic_light(draw, x, y):
    draw.rounded_rectangle([x, y, x + 70, y + 190], radius=16, fill=NAVY, outline=PALE, width=4)
    for i, colour in enumerate(("#d9534f", AMBER, MINT)):
        draw.ellipse([x + 13, y + 14 + i * 58, x + 57, y + 58 + i * 58], fill=colour)


def megaphone(draw, x, y):
    draw.polygon([(x, y + 40), (x + 120, y - 10), (x + 120, y + 150), (x, y + 100)], fill=ORANGE)
    draw.rectangle([x - 40, y + 40, x, y + 100], fill=PALE)
    for r in (50, 90):
        draw.arc([x + 120 - r, y + 70 - r, x + 120 + r + 40, y + 70 + r], 300, 60, fill=PALE, width=8)


def drop(draw, cx, cy, size):
    draw.polygon([(cx, cy - size * 1.5), (cx + size, cy), (cx - size, cy)], fill=SKY)
    draw.ellipse([cx - size, cy - size, cx + size, cy + size], fill=SKY)


def document(draw, x, y):
    draw.rectangle([x, y, x + 200, y + 260], fill=WHITE)
    draw.polygon([(x + 150, y), (x + 200, y + 50), (x + 150, y + 50)], fill=PALE)
    for i in range(6):
        draw.rectangle([x + 24, y + 80 + i * 28, x + 176 - (i % 3) * 30, y + 92 + i * 28], fill=SKY)
    shield(draw, x + 200, y + 230, 60)


def people(draw, rng, x, y, count=4):
    for i in range(count):
        cx = x + i * 90
        colour = [ORANGE, SKY, MINT, AMBER][i % 4]
        draw.ellipse([cx - 26, y - 26, cx + 26, y + 26], fill=colour)
        draw.pieslice([cx - 50, y + 30, cx + 50, y + 150], 180, 360, fill=colour)


MOTIFS = [
    ("light", lambda d, r, w, h: lamp(d, w * 0.62, h - 40, 330)),
    ("traffic", lambda d, r, w, h: traffic_light(d, int(w * 0.7), 120)),
    ("sensor", lambda d, r, w, h: waves(d, int(w * 0.7), int(h * 0.55))),
    ("alert", lambda d, r, w, h: megaphone(d, int(w * 0.62), int(h * 0.3))),
    ("disclosure", lambda d, r, w, h: megaphone(d, int(w * 0.62), int(h * 0.3))),
    ("water", lambda d, r, w, h: drop(d, int(w * 0.72), int(h * 0.55), 70)),
    ("guideline", lambda d, r, w, h: document(d, int(w * 0.6), 110)),
    ("role", lambda d, r, w, h: shield(d, int(w * 0.72), int(h * 0.45), 130)),
    ("partners", lambda d, r, w, h: people(d, r, int(w * 0.55), int(h * 0.35))),
    ("meetup", lambda d, r, w, h: people(d, r, int(w * 0.55), int(h * 0.35))),
    ("conference", lambda d, r, w, h: people(d, r, int(w * 0.5), int(h * 0.35), 5)),
    ("roundtable", lambda d, r, w, h: people(d, r, int(w * 0.55), int(h * 0.35))),
    ("procurement", lambda d, r, w, h: document(d, int(w * 0.6), 110)),
    ("network", lambda d, r, w, h: network(d, r, w, h)),
    ("briefing", lambda d, r, w, h: network(d, r, w, h)),
]


def illustration(slug, path, width=1200, height=600):
    rng = random.Random(slug)  # noqa: S311 - pictures, not secrets
    image = Image.new("RGB", (width, height), rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    grid(draw, width, height, "#164a61", step=rng.choice([60, 80, 100]))
    draw.ellipse([-200, -260, 520, 460], fill="#0f5573")
    skyline(draw, rng, width, height, "#0a3447")
    for keyword, motif in MOTIFS:
        if keyword in slug:
            motif(draw, rng, width, height)
            break
    else:
        network(draw, rng, width, height)
    save(image, path)


# --- Portraits -------------------------------------------------------------------------------------


def portrait(name, path, size=320):
    rng = random.Random(name)  # noqa: S311 - pictures, not secrets
    background = rng.choice([PALE, "#f6e3d8", "#dcefe9", "#e6e9f5"])
    skin = rng.choice(["#8d5a3b", "#c68642", "#e0ac69", "#f1c27d", "#5c3a21", "#ffdbac"])
    hair = rng.choice([NAVY, "#2b1d14", "#6b4423", "#a0a0a0", "#3b3b3b"])
    shirt = rng.choice([BRAND, TEAL, ORANGE, "#3d4f5c", MINT])
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    c = size // 2
    draw.pieslice([c - 130, int(size * 0.62), c + 130, int(size * 1.35)], 180, 360, fill=shirt)
    draw.rectangle([c - 24, int(size * 0.5), c + 24, int(size * 0.68)], fill=skin)
    draw.ellipse([c - 62, int(size * 0.2), c + 62, int(size * 0.6)], fill=skin)
    style = rng.randint(0, 2)
    if style == 0:
        draw.chord([c - 66, int(size * 0.16), c + 66, int(size * 0.5)], 180, 360, fill=hair)
    elif style == 1:
        draw.chord([c - 70, int(size * 0.15), c + 70, int(size * 0.56)], 170, 370, fill=hair)
        draw.rectangle([c - 70, int(size * 0.35), c - 52, int(size * 0.62)], fill=hair)
        draw.rectangle([c + 52, int(size * 0.35), c + 70, int(size * 0.62)], fill=hair)
    else:
        draw.chord([c - 64, int(size * 0.18), c + 64, int(size * 0.42)], 190, 350, fill=hair)
    save(image, path, colours=16)


# --- Logo marks ------------------------------------------------------------------------------------


def symbol(draw, kind, x, y, s, main, second):
    if kind == 0:
        shield(draw, x + s / 2, y + s / 2, s / 2, fill=main, mark=WHITE)
    elif kind == 1:
        draw.regular_polygon((x + s / 2, y + s / 2, s / 2), 6, fill=main)
        draw.regular_polygon((x + s / 2, y + s / 2, s / 4), 6, fill=second)
    elif kind == 2:
        draw.ellipse([x, y, x + s, y + s], fill=main)
        for dx, dy in ((0.3, 0.35), (0.68, 0.3), (0.5, 0.7)):
            draw.ellipse([x + s * dx - s * 0.09, y + s * dy - s * 0.09, x + s * dx + s * 0.09, y + s * dy + s * 0.09], fill=WHITE)
    elif kind == 3:
        for i, h in enumerate((0.45, 0.75, 1.0)):
            draw.rectangle([x + i * s * 0.34, y + s * (1 - h), x + i * s * 0.34 + s * 0.26, y + s], fill=main if i != 1 else second)
    elif kind == 4:
        draw.rounded_rectangle([x, y, x + s, y + s], radius=int(s * 0.22), fill=main)
        for r in (0.18, 0.32):
            draw.arc([x + s * (0.5 - r), y + s * (0.62 - r), x + s * (0.5 + r), y + s * (0.62 + r)], 210, 330, fill=WHITE, width=int(s * 0.08))
    else:
        draw.polygon([(x + s / 2, y), (x + s, y + s / 2), (x + s / 2, y + s), (x, y + s / 2)], fill=main)
        draw.polygon([(x + s / 2, y + s * 0.25), (x + s * 0.75, y + s / 2), (x + s / 2, y + s * 0.75), (x + s * 0.25, y + s / 2)], fill=second)


def logo(slug, title, path, width=480, height=200):
    rng = random.Random(slug)  # noqa: S311 - pictures, not secrets
    main, second = rng.choice([(BRAND, ORANGE), (NAVY, TEAL), (TEAL, AMBER), (ORANGE, NAVY), (BRAND, SKY)])
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    size = 120
    symbol(draw, rng.randint(0, 5), 24, (height - size) // 2, size, main, second)
    words = title.replace("(", "").replace(")", "").split()
    lines = [" ".join(words)] if len(" ".join(words)) <= 14 else [" ".join(words[: (len(words) + 1) // 2]), " ".join(words[(len(words) + 1) // 2 :])]
    text_x, room = 24 + size + 22, width - (24 + size + 22) - 20
    font_size = 64
    while font_size > 20:
        font = ImageFont.truetype(FONT, font_size)
        if all(draw.textlength(line, font=font) <= room for line in lines) and font_size * 1.15 * len(lines) < height - 30:
            break
        font_size -= 2
    total = int(font_size * 1.15 * len(lines))
    y = (height - total) // 2
    for i, line in enumerate(lines):
        draw.text((text_x, y + int(i * font_size * 1.15)), line, font=font, fill=NAVY if i == 0 else main)
    save(image, path, colours=16)


def main():
    def data(name):
        return yaml.safe_load((HERE / "data" / f"{name}.yaml").read_text(encoding="utf-8"))

    for spec in data("articles")["articles"]:
        illustration(spec["slug"], FILES / "images" / "articles" / f"{spec['slug']}.png")
    for spec in data("events")["events"]:
        illustration(spec["slug"], FILES / "images" / "events" / f"{spec['slug']}.png")
    for spec in data("people")["people"]:
        slug = "-".join(spec["name"].lower().replace(".", "").split())
        portrait(spec["name"], FILES / "images" / "people" / f"{slug}.png")
    for spec in data("partners")["partners"]:
        logo(spec["slug"], spec["title"], FILES / spec["logo"])


if __name__ == "__main__":
    main()
