"""A long choice list picked by typing (core.forms_util.PickerChoiceField): the label with its
number, the number, or the exact name clean to the choice; anything else is refused."""

from django import forms

from lindung.core.forms_util import PickerChoiceField


class SponsorForm(forms.Form):
    sponsor = PickerChoiceField(choices=[("", "-"), ("12", "Pemerintah Kabupaten Siak"), ("7", "CV Kandis")])


def test_the_written_choice_the_number_or_the_exact_name_pick_the_sponsor():
    for written in ("Pemerintah Kabupaten Siak (#12)", "12", "pemerintah kabupaten siak"):
        form = SponsorForm({"sponsor": written})
        assert form.is_valid(), written
        assert form.cleaned_data["sponsor"] == "12"


def test_a_name_not_in_the_list_is_refused():
    form = SponsorForm({"sponsor": "Pemerintah Kota Dumai (#99)"})
    assert not form.is_valid()
    assert "sponsor" in form.errors


def test_the_box_shows_the_chosen_name_and_offers_every_choice():
    html = str(SponsorForm(initial={"sponsor": "7"})["sponsor"])
    assert 'value="CV Kandis (#7)"' in html
    assert '<option value="Pemerintah Kabupaten Siak (#12)">' in html
    assert 'list="id_sponsor-choices"' in html
