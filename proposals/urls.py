from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<slug:slug>/", views.call_detail, name="call_detail"),
    path("calls/<slug:slug>/edit/", views.call_edit, name="call_edit"),
    path("calls/<slug:slug>/publish/", views.call_publish, name="call_publish"),
    path("calls/<slug:slug>/propose/", views.proposal_create, name="proposal_create"),
    path("calls/<slug:slug>/documents/", views.call_document_upload, name="call_document_upload"),
    path("documents/<int:pk>/", views.call_document_download, name="call_document_download"),
    path("documents/<int:pk>/delete/", views.call_document_delete, name="call_document_delete"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/all/", views.staff_proposal_list, name="staff_proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/status/", views.proposal_transition, name="proposal_transition"),
    path("proposals/<int:pk>/assign/", views.proposal_assign, name="proposal_assign"),
    path("proposals/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("communities/<slug:community>/gaps/", views.gap_list, name="gap_list"),
    path("communities/<slug:community>/gaps/new/", views.gap_create, name="gap_create"),
    path("communities/<slug:community>/gaps/<slug:slug>/", views.gap_detail, name="gap_detail"),
    path("communities/<slug:community>/gaps/<slug:slug>/edit/", views.gap_edit, name="gap_edit"),
    path(
        "communities/<slug:community>/gaps/<slug:slug>/comment/",
        views.gap_comment,
        name="gap_comment",
    ),
    path("communities/<slug:community>/gaps/<slug:slug>/vote/", views.gap_vote, name="gap_vote"),
]
