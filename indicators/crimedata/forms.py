from __future__ import annotations

from django import forms

from indicators.crimedata.models import CrimeSeries, District


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def clean(self, data, initial=None):
        if not data:
            return [super().clean(None, initial)]
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class PoliceFilesForm(forms.Form):
    files = MultipleFileField(
        label="police.uk street-level crime files",
        help_text="One or more CSV files as police.uk publishes them (2019-04-kent-street.csv), "
        "or a zip of them, up to 10 MB here (larger ones, such as a month of every force: "
        "manage.py import_police_data). Loading a force’s month again replaces its counts.",
        widget=MultipleFileInput(attrs={"accept": ".csv,.zip"}),
        error_messages={"required": "Choose a police.uk CSV or zip file"},
    )


class LookupForm(forms.Form):
    lookup = forms.FileField(
        label="ONS LSOA to local authority district lookup (CSV)",
        help_text="As the ONS publishes it, with the columns LSOA21CD (or LSOA11CD), LAD23CD "
        "and LAD23NM (any year). It replaces the lookup loaded before.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
        error_messages={"required": "Choose the lookup CSV file"},
    )


class AreaForm(forms.Form):
    districts = forms.ModelMultipleChoiceField(
        label="Districts of the area",
        queryset=District.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Crimes in these districts count for the partnership.",
    )


class SeriesForm(forms.Form):
    link = forms.ChoiceField(
        label="Fill this indicator from police.uk data?",
        choices=[("yes", "Yes, from the crime types below"), ("no", "No, figures are typed in")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to fill it from police.uk data"},
    )
    crime_types = forms.MultipleChoiceField(
        label="Crime types",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: all crime.",
    )
    measure = forms.ChoiceField(
        label="As",
        choices=CrimeSeries.Measure.choices,
        widget=forms.RadioSelect,
        initial=CrimeSeries.Measure.COUNT,
        required=False,
    )

    def __init__(self, *args, types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crime_types"].choices = [(t, t) for t in types]

    def clean(self):
        data = super().clean()
        if data.get("link") == "yes" and not data.get("measure"):
            self.add_error("measure", "Choose a number of crimes or a rate per 1,000 residents")
        return data
