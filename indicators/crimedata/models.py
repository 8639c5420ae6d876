"""Open crime data (police.uk): districts, each partnership's area, and monthly crime counts.

Only counts are kept (district × month × crime type, per reporting force), never the rows of
the street-level files, which name places but no people.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class District(models.Model):
    """A local authority district (LAD), e.g. E06000035 Medway: the unit a partnership's area
    is made of. Created by the ONS lookup load, or by an import that meets its name in an LSOA
    name ("Medway 012A") before the lookup is loaded (then without a code)."""

    code = models.CharField(max_length=12, null=True, blank=True, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class PartnershipDistrict(models.Model):
    """One district of a partnership's area (``Partnership.area`` stays its description)."""

    partnership = models.ForeignKey(
        "plans.Partnership", on_delete=models.CASCADE, related_name="area_districts"
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "district"], name="district_once_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.district_id}"


class LsoaDistrict(models.Model):
    """The ONS LSOA-to-district lookup: which district an LSOA code lies in."""

    lsoa_code = models.CharField(max_length=12, unique=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="lsoas")

    def __str__(self) -> str:
        return f"{self.lsoa_code} → {self.district_id}"


class CrimeCount(models.Model):
    """How many crimes of a type a force recorded in a month in a district; with no district,
    the rows of that force and month that had no location, or whose LSOA matched no district."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "In a district"
        NO_LOCATION = "no_location", "No location"
        UNMATCHED = "unmatched", "LSOA matched no district"

    force = models.CharField(max_length=100, help_text='"Reported by", e.g. "Kent Police".')
    month = models.DateField(help_text="The first day of the month.")
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="counts"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISTRICT)
    crime_type = models.CharField(max_length=100)
    count = models.PositiveIntegerField()
    loaded_at = models.DateTimeField()
    source_file = models.CharField(max_length=255)

    class Meta:
        ordering = ["month", "crime_type"]
        indexes = [models.Index(fields=["district", "month"], name="crimecount_district_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "month", "district", "crime_type"],
                condition=models.Q(district__isnull=False),
                name="one_count_per_district_month_type",
            ),
            models.UniqueConstraint(
                fields=["force", "month", "kind", "crime_type"],
                condition=models.Q(district__isnull=True),
                name="one_unplaced_count_per_force_month_type",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="district", district__isnull=False)
                | (~models.Q(kind="district") & models.Q(district__isnull=True)),
                name="district_count_has_district",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force} {self.month:%Y-%m} {self.crime_type}: {self.count}"


class CrimeImport(models.Model):
    """One load of police.uk files: what was loaded, by whom, and what could not be placed."""

    files = models.TextField(help_text="The file names, one a line.")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField()
    months = models.CharField(max_length=500, help_text="Force and month pairs replaced.")
    rows = models.PositiveIntegerField(default=0)
    no_location = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M}: {self.rows} rows"


class CrimeSeries(models.Model):
    """An indicator whose quarterly figures come from the crime counts of its partnership's
    area: the crime types (none chosen: all crime), as a count or per 1,000 residents."""

    class Measure(models.TextChoices):
        COUNT = "count", "Number of crimes"
        RATE = "rate", "Crimes per 1,000 residents"

    indicator = models.OneToOneField(
        "indicators.Indicator", on_delete=models.CASCADE, related_name="crime_series"
    )
    crime_types = models.JSONField(default=list, blank=True)
    measure = models.CharField(max_length=10, choices=Measure.choices, default=Measure.COUNT)

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.words}"

    @property
    def words(self) -> str:
        what = ", ".join(self.crime_types) if self.crime_types else "All crime"
        per = " per 1,000 residents" if self.measure == self.Measure.RATE else ""
        return f"{what}{per} in the partnership’s area (police.uk)"
