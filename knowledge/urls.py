from django.urls import path

from .views import announcements, discussions, library

app_name = "knowledge"

urlpatterns = [
    # A community's announcements, discussions and library.
    path("c/<slug:slug>/announcements/", announcements.announcement_list, name="announcements"),
    path(
        "c/<slug:slug>/announcements/new/",
        announcements.announcement_create,
        name="announcement_create",
    ),
    path("c/<slug:slug>/discussions/", discussions.thread_list, name="threads"),
    path("c/<slug:slug>/discussions/new/", discussions.thread_create, name="thread_create"),
    path("c/<slug:slug>/discussions/reports/", discussions.report_list, name="reports"),
    path("c/<slug:slug>/library/", library.library, name="library"),
    path("c/<slug:slug>/library/folders/new/", library.folder_create, name="folder_create"),
    path("c/<slug:slug>/library/downloads/", library.download_log, name="download_log"),
    # Announcements
    path("announcements/<int:pk>/", announcements.announcement_detail, name="announcement"),
    path("announcements/<int:pk>/edit/", announcements.announcement_edit, name="announcement_edit"),
    path(
        "announcements/<int:pk>/delete/",
        announcements.announcement_delete,
        name="announcement_delete",
    ),
    # Discussions
    path("discussions/<int:pk>/", discussions.thread_detail, name="thread"),
    path("discussions/<int:pk>/reply/", discussions.thread_reply, name="thread_reply"),
    path("discussions/<int:pk>/moderate/", discussions.thread_moderate, name="thread_moderate"),
    path("discussions/<int:pk>/move/", discussions.thread_move, name="thread_move"),
    path("discussions/<int:pk>/share/", discussions.thread_share, name="thread_share"),
    path("discussions/<int:pk>/follow/", discussions.thread_follow, name="thread_follow"),
    path("messages/<int:pk>/edit/", discussions.post_edit, name="post_edit"),
    path("messages/<int:pk>/hide/", discussions.post_hide, name="post_hide"),
    path("messages/<int:pk>/report/", discussions.post_report, name="post_report"),
    path("reports/<int:pk>/resolve/", discussions.report_resolve, name="report_resolve"),
    # Library
    path("folders/<int:pk>/", library.folder_detail, name="folder"),
    path("folders/<int:pk>/follow/", library.folder_follow, name="folder_follow"),
    path("folders/<int:pk>/add/", library.resource_create, name="resource_create"),
    path("resources/<uuid:pk>/", library.resource_detail, name="resource"),
    path("resources/<uuid:pk>/edit/", library.resource_edit, name="resource_edit"),
    path("resources/<uuid:pk>/versions/new/", library.version_create, name="version_create"),
    path("resources/<uuid:pk>/download/", library.resource_download, name="download"),
    path(
        "resources/<uuid:pk>/versions/<int:number>/download/",
        library.version_download,
        name="download_version",
    ),
]
