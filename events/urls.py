from django.urls import path

from .views.attendees import (
    attendance,
    attendee_remove,
    attendees,
    attendees_csv,
    message_registrants,
)
from .views.calendar_feed import calendar_feed, event_ics, feed_settings
from .views.co_hosting import co_hosting, co_hosting_list
from .views.detail import event_detail
from .views.lifecycle import event_cancel, event_copy, event_create, event_edit, event_publish
from .views.listing import event_calendar, event_list
from .views.outcomes import document_download, document_upload, outcomes
from .views.registration import event_register, event_unregister

app_name = "events"

urlpatterns = [
    path("", event_list, name="list"),
    path("calendar/", event_calendar, name="calendar"),
    path("feed/", feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", calendar_feed, name="feed"),
    path("new/<slug:community_slug>/", event_create, name="create"),
    path("co-hosting/", co_hosting_list, name="co_hosting_list"),
    path("co-hosting/<int:pk>/", co_hosting, name="co_hosting"),
    path("<slug:slug>/", event_detail, name="detail"),
    path("<slug:slug>/event.ics", event_ics, name="ics"),
    path("<slug:slug>/register/", event_register, name="register"),
    path("<slug:slug>/unregister/", event_unregister, name="unregister"),
    path("<slug:slug>/edit/", event_edit, name="edit"),
    path("<slug:slug>/publish/", event_publish, name="publish"),
    path("<slug:slug>/cancel/", event_cancel, name="cancel"),
    path("<slug:slug>/copy/", event_copy, name="copy"),
    path("<slug:slug>/attendees/", attendees, name="attendees"),
    path("<slug:slug>/attendees.csv", attendees_csv, name="attendees_csv"),
    path("<slug:slug>/attendance/", attendance, name="attendance"),
    path("<slug:slug>/attendees/<int:pk>/remove/", attendee_remove, name="attendee_remove"),
    path("<slug:slug>/message/", message_registrants, name="message"),
    path("<slug:slug>/outcomes/", outcomes, name="outcomes"),
    path("<slug:slug>/documents/", document_upload, name="document_upload"),
    path("<slug:slug>/documents/<int:pk>/", document_download, name="document_download"),
]
