"""The top layer's pages. Some belong in another app's namespace (a community's page is
communities:detail, a person's data is members:personal_data): cssp_portal/urls.py adds those
patterns to that app's namespace, so no app below needs to import this one."""

from django.urls import path

from . import account_views, views
from .search import views as search_views

urlpatterns = [
    path("", views.home, name="home"),
]

# Under /communities/, in the communities namespace, after the communities' own patterns.
community_patterns = [
    path("<slug:slug>/", views.community_detail, name="detail"),
]

# Under /knowledge/, in the knowledge namespace (where the search page has always been).
knowledge_patterns = [
    path("search/", search_views.search_page, name="search"),
]

# Under /members/, in the members namespace.
member_patterns = [
    path("me/personal-data/", account_views.personal_data_page, name="personal_data"),
    path(
        "me/personal-data/download/<str:fmt>/",
        account_views.personal_data_download,
        name="personal_data_download",
    ),
    path("me/delete/", account_views.account_delete, name="delete"),
]
