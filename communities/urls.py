from django.urls import path

from .views import membership, page, roster

app_name = "communities"

urlpatterns = [
    path("", membership.community_list, name="list"),
    path("mine/", membership.my_communities, name="mine"),
    path("invitations/<str:token>/", membership.invitation_detail, name="invitation"),
    # "<slug:slug>/", the community page: portal/urls.py (community_patterns)
    path("<slug:slug>/join/", membership.community_join, name="join"),
    path("<slug:slug>/leave/", membership.community_leave, name="leave"),
    path("<slug:slug>/edit/", page.community_edit, name="edit"),
    path("<slug:slug>/organizations/", page.community_organizations, name="organizations"),
    path(
        "<slug:slug>/organizations/<int:pk>/remove/",
        page.community_organization_remove,
        name="organization_remove",
    ),
    path("<slug:slug>/roster/", roster.roster, name="roster"),
    path("<slug:slug>/roster/export/", roster.roster_export, name="roster_export"),
    path("<slug:slug>/roster/invite/", roster.roster_invite, name="roster_invite"),
    path("<slug:slug>/roster/<int:pk>/decide/", roster.roster_decide, name="roster_decide"),
    path("<slug:slug>/roster/<int:pk>/role/", roster.roster_role, name="roster_role"),
    path("<slug:slug>/roster/<int:pk>/remove/", roster.roster_remove, name="roster_remove"),
    path("<slug:slug>/roster/<int:pk>/core/", roster.roster_core, name="roster_core"),
    path(
        "<slug:slug>/roster/invitations/<int:pk>/revoke/",
        roster.roster_revoke,
        name="roster_revoke",
    ),
]
