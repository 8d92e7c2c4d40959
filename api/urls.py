"""URL configuration: the versioned API, the HSDS API, the admin, the public pages."""

from django.contrib import admin
from django.urls import include, path

from api.apis import api
from api.hsds_api import hsds_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("hsds/", hsds_api.urls),
    path("", include("api.web.urls")),
]
