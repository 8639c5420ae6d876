from django.apps import AppConfig


class CrimeDataConfig(AppConfig):
    name = "indicators.crimedata"
    label = "crimedata"
    verbose_name = "Open crime data (police.uk)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from indicators.crimedata.models import (
            CrimeImport,
            CrimeSeries,
            District,
            PartnershipDistrict,
        )

        auditlog.register(District)
        auditlog.register(CrimeSeries)
        auditlog.register(CrimeImport)
        auditlog.register(PartnershipDistrict)  # who changed a partnership's area
