"""URLs of the public pages (included at the site root by ``api/urls.py``)."""

from django.urls import path

from api.web import views

app_name = "web"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("p/<str:provider_id>", views.provider_page, name="provider"),
    path("widget-demo/", views.widget_demo, name="widget-demo"),
    path("analytics/", views.analytics_dashboard, name="analytics"),
]
