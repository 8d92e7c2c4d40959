"""URL configuration: the versioned API, the admin, the public pages (``api.web``)."""

from django.contrib import admin
from django.urls import include, path

from api.apis import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("api.web.urls")),
]
