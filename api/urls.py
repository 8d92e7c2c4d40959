"""URL configuration: the versioned API, the admin."""

from django.contrib import admin
from django.urls import path

from api.apis import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
