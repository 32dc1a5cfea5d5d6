from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("feed/", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
    path("new/<slug:community_slug>/", views.event_create, name="create"),
    path("co-hosting/", views.co_hosting_list, name="co_hosting_list"),
    path("co-hosting/<int:pk>/", views.co_hosting, name="co_hosting"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("<slug:slug>/register/", views.event_register, name="register"),
    path("<slug:slug>/unregister/", views.event_unregister, name="unregister"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/publish/", views.event_publish, name="publish"),
    path("<slug:slug>/cancel/", views.event_cancel, name="cancel"),
    path("<slug:slug>/copy/", views.event_copy, name="copy"),
    path("<slug:slug>/attendees/", views.attendees, name="attendees"),
    path("<slug:slug>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path("<slug:slug>/attendance/", views.attendance, name="attendance"),
    path("<slug:slug>/attendees/<int:pk>/remove/", views.attendee_remove, name="attendee_remove"),
    path("<slug:slug>/message/", views.message_registrants, name="message"),
    path("<slug:slug>/outcomes/", views.outcomes, name="outcomes"),
    path("<slug:slug>/documents/", views.document_upload, name="document_upload"),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document_download"),
]
