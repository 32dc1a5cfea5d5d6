from django.urls import path

from .views.attachments import attachment_delete, attachment_download, attachment_upload
from .views.calls import (
    call_create,
    call_detail,
    call_document_delete,
    call_document_download,
    call_document_upload,
    call_edit,
    call_list,
    call_publish,
)
from .views.dashboard import dashboard, staff_proposal_list
from .views.gaps import gap_comment, gap_create, gap_detail, gap_edit, gap_list, gap_vote
from .views.projects import project_detail, project_list
from .views.proposals import (
    proposal_assign,
    proposal_create,
    proposal_detail,
    proposal_edit,
    proposal_list,
    proposal_submit,
    proposal_transition,
)

app_name = "proposals"

urlpatterns = [
    path("", call_list, name="call_list"),
    path("calls/new/", call_create, name="call_create"),
    path("calls/<slug:slug>/", call_detail, name="call_detail"),
    path("calls/<slug:slug>/edit/", call_edit, name="call_edit"),
    path("calls/<slug:slug>/publish/", call_publish, name="call_publish"),
    path("calls/<slug:slug>/propose/", proposal_create, name="proposal_create"),
    path("calls/<slug:slug>/documents/", call_document_upload, name="call_document_upload"),
    path("documents/<int:pk>/", call_document_download, name="call_document_download"),
    path("documents/<int:pk>/delete/", call_document_delete, name="call_document_delete"),
    path("proposals/", proposal_list, name="proposal_list"),
    path("proposals/all/", staff_proposal_list, name="staff_proposal_list"),
    path("proposals/<int:pk>/", proposal_detail, name="detail"),
    path("proposals/<int:pk>/edit/", proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/submit/", proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/status/", proposal_transition, name="proposal_transition"),
    path("proposals/<int:pk>/assign/", proposal_assign, name="proposal_assign"),
    path("proposals/<int:pk>/attachments/", attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", attachment_delete, name="attachment_delete"),
    path("dashboard/", dashboard, name="dashboard"),
    path("projects/", project_list, name="project_list"),
    path("projects/<slug:slug>/", project_detail, name="project_detail"),
    path("communities/<slug:community>/gaps/", gap_list, name="gap_list"),
    path("communities/<slug:community>/gaps/new/", gap_create, name="gap_create"),
    path("communities/<slug:community>/gaps/<slug:slug>/", gap_detail, name="gap_detail"),
    path("communities/<slug:community>/gaps/<slug:slug>/edit/", gap_edit, name="gap_edit"),
    path(
        "communities/<slug:community>/gaps/<slug:slug>/comment/",
        gap_comment,
        name="gap_comment",
    ),
    path("communities/<slug:community>/gaps/<slug:slug>/vote/", gap_vote, name="gap_vote"),
]
