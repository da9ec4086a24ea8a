"""Printable documents (contracts, delivery notes …) as PDF.

fpdf2 writes the PDF; the Chinese font (Noto Sans SC, regular and bold) is embedded
as a subset of the glyphs used, so a document prints the same on any machine,
whatever fonts it has. Documents are A4 portrait with a running footer (document
number, page x / y)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT = "noto"
PDF_CONTENT_TYPE = "application/pdf"
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def pdf_response(content: bytes, filename: str):
    """A PDF we generated, shown in the browser's viewer (our own document, not an
    upload: safe to open inline)."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class FontMissing(RuntimeError):
    pass


def _font_files() -> dict[str, str]:
    base = settings.MDSS_PDF_FONT_DIR
    files = {
        "": base / "400Regular" / "NotoSansSC_400Regular.ttf",
        "B": base / "700Bold" / "NotoSansSC_700Bold.ttf",
    }
    for path in files.values():
        if not path.exists():
            raise FontMissing(
                f"{path} is missing: run `make setup` (npm installs the Noto Sans SC font)."
            )
    return {style: str(path) for style, path in files.items()}


class Document(FPDF):
    """A4 document with the embedded Chinese font and a footer."""

    def __init__(self, *, title: str, reference: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, path in _font_files().items():
            self.add_font(FONT, style, path)
        self.reference = reference
        self.set_title(title)
        self.set_creator("MDSS")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.alias_nb_pages()
        self.add_page()

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.reference}    第 {self.page_no()} / {{nb}} 页", align="C")
        self.set_text_color(0)

    # -- building blocks ---------------------------------------------------------
    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(FONT, "B", size)
        self.cell(0, size * 0.6, text, align="C", **NEXT_LINE)
        self.ln(2)

    def section(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 11)
        self.cell(0, 7, text, **NEXT_LINE)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, 5.5, text or "—", align="L", **NEXT_LINE)

    def fields(self, rows: list[tuple[str, str]], label_width: float = 34) -> None:
        """Label: value rows; long values wrap under themselves."""
        for label, value in rows:
            self.set_font(FONT, "B", 10)
            y = self.get_y()
            self.cell(label_width, 5.5, label)
            self.set_font(FONT, "", 10)
            self.set_xy(self.l_margin + label_width, y)
            self.multi_cell(0, 5.5, str(value or "—"), align="L", **NEXT_LINE)

    def grid(
        self, headers: list[str], rows: list[list], widths: list[float], align: str = ""
    ) -> None:
        """A bordered table; ``align`` gives each column L/C/R (default left)."""
        aligns = list(align.ljust(len(headers), "L"))
        self.set_font(FONT, "", 9)
        with self.table(
            col_widths=widths,
            text_align=aligns,
            line_height=5.5,
            first_row_as_headings=True,
            headings_style=_headings(),
        ) as table:
            for row in [headers, *rows]:
                cells = table.row()
                for value in row:
                    cells.cell("" if value is None else str(value))

    def signatures(self, left: list[str], right: list[str]) -> None:
        self.ln(6)
        self.set_font(FONT, "", 10)
        half = (self.w - self.l_margin - self.r_margin) / 2
        y = self.get_y()
        for n, text in enumerate(left):
            self.set_xy(self.l_margin, y + n * 7)
            self.cell(half, 6, text)
        for n, text in enumerate(right):
            self.set_xy(self.l_margin + half, y + n * 7)
            self.cell(half, 6, text)
        self.set_y(y + max(len(left), len(right)) * 7)

    def render(self) -> bytes:
        self.set_font(FONT, "", 10)
        return bytes(self.output())


def _headings():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=(235, 238, 242))


DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
GROUPS = ["", "万", "亿", "万亿"]


def _group(n: int) -> str:
    """0 < n < 10000 in capital numerals, zeros inside folded to one 零."""
    text, zero = "", False
    for power in range(3, -1, -1):
        digit = n // 10**power % 10
        if digit == 0:
            zero = bool(text)
        else:
            text += ("零" if zero else "") + DIGITS[digit] + UNITS[power]
            zero = False
    return text


def rmb_in_words(amount: Decimal) -> str:
    """An amount in yuan as written on Chinese contracts and invoices (人民币大写):
    12345.60 → 壹万贰仟叁佰肆拾伍元陆角整."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    if value < 0:
        return "负" + rmb_in_words(-value)
    cents = int(value * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    words = ""
    if yuan:
        groups = []
        while yuan:
            groups.append(yuan % 10000)
            yuan //= 10000
        pending_zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                pending_zero = bool(words)
                continue
            if words and (pending_zero or group < 1000):
                words += "零"
            words += _group(group) + GROUPS[index]
            pending_zero = False
        words += "元"
    if not jiao and not fen:
        return (words or "零元") + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    else:
        words += "整"
    return words


def plain_text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF of plain lines in the viewer's own Chinese font (Adobe's
    STSong-Light, not embedded), written by hand in a few hundred bytes: demo
    documents and test uploads, where ``Document``'s embedded font would cost a
    second each."""
    text = "".join(
        f"BT /F1 11 Tf 56 {780 - 18 * n} Td <{line.encode('utf-16-be').hex()}> Tj ET\n"
        for n, line in enumerate(lines[:40])
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"endstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
