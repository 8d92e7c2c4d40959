"""URLs of the public pages (included at the site root by ``api/urls.py``)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from api.ratelimit import throttle_page
from api.web.answer import answer_page, answer_post
from api.web.confirm_page import confirm_page, confirm_post
from api.web.dashboard import analytics_dashboard
from api.web.discovery import opensearch_description, opensearch_suggestions
from api.web.entry_report_form import report_submit
from api.web.inquiry_form import inquiry_submit
from api.web.privacy import privacy_page
from api.web.provider import provider_page
from api.web.search import search_page
from api.web.sitemaps import SITEMAPS
from api.web.tracking import (
    tracking_message,
    tracking_page,
    tracking_resend,
    tracking_withdraw,
)
from api.web.widget import widget_demo, widget_text

app_name = "web"

urlpatterns = [
    path("", search_page, name="search"),
    path("p/<str:provider_id>", provider_page, name="provider"),
    # Mediated inquiries: the form's POST, the person's tracking page, the provider's answer
    # page (the links in the mails: directory.inquiry_tokens), the privacy notice.
    path("p/<str:provider_id>/anfrage", inquiry_submit, name="inquiry-submit"),
    # "Something wrong with this entry?": the report form's POST (editors' queue: the admin).
    path("p/<str:provider_id>/fehler", report_submit, name="report-submit"),
    path("anfrage/<str:token>", tracking_page, name="tracking"),
    path("anfrage/<str:token>/nachricht", tracking_message, name="tracking-message"),
    path("anfrage/<str:token>/zurueckziehen", tracking_withdraw, name="tracking-withdraw"),
    path("anfrage/<str:token>/erneut", tracking_resend, name="tracking-resend"),
    path("antwort/<str:token>", answer_page, name="answer"),
    path("antwort/<str:token>/senden", answer_post, name="answer-post"),
    # A provider confirms or corrects its entry (the link in the confirmation mail).
    path("eintrag/<str:token>", confirm_page, name="confirm"),
    path("eintrag/<str:token>/senden", confirm_post, name="confirm-post"),
    path("datenschutz", privacy_page, name="privacy"),
    path("widget-demo/", widget_demo, name="widget-demo"),
    path("widget/text.json", widget_text, name="widget-text"),  # the widget's strings
    path("analytics/", analytics_dashboard, name="analytics"),
    # Discovery (api.web.sitemaps, api.web.discovery): an index of sitemap pages, OpenSearch.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "web:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        throttle_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("opensearch.xml", opensearch_description, name="opensearch"),
    path("opensearch/suggest", opensearch_suggestions, name="opensearch-suggest"),
]
