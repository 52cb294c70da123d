"""Receipt codes: random, unambiguous, and found again however they are typed."""

from __future__ import annotations

from participate.services import receipts


def test_receipts_are_grouped_codes_from_an_alphabet_without_look_alikes():
    codes = {receipts.new_receipt() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert receipts.is_receipt(code)
        assert len(code) == 14 and code[4] == code[9] == "-"
        assert not set(code.replace("-", "")) & set("01OIL")


def test_a_receipt_is_recognised_in_any_case_with_spaces_or_dashes():
    code = receipts.new_receipt()
    assert receipts.normalise(code.lower()) == code
    assert receipts.normalise(" " + code.replace("-", " ") + " ") == code
    assert receipts.normalise(code.replace("-", "")) == code


def test_text_that_cannot_be_a_receipt_is_refused():
    assert receipts.normalise("") is None
    assert receipts.normalise("ABCD-EFGH") is None
    assert receipts.normalise("ABCD-EFGH-JKM0") is None  # 0 is not in the alphabet
    assert receipts.normalise("ABCD-EFGH-JKMNP") is None
