from django.urls import path

from . import resource_centre

app_name = "resource_centre"

urlpatterns = [
    path("", resource_centre.resource_centre, name="index"),
]
