from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "plans.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from plans import events
        from plans.notifications import receivers

        events.news.connect(receivers.deliver_news, dispatch_uid="notifications.deliver_news")
        events.item_counted.connect(
            receivers.item_counted, dispatch_uid="notifications.item_counted"
        )
