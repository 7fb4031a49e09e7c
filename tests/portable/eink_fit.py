# Names up to 40 characters (and longer input) never overflow their box: fitted, split over
# two lines, or ellipsised. Checked on the pixels: no ink outside the box. Both runtimes.
from cloudpin import layouts, writer
from cloudpin.canvas import Canvas
from cloudpin.fonts import bold18

NAMES = (
    "Jo Wu",
    "Maria Fernández",
    "Anna-Katharina Szczepańska-Løvholt Ödön",
    "Wolfeschlegelsteinhausenbergerdorffvoralt",   # 41 letters, no space
    "Ŀukasz Ŧest Œuvre Ĳssel ĸ",                     # Latin Extended-A -> base letters
    "名前 Name",                                     # beyond Latin-1: '?' glyphs, still fitted
    "",
)


def ink_outside(fb, x0, y0, w, h):
    n = 0
    for y in range(fb.height):
        for x in range(fb.width):
            inside = x0 <= x < x0 + w and y0 <= y < y0 + h
            if not inside and fb.pixel(x, y) == 0:
                n += 1
    return n


fb = Canvas(250, 122)
for box_w, box_h in ((178, 36), (244, 36), (120, 66), (60, 17)):
    for name in NAMES:
        fb.fill(1)
        font, lines = writer.fit_lines(layouts.NAME_FONTS, writer.fold(name), box_w, box_h)
        y = 0
        for line in lines:
            writer.draw(fb, font, line, 0, y)
            y += font.height()
        out = ink_outside(fb, 0, 0, box_w, box_h)
        if out:
            raise AssertionError("%r overflows %dx%d by %d px" % (name, box_w, box_h, out))
        print(box_w, box_h, font.height(), " | ".join(lines))

print(writer.ellipsize(bold18, "Internationale Rundfunkgesellschaft", 120))
print(writer.ellipsize(bold18, "Short", 120))
print(repr(writer.ellipsize(bold18, "Anything", 5)))
print(writer.fold("Łódź Dąbrowski"), writer.fold("plain") is not None)
