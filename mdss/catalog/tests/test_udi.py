"""UDI barcode parsing: GS1 element strings, GS1 Digital Link and HIBC. No database."""

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from mdss.catalog.udi import hibc_check_character, parse_udi

GS = "\x1d"
# GS1 mod-10 by hand for 0690123456789: digits from the right weighted 3,1,3,...:
# 9*3+8+7*3+6+5*3+4+3*3+2+1*3+0+9*3+6+0*3 = 128, and 130 - 128 = 2.
GTIN = "06901234567892"
GTIN_13 = "6901234567892"
GTIN_WITH_BAD_CHECK_DIGIT = "06901234567893"


def gs1_check_digit(payload: str) -> str:
    """GS1 General Specifications 7.9.1, written independently of the code under test."""
    weighted = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return str(-weighted % 10)


HIBC_VALUES = {
    char: value for value, char in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%")
}


def with_hibc_check(data: str) -> str:
    """Append the HIBC modulo-43 check character, computed independently of the module."""
    total = sum(HIBC_VALUES[char] for char in data)
    return data + next(char for char, value in HIBC_VALUES.items() if value == total % 43)


# Hand-verified: "+A99912345" = 41 + 10 + 9 + 9 + 9 + 1 + 2 + 3 + 4 + 5 = 93 = 2 * 43 + 7.
HIBC_PRIMARY = "+A999123457"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_test_gtins_have_correct_check_digits():
    assert gs1_check_digit(GTIN[:-1]) == GTIN[-1] == "2"
    assert gs1_check_digit(GTIN_WITH_BAD_CHECK_DIGIT[:-1]) != GTIN_WITH_BAD_CHECK_DIGIT[-1]


def test_the_test_helper_and_the_module_agree_on_hibc_check_characters():
    assert with_hibc_check("+A99912345") == HIBC_PRIMARY
    assert hibc_check_character("+A99912345") == "7"
    # "+A99912345/$$52001510X": 93 + "/" 40 + "$$" 78 + 5+2+0+0+1+5+1+0 + "X" 33 = 258 = 6 * 43.
    assert hibc_check_character("+A99912345/$$52001510X") == "0"


GS1_CASES = [
    # (id, scanned text, scheme, lot, serial, production date, expiry date)
    ("datamatrix-prefix", f"]d201{GTIN}17270630" + f"10LOT42{GS}21SN001", "gs1", "LOT42", "SN001", None, date(2027, 6, 30)),
    ("no-prefix", f"01{GTIN}17270630" + f"10LOT42{GS}21SN001", "gs1", "LOT42", "SN001", None, date(2027, 6, 30)),
    ("gs1-128-prefix", f"]C101{GTIN}11250115" + f"10LOT42{GS}17270600", "gs1", "LOT42", "", date(2025, 1, 15), date(2027, 6, 30)),
    ("qr-prefix", f"]Q301{GTIN}21SN001", "gs1", "", "SN001", None, None),
    ("databar-prefix", f"]e001{GTIN}17270630", "gs1", "", "", None, date(2027, 6, 30)),
    ("leading-fnc1", f"{GS}01{GTIN}10LOT42{GS}21SN001{GS}", "gs1", "LOT42", "SN001", None, None),
    ("typed-angle-gs", f"01{GTIN}10LOT42<GS>21SN001", "gs1", "LOT42", "SN001", None, None),
    ("typed-brace-gs", f"01{GTIN}10LOT42{{GS}}21SN001", "gs1", "LOT42", "SN001", None, None),
    ("typed-escape-gs", f"01{GTIN}10LOT42\\x1d21SN001", "gs1", "LOT42", "SN001", None, None),
    ("human-readable", f"(01){GTIN}(17)270630(10)LOT42(21)SN001", "gs1", "LOT42", "SN001", None, date(2027, 6, 30)),
    ("day-00-is-month-end", f"(01){GTIN}(11)250100(17)270600", "gs1", "", "", date(2025, 1, 31), date(2027, 6, 30)),
    ("day-00-leap-february", f"01{GTIN}17280200", "gs1", "", "", None, date(2028, 2, 29)),
    ("bare-ean-13", GTIN_13, "gs1", "", "", None, None),
    ("digital-link-query", f"https://id.gs1.org/01/{GTIN}/10/LOT42/21/SN001?17=270630", "gs1_digital_link", "LOT42", "SN001", None, date(2027, 6, 30)),
    ("digital-link-custom-domain", f"https://scan.example-med.cn/p/01/{GTIN}/10/LOT42", "gs1_digital_link", "LOT42", "", None, None),
    ("digital-link-day-00", f"https://example.com/01/{GTIN}/21/SN001?11=250115&17=270200", "gs1_digital_link", "", "SN001", date(2025, 1, 15), date(2027, 2, 28)),
    ("digital-link-in-qr", f"]Q3https://id.gs1.org/01/{GTIN}/10/LOT42", "gs1_digital_link", "LOT42", "", None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "scheme", "lot", "serial", "production", "expiry"),
    [case[1:] for case in GS1_CASES],
    ids=[case[0] for case in GS1_CASES],
)
def test_it_reads_gs1_udis(text, scheme, lot, serial, production, expiry):
    result = parse_udi(text)
    assert result.errors == []
    assert (result.scheme, result.issuer, result.di) == (scheme, "GS1", GTIN)
    assert (result.lot, result.serial) == (lot, serial)
    assert (result.production_date, result.expiry_date) == (production, expiry)
    assert result.raw == text
    assert result.ok is True


@pytest.mark.parametrize(
    "text",
    [
        f"]d201{GTIN_WITH_BAD_CHECK_DIGIT}10LOT42",
        f"(01){GTIN_WITH_BAD_CHECK_DIGIT}(10)LOT42",
        GTIN_WITH_BAD_CHECK_DIGIT,
        f"https://id.gs1.org/01/{GTIN_WITH_BAD_CHECK_DIGIT}/10/LOT42",
    ],
)
def test_it_rejects_a_gtin_with_a_wrong_check_digit(text):
    result = parse_udi(text)
    assert result.scheme in ("gs1", "gs1_digital_link")
    assert result.di == GTIN_WITH_BAD_CHECK_DIGIT
    assert result.errors == ["GTIN 06901234567893 has a wrong check digit: expected 2, found 3."]
    assert result.ok is False


def test_it_reports_an_impossible_gs1_date_but_keeps_the_rest():
    result = parse_udi(f"01{GTIN}17270230" + "10LOT42")
    assert (result.di, result.lot, result.expiry_date) == (GTIN, "LOT42", None)
    assert result.errors == ["GS1 AI (17) holds 270230, which is not a valid YYMMDD date."]
    assert result.ok is False


def test_it_says_gs1_data_without_a_gtin_has_no_device_identifier():
    result = parse_udi("]C11727063010LOT42")
    assert (result.scheme, result.lot, result.expiry_date) == ("gs1", "LOT42", date(2027, 6, 30))
    assert result.di == ""
    assert result.errors == ["The GS1 data has no GTIN (AI 01), so it holds no device identifier."]
    assert result.ok is False


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        "12345",
        f"01{GTIN[:8]}",
        "https://example.com/about",
        "+hello world",
        "*ABC123*",
        "]d2x",
    ],
)
def test_it_says_garbage_is_not_a_udi(text):
    result = parse_udi(text)
    assert (result.scheme, result.issuer, result.di) == ("", "", "")
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"Not a GS1 or HIBC UDI: {text.strip('*')}")
    assert result.ok is False


@pytest.mark.parametrize("text", ["", "   \r\n", "]d2", "<GS>"])
def test_it_says_empty_text_is_not_a_udi(text):
    result = parse_udi(text)
    assert result.scheme == ""
    assert result.errors == ["Not a GS1 or HIBC UDI: the scanned text is empty."]
    assert result.ok is False


@pytest.mark.parametrize(
    "text",
    [HIBC_PRIMARY, f"*{HIBC_PRIMARY}*", f"  {HIBC_PRIMARY}\r\n", f"]A0{HIBC_PRIMARY}"],
)
def test_it_reads_an_hibc_primary_barcode(text):
    result = parse_udi(text)
    assert result.errors == []
    assert (result.scheme, result.issuer, result.di) == ("hibc", "HIBCC", "A99912345")
    assert (result.lot, result.serial, result.expiry_date) == ("", "", None)
    assert result.ok is True


def test_it_reads_a_long_hibc_product_number_and_keeps_the_unit_of_measure_in_the_di():
    result = parse_udi(with_hibc_check("+H629CATNO12341"))
    assert result.di == "H629CATNO12341"
    assert result.ok is True


HIBC_SECONDARY_CASES = [
    # (secondary data after "/", lot, serial, expiry date)
    ("$LOT123", "LOT123", "", None),
    ("$$0727LOT123", "LOT123", "", date(2027, 7, 31)),
    ("$$2063027LOT123", "LOT123", "", date(2027, 6, 30)),
    ("$$3270630LOT123", "LOT123", "", date(2027, 6, 30)),
    ("$$427063014LOT123", "LOT123", "", date(2027, 6, 30)),
    ("$$52001510X", "10X", "", date(2020, 1, 15)),
    ("$$62406014LOT123", "LOT123", "", date(2024, 2, 29)),
    ("$$7LOT123", "LOT123", "", None),
    ("20366LOT123", "LOT123", "", date(2020, 12, 31)),
    ("$+SN0001", "", "SN0001", None),
    ("$$+0727SN0001", "", "SN0001", date(2027, 7, 31)),
    ("$$+3270630SN0001", "", "SN0001", date(2027, 6, 30)),
    ("$$+7SN0001", "", "SN0001", None),
]


@pytest.mark.parametrize(("secondary", "lot", "serial", "expiry"), HIBC_SECONDARY_CASES)
def test_it_reads_hibc_primary_and_secondary_in_one_barcode(secondary, lot, serial, expiry):
    result = parse_udi(with_hibc_check(f"+A99912345/{secondary}"))
    assert result.errors == []
    assert (result.scheme, result.di) == ("hibc", "A99912345")
    assert (result.lot, result.serial, result.expiry_date) == (lot, serial, expiry)
    assert result.ok is True


def test_it_reads_a_separate_hibc_secondary_barcode_but_finds_no_di_in_it():
    link_character = HIBC_PRIMARY[-1]
    result = parse_udi(with_hibc_check(f"+$$3270630LOT123{link_character}"))
    assert (result.scheme, result.lot, result.expiry_date) == ("hibc", "LOT123", date(2027, 6, 30))
    assert result.di == ""
    assert result.errors == [
        "This is HIBC secondary data only; the device identifier is on the primary barcode."
    ]
    assert result.ok is False


def test_it_names_the_expected_and_found_hibc_check_character():
    # The often-quoted "+A99912345/$$52001510X3" ends in 3, but the sum is 6 * 43 (see above).
    result = parse_udi("+A99912345/$$52001510X3")
    assert result.errors == ["The HIBC check character is wrong: expected '0', found '3'."]
    assert (result.di, result.lot, result.expiry_date) == ("A99912345", "10X", date(2020, 1, 15))
    assert result.ok is False


def test_it_accepts_a_space_as_hibc_check_character():
    data = "+A999Z1235"
    assert with_hibc_check(data) == data + " "
    assert parse_udi(data + " ").di == "A999Z1235"
    assert parse_udi(f"*{data} *").ok is True
    assert parse_udi(data).errors == ["The HIBC check character is wrong: expected 'X', found '5'."]


@pytest.mark.parametrize(
    ("secondary", "error"),
    [
        ("$$8051234LOT1", "HIBC secondary data flag '8' is not supported."),
        ("$$3271330LOT1", "HIBC expiry date 271330 does not match the format YYMMDD."),
        ("$$523366LOT1", "HIBC expiry date 23366 does not match the format YYJJJ."),
        ("$LOT1/16D20270630", "HIBC supplemental data /16D20270630 is not supported."),
        ("$" + "L" * 19, "An HIBC lot or serial number has 1 to 18 characters, found 19."),
        ("LOT1", "HIBC secondary data LOT1 does not start with '$' or a date."),
    ],
)
def test_it_reports_hibc_secondary_data_it_cannot_read(secondary, error):
    result = parse_udi(with_hibc_check(f"+A99912345/{secondary}"))
    assert result.errors == [error]
    assert result.di == "A99912345"
    assert result.ok is False


def test_it_reports_malformed_hibc_primary_data():
    result = parse_udi(with_hibc_check("+A999ABC"))
    assert result.scheme == "hibc"
    assert result.di == ""
    assert result.errors[0].startswith("HIBC primary data +A999ABC must be")
    assert result.ok is False


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789ABLOT+$/()]dC1Q3<GS>{}\\x\x1d*%. :htps", max_size=40))
def test_it_never_raises_on_arbitrary_text(text):
    result = parse_udi(text)
    assert result.ok == (bool(result.di) and not result.errors)
    assert result.ok or result.errors
