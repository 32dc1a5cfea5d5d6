from django.urls import path

from .views import discussions as views

app_name = "knowledge"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    # A community's announcements, discussions and library.
    path("c/<slug:slug>/announcements/", views.announcement_list, name="announcements"),
    path("c/<slug:slug>/announcements/new/", views.announcement_create, name="announcement_create"),
    path("c/<slug:slug>/discussions/", views.thread_list, name="threads"),
    path("c/<slug:slug>/discussions/new/", views.thread_create, name="thread_create"),
    path("c/<slug:slug>/discussions/reports/", views.report_list, name="reports"),
    path("c/<slug:slug>/library/", views.library, name="library"),
    path("c/<slug:slug>/library/folders/new/", views.folder_create, name="folder_create"),
    path("c/<slug:slug>/library/downloads/", views.download_log, name="download_log"),
    # Announcements
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
    path("announcements/<int:pk>/edit/", views.announcement_edit, name="announcement_edit"),
    path("announcements/<int:pk>/delete/", views.announcement_delete, name="announcement_delete"),
    # Discussions
    path("discussions/<int:pk>/", views.thread_detail, name="thread"),
    path("discussions/<int:pk>/reply/", views.thread_reply, name="thread_reply"),
    path("discussions/<int:pk>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("discussions/<int:pk>/move/", views.thread_move, name="thread_move"),
    path("discussions/<int:pk>/share/", views.thread_share, name="thread_share"),
    path("discussions/<int:pk>/follow/", views.thread_follow, name="thread_follow"),
    path("messages/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("messages/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("messages/<int:pk>/report/", views.post_report, name="post_report"),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="report_resolve"),
    # Library
    path("folders/<int:pk>/", views.folder_detail, name="folder"),
    path("folders/<int:pk>/follow/", views.folder_follow, name="folder_follow"),
    path("folders/<int:pk>/add/", views.resource_create, name="resource_create"),
    path("resources/<uuid:pk>/", views.resource_detail, name="resource"),
    path("resources/<uuid:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<uuid:pk>/versions/new/", views.version_create, name="version_create"),
    path("resources/<uuid:pk>/download/", views.resource_download, name="download"),
    path(
        "resources/<uuid:pk>/versions/<int:number>/download/",
        views.version_download,
        name="download_version",
    ),
]
