"""Sample crime counts for the demo (DEMO ONLY): synthetic monthly counts, not police.uk
data, for Medway and Swale over 2024/25 Q1 to Q3, so the Crime data and benchmark pages have
something to show. Marked as synthetic in their force and source file names; added only once.
"""

from __future__ import annotations

import zlib
from datetime import date

from django.db import transaction
from django.utils import timezone

from indicators.crimedata.models import CrimeCount, District, PartnershipDistrict
from indicators.models import Population
from plans.models import Partnership

FORCE = "Sample data (synthetic)"
SOURCE = "SYNTHETIC demo counts – not police.uk data"
AREAS = {  # partnership name → (district code, name, sample residents)
    "Medway Community Safety Partnership": ("E06000035", "Medway", 280_000),
    "Swale Community Safety Partnership": ("E07000113", "Swale", 150_000),
}
TYPES = {  # crime type → typical count a month per 100,000 residents (made up)
    "Anti-social behaviour": 260, "Burglary": 40, "Criminal damage and arson": 75,
    "Drugs": 20, "Other theft": 60, "Public order": 70, "Shoplifting": 55,
    "Vehicle crime": 50, "Violence and sexual offences": 330,
}  # fmt: skip
MONTHS = [date(2024, m, 1) for m in range(4, 13)]


@transaction.atomic
def sample_crime_data_load() -> int:
    """Districts, areas, populations and synthetic counts; returns how many counts it added."""
    if CrimeCount.objects.filter(force=FORCE).exists():
        return 0
    now, counts = timezone.now(), []
    for name, (code, district_name, residents) in AREAS.items():
        partnership = Partnership.objects.filter(name=name).first()
        if partnership is None:
            continue
        district = (
            District.objects.filter(code=code).first()
            or District.objects.filter(name=district_name).first()
        )
        district = district or District.objects.create(code=code, name=district_name)
        PartnershipDistrict.objects.get_or_create(partnership=partnership, district=district)
        Population.objects.get_or_create(
            partnership=partnership, year=2024, defaults={"residents": residents}
        )
        for month in MONTHS:
            for crime_type, per_100k in TYPES.items():
                wobble = zlib.crc32(f"{district_name}{month}{crime_type}".encode()) % 21 - 10
                number = round(residents / 100_000 * per_100k * (100 + wobble) / 100)
                counts.append(CrimeCount(force=FORCE, month=month, district=district,
                                         crime_type=crime_type, count=number, loaded_at=now,
                                         source_file=SOURCE))  # fmt: skip
    CrimeCount.objects.bulk_create(counts)
    return len(counts)
