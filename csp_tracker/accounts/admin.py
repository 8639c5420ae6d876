from django.contrib import admin

from csp_tracker.accounts.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "invited_by", "sent_at", "accepted_at"]
    list_select_related = ["user", "partnership", "invited_by"]
    search_fields = ["user__email", "user__first_name"]
    readonly_fields = ["user", "partnership", "invited_by", "sent_at", "accepted_at"]
