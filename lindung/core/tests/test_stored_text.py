"""Messages stored in Indonesian, read in English (core.stored_text)."""

import pytest

from lindung.core.stored_text import in_language


@pytest.mark.parametrize(
    ("stored", "english"),
    [
        ("NIK terdiri dari 16 digit; yang ini 15.", "A NIK has 16 digits; this one has 15."),
        ("Nomor telepon tidak sah: 0812.", "Not a valid phone number: 0812."),
        (
            "Sudah ada perubahan yang berlaku mulai 01-03-2026; isi berlaku_mulai dengan tanggal sesudahnya.",
            "A change applies from 01-03-2026 already; give a later date in berlaku_mulai.",
        ),
    ],
)
def test_a_stored_message_is_written_again_in_english_with_its_parameters(stored, english):
    assert in_language(stored, "en") == english
    assert in_language(stored, "id") == stored


def test_a_message_the_catalog_does_not_know_is_shown_as_stored():
    assert in_language("Baris ini aneh sekali.", "en") == "Baris ini aneh sekali."
    assert in_language("", "en") == ""
