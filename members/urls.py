from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    # Only the signed-in member's own profile can be edited: no id in the address.
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.profile_edit, name="edit"),
    path("me/access/", views.my_access, name="access"),
    # me/personal-data/ and me/delete/: portal/urls.py (member_patterns)
    path("<int:pk>/", views.profile, name="profile"),
]
