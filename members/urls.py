from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    # Only the signed-in member's own profile can be edited: no id in the address.
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.profile_edit, name="edit"),
    path("me/access/", views.my_access, name="access"),
    path("me/personal-data/", views.personal_data_page, name="personal_data"),
    path(
        "me/personal-data/download/<str:fmt>/",
        views.personal_data_download,
        name="personal_data_download",
    ),
    path("me/delete/", views.account_delete, name="delete"),
    path("<int:pk>/", views.profile, name="profile"),
]
