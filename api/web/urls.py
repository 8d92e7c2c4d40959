"""URLs of the public pages (included at the site root by ``api/urls.py``)."""

from django.urls import path

from api.web.dashboard import analytics_dashboard
from api.web.provider import provider_page
from api.web.search import search_page
from api.web.widget import widget_demo

app_name = "web"

urlpatterns = [
    path("", search_page, name="search"),
    path("p/<str:provider_id>", provider_page, name="provider"),
    path("widget-demo/", widget_demo, name="widget-demo"),
    path("analytics/", analytics_dashboard, name="analytics"),
]
