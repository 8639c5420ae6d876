from django.urls import path

from plans.collaboration import views

app_name = "collaboration"
ITEM = "<str:kind>/<int:pk>/quarters/<int:period_pk>"  # kind: "action" or "indicator"
urlpatterns = [
    path(f"items/{ITEM}/questions/", views.thread, name="thread"),
    path(f"items/{ITEM}/evidence/", views.evidence, name="evidence"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/remove/", views.comment_remove, name="comment_remove"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("plans/<int:pk>/questions/", views.plan_questions, name="plan_questions"),
]
