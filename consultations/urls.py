from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/answer/", views.consultation_answer, name="answer"),
    path("<int:pk>/document/", views.consultation_document, name="document"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/close/", views.consultation_close, name="close"),
    path("<int:pk>/responses/", views.consultation_responses, name="responses"),
    path("<int:pk>/responses/export/", views.consultation_export, name="export"),
    path("<int:pk>/what-we-heard/", views.consultation_summary, name="summary"),
]
