from django.urls import path

from .views import roster as views

app_name = "communities"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("mine/", views.my_communities, name="mine"),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation"),
    # "<slug:slug>/", the community page: portal/urls.py (community_patterns)
    path("<slug:slug>/join/", views.community_join, name="join"),
    path("<slug:slug>/leave/", views.community_leave, name="leave"),
    path("<slug:slug>/edit/", views.community_edit, name="edit"),
    path("<slug:slug>/organizations/", views.community_organizations, name="organizations"),
    path(
        "<slug:slug>/organizations/<int:pk>/remove/",
        views.community_organization_remove,
        name="organization_remove",
    ),
    path("<slug:slug>/roster/", views.roster, name="roster"),
    path("<slug:slug>/roster/export/", views.roster_export, name="roster_export"),
    path("<slug:slug>/roster/invite/", views.roster_invite, name="roster_invite"),
    path("<slug:slug>/roster/<int:pk>/decide/", views.roster_decide, name="roster_decide"),
    path("<slug:slug>/roster/<int:pk>/role/", views.roster_role, name="roster_role"),
    path("<slug:slug>/roster/<int:pk>/remove/", views.roster_remove, name="roster_remove"),
    path("<slug:slug>/roster/<int:pk>/core/", views.roster_core, name="roster_core"),
    path(
        "<slug:slug>/roster/invitations/<int:pk>/revoke/",
        views.roster_revoke,
        name="roster_revoke",
    ),
]
