from django.contrib import admin

from plans.notifications.models import Delivery, Notification, Preference, QuarterReminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "user__username"]
    raw_id_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "kind", "email", "created_at", "emailed_at"]
    list_filter = ["kind", "email"]
    search_fields = ["key", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["key", "user", "kind", "created_at", "email", "emailed_at", "error"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "updated_at"]
    raw_id_fields = ["user"]


@admin.register(QuarterReminder)
class QuarterReminderAdmin(admin.ModelAdmin):
    list_display = ["period", "sent_on", "sent_by", "recipients"]
    raw_id_fields = ["period", "sent_by"]
