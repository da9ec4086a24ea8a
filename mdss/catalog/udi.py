"""Read UDI (Unique Device Identification) barcodes of medical devices.

NMPA, FDA and EU MDR accept UDIs from several issuing agencies; this module reads the
two found on almost every device we sell:

* GS1 (issuer "GS1"): element strings as sent by a GS1-128 / GS1 DataMatrix / GS1 QR
  scanner, the human-readable form with the Application Identifiers (AIs) in
  parentheses, a bare GTIN from a linear EAN/UPC/ITF-14 symbol, and GS1 Digital Link
  URIs. The `biip` package does the GS1 parsing; we only pick out the UDI fields.
* HIBC (issuer "HIBCC"): the HIBC LIC Supplier Labeling Standard (ANSI/HIBC 2.x),
  read here because no maintained library does it.

`parse_udi` never raises: anything that cannot be read, or a failed check digit,
becomes a sentence in `UdiResult.errors`, so a scan screen can show it as it is.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import biip
from biip import ParseConfig, ParseError
from biip.checksums import gs1_standard_check_digit
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message
from django.utils.translation import gettext as _


@dataclass
class UdiResult:
    raw: str
    scheme: str = ""  # "gs1", "gs1_digital_link", "hibc" or "" when nothing parsed
    issuer: str = ""  # "GS1", "HIBCC" or ""
    # GS1: the GTIN-14. HIBC: labeler code + product number + unit-of-measure digit.
    # When a check digit fails, `di` still shows what was read, but `ok` is False.
    di: str = ""
    lot: str = ""
    serial: str = ""
    production_date: date | None = None
    expiry_date: date | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.di) and not self.errors


# ISO/IEC 15424 symbology identifier that scanners may put in front of the data:
# "]" + symbology letter + one modifier, e.g. ]d2 GS1 DataMatrix, ]C1 GS1-128,
# ]Q3 GS1 QR Code, ]e0 GS1 DataBar, ]A0 Code 39 (HIBC).
SYMBOLOGY_IDENTIFIER = re.compile(r"\][A-Za-z][0-9A-Za-z]")
# Symbologies whose data always starts with an AI, so it is never a bare GTIN.
GS1_MESSAGE_SYMBOLOGIES = {"]C1", "]d2", "]Q3", "]e0", "]J1"}
# FNC1 ends a variable-length GS1 field; scanners send it as ASCII 29 (GS), and
# people who type or paste scans write it as text.
GROUP_SEPARATOR = "\x1d"
TYPED_GROUP_SEPARATOR = re.compile(r"<GS>|\{GS\}|\\x1d", re.IGNORECASE)
# A linear EAN-8, UPC-A, EAN-13 or ITF-14 symbol holds only the GTIN, without AI 01.
BARE_GTIN = re.compile(r"[0-9]{8}|[0-9]{12,14}")
# Read an impossible date (e.g. 30 February) as an error on that AI instead of
# losing the whole message.
BIIP_CONFIG = ParseConfig(gs1_element_strings_verify_date=False)

# HIBC check character: the values of all characters, "+" included, summed modulo 43,
# over this character set in this order (values 0-42).
HIBC_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
# Primary data: "+", labeler identification code (LIC, 4 characters, first one a
# letter), product or catalog number (1-18 characters), unit of measure (1 digit).
HIBC_PRIMARY = re.compile(r"\+[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]")
# Flag after "$$" or "$$+" -> layout of the date that follows. MMYY has no flag: a
# month starts with 0 or 1, which is why the flags are 2 to 9. All are expiry dates.
HIBC_DATE_LAYOUTS = {"2": "MMDDYY", "3": "YYMMDD", "4": "YYMMDDHH", "5": "YYJJJ", "6": "YYJJJHH"}
HIBC_NO_DATE_FLAG = "7"
HIBC_MAX_LOT_OR_SERIAL = 18


# The longest UDI carrier holds far less (GS1 DataMatrix ≈ 2,300 characters at most,
# real labels under 100); a longer text is refused before any parser sees it, since
# parsing a 1 MB string took seconds.
MAX_UDI_LENGTH = 512


def parse_udi(text: str) -> UdiResult:
    if len(text) > MAX_UDI_LENGTH:
        result = UdiResult(raw=text[:MAX_UDI_LENGTH])
        result.errors.append(
            _("A scanned UDI has at most %(n)s characters; this text has %(m)s.")
            % {"n": MAX_UDI_LENGTH, "m": len(text)}
        )
        return result
    result = UdiResult(raw=text)
    body = text.strip()
    symbology = ""
    if match := SYMBOLOGY_IDENTIFIER.match(body):
        symbology, body = match.group(), body[match.end() :]
    if body.startswith("*") or body.startswith("+"):
        # Code 39 start/stop characters are "*"; they are not part of the HIBC data.
        hibc = body.removeprefix("*").removesuffix("*")
        # A space is a valid HIBC check character; strip() above may have removed it.
        space_may_be_check = text.rstrip("\r\n\t").endswith(" ") and not body.endswith("*")
        _read_hibc(result, hibc, space_may_be_check)
        return result
    body = TYPED_GROUP_SEPARATOR.sub(GROUP_SEPARATOR, body).strip(GROUP_SEPARATOR)
    if not body:
        result.errors.append(_("Not a GS1 or HIBC UDI: the scanned text is empty."))
        return result
    try:
        scheme, element_strings = _gs1_element_strings(body, symbology)
    except (ParseError, ValueError) as exc:
        result.errors.append(
            _("Not a GS1 or HIBC UDI: %(text)s. The GS1 reader says: %(reason)s")
            % {"text": text.strip(), "reason": exc}
        )
        return result
    result.scheme, result.issuer = scheme, "GS1"
    _read_gs1(result, element_strings)
    return result


def _gs1_element_strings(body: str, symbology: str) -> tuple[str, list[GS1ElementString]]:
    """Return the scheme and the GS1 element strings; raise ParseError if there are none."""
    if body.lower().startswith(("http://", "https://")):
        uri = GS1DigitalLinkURI.parse(body, config=BIIP_CONFIG)
        return "gs1_digital_link", uri.element_strings
    if body.startswith("("):
        return "gs1", GS1Message.parse_hri(body, config=BIIP_CONFIG).element_strings
    if symbology not in GS1_MESSAGE_SYMBOLOGIES and BARE_GTIN.fullmatch(body):
        # Any message with AI 01 is at least 16 digits long, so nothing is lost here.
        gtin = GS1ElementString.parse("01" + body.zfill(14), config=BIIP_CONFIG)
        return "gs1", [gtin]
    if body.startswith("]"):  # biip.parse would fail with an IndexError on a bare "]"
        raise ParseError(f"Unknown symbology identifier {body[:3]!r}.")
    parsed = biip.parse(body, config=BIIP_CONFIG)
    if parsed.gs1_message is None:
        raise ParseError(parsed.gs1_message_error or body)
    return "gs1", parsed.gs1_message.element_strings


def _read_gs1(result: UdiResult, element_strings: list[GS1ElementString]) -> None:
    for element in element_strings:
        ai = element.ai.ai
        if ai == "01":
            result.di = element.value
            if not re.fullmatch(r"[0-9]{14}", element.value):
                # Full-width digits (０６９…) look like a GTIN to int() but are not one.
                result.errors.append(
                    _("GTIN %(gtin)s must be 14 ASCII digits.") % {"gtin": element.value}
                )
            elif element.gtin_error:
                result.errors.append(_gtin_error(element.value))
        elif ai == "10":
            result.lot = element.value
        elif ai == "21":
            result.serial = element.value
        elif ai in ("11", "17"):
            parsed = _gs1_date(element)
            if parsed is None:
                result.errors.append(
                    _("GS1 AI (%(ai)s) holds %(value)s, which is not a valid YYMMDD date.")
                    % {"ai": ai, "value": element.value}
                )
            elif ai == "11":
                result.production_date = parsed
            else:
                result.expiry_date = parsed
    if not result.di:
        result.errors.append(
            _("The GS1 data has no GTIN (AI 01), so it holds no device identifier.")
        )


def _gs1_date(element: GS1ElementString) -> date | None:
    parsed = element.date
    if parsed is not None and element.value[4:6] == "00":
        # GS1 General Specifications 7.12: day "00" means the last day of the month.
        # biip does this already; kept so that a change in biip cannot shorten shelf life.
        parsed = parsed.replace(day=calendar.monthrange(parsed.year, parsed.month)[1])
    return parsed


def _gtin_error(gtin: str) -> str:
    # GS1 General Specifications 7.9.1: mod-10 check digit, weights 3 and 1 from the right.
    expected = str(gs1_standard_check_digit(gtin[:-1]))
    if expected != gtin[-1]:
        return _(
            "GTIN %(gtin)s has a wrong check digit: expected %(expected)s, found %(found)s."
        ) % {"gtin": gtin, "expected": expected, "found": gtin[-1]}
    return _("GTIN %(gtin)s is not valid.") % {"gtin": gtin}


def hibc_check_character(data: str) -> str:
    """The HIBC modulo-43 check character of `data` (which includes the leading "+")."""
    return HIBC_CHARACTERS[sum(HIBC_CHARACTERS.index(char) for char in data) % 43]


def _read_hibc(result: UdiResult, hibc: str, space_may_be_check: bool) -> None:
    if not hibc.startswith("+") or len(hibc) < 3 or set(hibc) - set(HIBC_CHARACTERS):
        result.errors.append(
            _(
                "Not a GS1 or HIBC UDI: %(text)s (HIBC data starts with '+' and uses only "
                "0-9, A-Z, - . space $ / + %%)."
            )
            % {"text": hibc}
        )
        return
    result.scheme, result.issuer = "hibc", "HIBCC"
    data, found = hibc[:-1], hibc[-1]
    if hibc_check_character(data) != found:
        if space_may_be_check and hibc_check_character(hibc) == " ":
            data = hibc
        else:
            result.errors.append(
                _("The HIBC check character is wrong: expected %(expected)s, found %(found)s.")
                % {"expected": repr(hibc_check_character(data)), "found": repr(found)}
            )
    if not data[1].isalpha():
        # Secondary barcode alone: "+" + secondary data + link character + check character.
        # The link character is the primary's check character, which we cannot see here.
        _read_hibc_secondary(result, data[1:-1])
        result.errors.append(
            _("This is HIBC secondary data only; the device identifier is on the primary barcode.")
        )
        return
    # Primary and secondary in one symbol are joined by "/" and share one check character.
    primary, _slash, secondary = data.partition("/")
    if HIBC_PRIMARY.fullmatch(primary):
        result.di = primary[1:]
    else:
        result.errors.append(
            _(
                "HIBC primary data %(data)s must be '+', a 4-character labeler code starting "
                "with a letter, a 1-18 character product number and a unit-of-measure digit."
            )
            % {"data": primary}
        )
    secondary, _slash, supplemental = secondary.partition("/")
    if secondary:
        _read_hibc_secondary(result, secondary)
    if supplemental:
        result.errors.append(
            _("HIBC supplemental data /%(data)s is not supported.") % {"data": supplemental}
        )


def _read_hibc_secondary(result: UdiResult, data: str) -> None:
    """Read secondary data: its flag says whether a date comes first and if it ends in a
    lot or a serial number."""
    if (
        data[:1] and data[:1] in "0123456789"
    ):  # Older format without a flag: Julian date YYJJJ, then the lot.
        _read_hibc_dated(result, "YYJJJ", data, is_serial=False)
    elif data.startswith("$$+"):
        _read_hibc_flagged(result, data[3:], is_serial=True)
    elif data.startswith("$$"):
        _read_hibc_flagged(result, data[2:], is_serial=False)
    elif data.startswith("$+"):
        _read_hibc_dated(result, "", data[2:], is_serial=True)
    elif data.startswith("$"):
        _read_hibc_dated(result, "", data[1:], is_serial=False)
    else:
        result.errors.append(
            _("HIBC secondary data %(data)s does not start with '$' or a date.") % {"data": data}
        )


def _read_hibc_flagged(result: UdiResult, data: str, *, is_serial: bool) -> None:
    flag = data[:1]
    if flag in ("0", "1"):
        _read_hibc_dated(result, "MMYY", data, is_serial=is_serial)
    elif flag in HIBC_DATE_LAYOUTS:
        _read_hibc_dated(result, HIBC_DATE_LAYOUTS[flag], data[1:], is_serial=is_serial)
    elif flag == HIBC_NO_DATE_FLAG:
        _read_hibc_dated(result, "", data[1:], is_serial=is_serial)
    else:  # "8" and "9" carry a quantity first; anything else is not in the standard.
        result.errors.append(
            _("HIBC secondary data flag %(flag)s is not supported.") % {"flag": repr(flag)}
        )


def _read_hibc_dated(result: UdiResult, layout: str, data: str, *, is_serial: bool) -> None:
    digits, value = data[: len(layout)], data[len(layout) :]
    if layout:
        try:
            result.expiry_date = _hibc_date(layout, digits)
        except ValueError:
            result.errors.append(
                _("HIBC expiry date %(digits)s does not match the format %(layout)s.")
                % {"digits": digits, "layout": layout}
            )
    if not 1 <= len(value) <= HIBC_MAX_LOT_OR_SERIAL:
        result.errors.append(
            _("An HIBC lot or serial number has 1 to 18 characters, found %(count)d.")
            % {"count": len(value)}
        )
    elif is_serial:
        result.serial = value
    else:
        result.lot = value


def _hibc_date(layout: str, digits: str) -> date:
    """Read an HIBC date; YY is 20YY. Raise ValueError if it is not a real date."""
    if not re.fullmatch(r"[0-9]+", digits) or len(digits) != len(layout):
        raise ValueError(digits)

    def part(name: str) -> int:
        start = layout.index(name)
        return int(digits[start : start + len(name)])

    year = 2000 + part("YY")
    if "HH" in layout and part("HH") > 23:
        raise ValueError(digits)
    if "JJJ" in layout:
        day_of_year = part("JJJ")
        if not 1 <= day_of_year <= (366 if calendar.isleap(year) else 365):
            raise ValueError(digits)
        return date(year, 1, 1) + timedelta(days=day_of_year - 1)
    month = part("MM")
    if not 1 <= month <= 12:
        raise ValueError(digits)
    # MMYY names only the month; like GS1's day "00" it means the month's last day.
    day = part("DD") if "DD" in layout else calendar.monthrange(year, month)[1]
    return date(year, month, day)
