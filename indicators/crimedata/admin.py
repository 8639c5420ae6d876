"""The Django admin for crime data: districts and areas editable, counts and loads read."""

from __future__ import annotations

from django.contrib import admin

from indicators.crimedata.models import (
    CrimeCount,
    CrimeImport,
    CrimeSeries,
    District,
    LsoaDistrict,
    PartnershipDistrict,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_filter = [("code", admin.EmptyFieldListFilter)]


@admin.register(PartnershipDistrict)
class PartnershipDistrictAdmin(admin.ModelAdmin):
    list_display = ["partnership", "district"]
    list_select_related = ["partnership", "district"]
    search_fields = ["partnership__name", "district__name"]
    list_filter = ["partnership"]


@admin.register(LsoaDistrict)
class LsoaDistrictAdmin(admin.ModelAdmin):
    list_display = ["lsoa_code", "district"]
    list_select_related = ["district"]
    search_fields = ["lsoa_code", "district__name"]
    list_filter = ["district"]
    raw_id_fields = ["district"]


@admin.register(CrimeCount)
class CrimeCountAdmin(admin.ModelAdmin):
    list_display = ["force", "month", "district", "kind", "crime_type", "count", "loaded_at"]
    list_select_related = ["district"]
    search_fields = ["force", "crime_type", "district__name", "source_file"]
    list_filter = ["kind", "force", "crime_type", "month"]
    raw_id_fields = ["district"]


@admin.register(CrimeImport)
class CrimeImportAdmin(admin.ModelAdmin):
    list_display = ["loaded_at", "loaded_by", "rows", "no_location", "unmatched", "months"]
    search_fields = ["files", "months"]
    list_filter = ["loaded_at"]


@admin.register(CrimeSeries)
class CrimeSeriesAdmin(admin.ModelAdmin):
    list_display = ["indicator", "measure", "crime_types"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__ref", "indicator__title"]
    list_filter = ["measure"]
    raw_id_fields = ["indicator"]
