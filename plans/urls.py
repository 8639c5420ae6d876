from django.urls import include, path

from plans.signoff import views as signoff
from plans.views import agencies, audit, dashboards, imports, members, pages, progress, reports

app_name = "plans"
urlpatterns = [
    path("partnerships/<int:pk>/", pages.partnership_detail, name="partnership_detail"),
    path("plans/<int:pk>/", pages.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/quarters/", progress.period_list, name="period_list"),
    path("plans/<int:pk>/quarters/open/", progress.period_open, name="period_open"),
    path("quarters/<int:pk>/", progress.period_detail, name="period_detail"),
    path("quarters/<int:pk>/close/", progress.period_close, name="period_close"),
    path("my-updates/", progress.my_updates, name="my_updates"),
    path("partnerships/<int:pk>/members/", members.member_list, name="member_list"),
    path("partnerships/<int:pk>/members/add/", members.member_add, name="member_add"),
    path("members/<int:pk>/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", members.member_remove, name="member_remove"),
    path(
        "members/<int:pk>/resend-invitation/",
        members.member_invitation_resend,
        name="member_invitation_resend",
    ),
    path("members/<int:pk>/unlock/", members.member_unlock, name="member_unlock"),
    path("actions/<int:pk>/delegates/", members.action_delegates, name="action_delegates"),
    path("indicators/<int:pk>/delegates/", members.indicator_delegates, name="indicator_delegates"),
    path("partnerships/<int:pk>/import/", imports.import_upload, name="plan_import"),
    path(
        "partnerships/<int:pk>/import/template.xlsx",
        imports.import_template,
        name="plan_import_template",
    ),
    path("imports/<int:pk>/", imports.import_preview, name="plan_import_preview"),
    path("plans/<int:pk>/export.xlsx", imports.plan_export, name="plan_export"),
    path("plans/<int:pk>/activate/", imports.plan_activate, name="plan_activate"),
    path(
        "partnerships/<int:pk>/dashboard/",
        dashboards.partnership_dashboard,
        name="partnership_dashboard",
    ),
    path("plans/<int:pk>/dashboard/", dashboards.plan_dashboard, name="plan_dashboard"),
    path("dashboard/", dashboards.my_dashboard, name="my_dashboard"),
    path("quarters/<int:pk>/report/", reports.report_pack, name="report_pack"),
    path("quarters/<int:pk>/report.xlsx", reports.report_workbook, name="report_workbook"),
    path("quarters/<int:pk>/report.pdf", reports.report_pdf, name="report_pdf"),
    path("quarters/<int:pk>/publish/", reports.report_publish, name="report_publish"),
    path("plans/<int:pk>/reports/", reports.published_report_list, name="published_report_list"),
    path("reports/<int:pk>/", reports.published_report, name="published_report"),
    path(
        "reports/<int:pk>/report.xlsx",
        reports.published_report_workbook,
        name="published_report_workbook",
    ),
    path("reports/<int:pk>/report.pdf", reports.published_report_pdf, name="published_report_pdf"),
    path(
        "partnerships/<int:pk>/agencies/",
        agencies.partnership_agencies,
        name="partnership_agencies",
    ),
    path(
        "partnerships/<int:pk>/agencies/<int:agency_pk>/remove/",
        agencies.partnership_agency_remove,
        name="partnership_agency_remove",
    ),
    path("partnerships/<int:pk>/audit-log/", audit.audit_log, name="audit_log"),
    path("agencies/", pages.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", pages.agency_detail, name="agency_detail"),
    path("sign-off/", signoff.sign_off_list, name="sign_off"),
    path("sign-off/<str:kind>/<int:pk>/", signoff.sign_off_decide, name="sign_off_decide"),
    path(
        "partnerships/<int:pk>/sign-off/", signoff.partnership_sign_off, name="partnership_sign_off"
    ),
    path("plans/<int:pk>/", include("plans.editing.urls")),  # editing a plan
    path("plans/<int:pk>/", include("plans.yearend.urls")),  # year end: closing, report
    path("plans/<int:pk>/", include("plans.rollforward.urls")),  # next year's plan
]
