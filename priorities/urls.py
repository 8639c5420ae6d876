from django.urls import path

from priorities import views

app_name = "priorities"
urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/update/<int:period_pk>/", views.action_update, name="action_update"),
    path("actions/<int:pk>/reopen/", views.action_reopen, name="action_reopen"),
    path("milestones/", views.milestone_list, name="milestone_list"),
]
