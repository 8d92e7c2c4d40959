"""The sitemap: every provider page and the search page, for search engines.

``/sitemap.xml`` is a sitemap index (Django's ``django.contrib.sitemaps``) that points at the
sections' pages, ``/sitemap-providers.xml?p=N`` with at most 50,000 URLs each (the
protocol's limit), so a directory of any size stays within the rules and the address to
submit never changes. The providers come from the database, the source of truth; ``lastmod``
is the row's last change (``modified``), so a crawler revisits exactly the pages that changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from directory.models import ServiceAtLocation

# (id, modified) rows, not model instances: a page of 50,000 URLs reads two columns.
Row = tuple[str, datetime]

if TYPE_CHECKING:  # Django's Sitemap is generic in its stubs only
    RowSitemap = Sitemap[Row]
    NameSitemap = Sitemap[str]
else:
    RowSitemap = NameSitemap = Sitemap


def _latest_change() -> datetime | None:
    latest: datetime | None = ServiceAtLocation.objects.aggregate(latest=Max("modified"))["latest"]
    return latest


class ProviderSitemap(RowSitemap):
    """One URL per provider page (``/p/<id>``), in id order so pages are stable."""

    changefreq = "weekly"

    def items(self) -> QuerySet[ServiceAtLocation, Row]:
        return ServiceAtLocation.objects.order_by("id").values_list("id", "modified")

    def location(self, item: Row) -> str:
        return reverse("web:provider", args=[item[0]])

    def lastmod(self, item: Row) -> datetime:
        return item[1]

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default walks every item for the index; one aggregate query instead.
        return _latest_change()


class PageSitemap(NameSitemap):
    """The search page, whose browsing lists change whenever an entry does."""

    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["web:search"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime | None:
        return _latest_change()

    def get_latest_lastmod(self) -> datetime | None:
        return _latest_change()


SITEMAPS: dict[str, Any] = {"pages": PageSitemap, "providers": ProviderSitemap}
