from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("mine/", views.my_communities, name="mine"),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/join/", views.community_join, name="join"),
    path("<slug:slug>/leave/", views.community_leave, name="leave"),
]
