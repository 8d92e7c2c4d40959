"""End to end: a user's steps through the public pages in a real browser on the real server."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from indexer.searchlog import SearchLogSettings
from tests.e2e.conftest import shot

pytestmark = pytest.mark.integration

PAGE_BUDGET = 150 * 1024


def count_of(page: Any) -> int:
    return int(re.match(r"\d+", page.locator("#result-count").inner_text()).group(0))  # type: ignore[union-attr]


def wait_for_results(page: Any, before: str | None) -> float:
    """Wait until the script swapped in new results; the round trip it measured, in ms."""
    page.wait_for_function(
        "before => document.documentElement.getAttribute('data-roundtrip-ms') !== before"
        " && !document.getElementById('results-region').hasAttribute('aria-busy')",
        arg=before,
    )
    return float(page.evaluate("document.documentElement.getAttribute('data-roundtrip-ms')"))


def marker(page: Any) -> str | None:
    value: str | None = page.evaluate("document.documentElement.getAttribute('data-roundtrip-ms')")
    return value


def test_typo_query_then_pick_a_suggestion_with_the_keyboard(page: Any, server_url: str) -> None:
    page.goto(server_url + "/")
    box = page.locator("#q")
    expect(box).to_have_attribute("role", "combobox")
    box.press_sequentially("Shuldner", delay=30)  # typo: "Schuldner"
    options = page.locator("#q ~ [role=listbox] [role=option]")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    texts = options.all_inner_texts()
    print("\nsuggestions for 'Shuldner':", texts)
    assert any("Schuldner" in text for text in texts)
    shot(page, "01-suggestions")
    index = next(i for i, text in enumerate(texts) if "Schuldner" in text)
    for _ in range(index + 1):
        box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    chosen = options.nth(index).locator("span").first.inner_text()
    box.press("Enter")
    page.wait_for_load_state()
    if "/p/" in page.url:  # a service: its detail page
        expect(page.locator("h1")).to_have_text(chosen)
    else:  # a topic: the results filtered by it
        wait_for_results(page, None)
        assert count_of(page) > 0
    shot(page, "02-suggestion-picked")


def test_apply_and_remove_a_facet(page: Any, server_url: str) -> None:
    page.goto(server_url + "/?q=Beratung")
    total = count_of(page)
    language_counts = page.locator("#facet-language .n").all_inner_texts()
    district = page.locator("#facet-district input[type=checkbox]").first
    name = district.get_attribute("value")
    district.check()
    roundtrip = wait_for_results(page, None)
    filtered = count_of(page)
    print(f"\nfacet district={name}: {total} -> {filtered} results, round trip {roundtrip:.0f} ms")
    assert 0 < filtered < total
    assert f"district={name}" in page.url.replace("+", " ") or "district=" in page.url
    expect(page.locator(f"#facet-district input[value='{name}']")).to_be_checked()
    expect(page.locator(f"#facet-district input[value='{name}']")).to_be_focused()
    assert page.locator("#facet-language .n").all_inner_texts() != language_counts
    chip = page.locator(".chips a.chip")
    expect(chip).to_have_count(1)
    shot(page, "03-facet-applied")
    before = marker(page)
    chip.click()
    wait_for_results(page, before)
    assert count_of(page) == total
    expect(page.locator(".chips")).to_have_count(0)
    assert page.locator("#facet-language .n").all_inner_texts() == language_counts
    shot(page, "04-facet-removed")
    page.go_back()  # history works: the filtered list again
    expect(page.locator(".chips a.chip")).to_have_count(1)


def test_open_a_detail_page(page: Any, server_url: str) -> None:
    page.goto(server_url + "/?q=Kita")
    first = page.locator(".hits h3 a").first
    name = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/p/[\w-]+$"))
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("#osm-link")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/")
    )
    expect(page.locator("#sec-hours")).to_be_visible()
    expect(page.locator("#sec-contact")).to_be_visible()
    shot(page, "05-detail")
    page.locator("a.back").click()
    expect(page.locator("#q")).to_have_value("Kita")


def test_switch_to_arabic_gives_a_right_to_left_page(page: Any, server_url: str) -> None:
    page.goto(server_url + "/?q=Kita")
    page.locator(".lang-switch a[lang=ar]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.locator("label[for=q]")).to_have_text("عمّ تبحث؟")
    expect(page.locator("#facet-area legend")).to_have_text("المجال")
    # the filter column is on the right in RTL
    aside = page.locator("aside.filters").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert aside["x"] > results["x"]
    shot(page, "06-arabic-rtl")
    page.goto(server_url + "/")  # the choice is remembered (cookie)
    expect(page.locator("html")).to_have_attribute("lang", "ar")


@pytest.mark.browser(locale="uk-UA")
def test_language_follows_the_browser(page: Any, server_url: str) -> None:
    page.goto(server_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")


def test_widget_demo(page: Any, server_url: str, partner_key: str) -> None:
    page.goto(server_url + "/widget-demo/?key=" + partner_key)
    box = page.locator("#partner-q")
    asked: list[dict[str, str]] = []
    page.on("request", lambda r: asked.append(r.headers) if "/api/v1/suggest" in r.url else None)
    box.press_sequentially("Kita", delay=30)
    options = page.locator("#partner-q ~ [role=listbox] [role=option]")
    expect(options.first).to_be_visible()
    shot(page, "07-widget-suggestions")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.locator("#picked")).not_to_have_text("–")
    picked = json.loads(page.locator("#picked").inner_text())
    assert picked["type"] in ("provider", "category") and picked["url"].startswith(server_url)
    expect(box).to_have_value(picked["text"])
    assert asked and asked[-1].get("x-api-key") == partner_key
    shot(page, "08-widget-picked")


def test_widget_speaks_the_page_language_with_its_plural_forms(
    page: Any, server_url: str, partner_key: str
) -> None:
    page.goto(server_url + "/widget-demo/?lang=ru&key=" + partner_key)
    box = page.locator("#partner-q")
    box.press_sequentially("Kita", delay=30)
    options = page.locator("#partner-q ~ [role=listbox] [role=option]")
    expect(options.first).to_be_visible()
    expect(page.locator("#partner-q ~ [role=listbox]")).to_have_attribute("aria-label", "Подсказки")
    n = options.count()
    form = (
        "подсказка"
        if n % 10 == 1 and n % 100 != 11
        else "подсказки"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14
        else "подсказок"
    )
    expect(page.locator("#partner-q ~ [role=status]")).to_have_text(
        f"{n} {form}. Выберите стрелками."
    )


def test_widget_keeps_its_session_and_reports_a_picked_service(
    page: Any, server_url: str, partner_key: str
) -> None:
    page.goto(server_url + "/widget-demo/?key=" + partner_key)
    box = page.locator("#partner-q")
    asked: list[dict[str, str]] = []
    page.on("request", lambda r: asked.append(r.headers) if "/api/v1/suggest" in r.url else None)
    providers = page.locator("#partner-q ~ [role=listbox] [role=option][data-type=provider]")
    box.press_sequentially("Schu", delay=30)
    expect(providers.first).to_be_visible()
    box.press_sequentially("ld", delay=250)  # typed after the first answer arrived
    expect(providers.first).to_be_visible()
    # One typed search keeps one session: later keystrokes send the one the server issued.
    assert asked and any(h.get("x-search-session", "").startswith("s") for h in asked[1:])
    with page.expect_response(
        lambda r: "/api/v1/events/click" in r.url and r.request.method == "POST"
    ) as click:
        providers.first.dispatch_event("mousedown")
    assert click.value.status == 202  # its click token proved it was shown


def _log_some_searches(es: Any, index_prefix: str) -> None:
    """Searches of six sessions in the server's search log: what the panels must show."""
    import time as clock

    from analyzers import analyze_query
    from api.searchlog import Pending, to_entry
    from indexer.searchlog import SearchLogSettings, ensure_storage, write_batch
    from indexer.searchlog_intents import link_batch

    conf = SearchLogSettings(index_prefix=index_prefix)
    # Start from empty storage (a month index left by an earlier test of the run may lack the
    # template), but never without the template: the server's own log worker may write at any
    # moment, and a month index it created then had no alias and a text field where the
    # reports aggregate a keyword (two 500s in a clean-clone CI).
    ensure_storage(es, conf)
    es.indices.delete(
        index=f"{conf.pattern},{conf.rollup}",
        ignore_unavailable=True,
        allow_no_indices=True,
        expand_wildcards="all",
    )
    ensure_storage(es, conf)
    entries = []
    for n in range(6):
        for text, total in (("Kita", 7), ("Tierarzt kostenlos", 0)):
            entries.append(
                to_entry(
                    Pending(
                        kind="search",
                        query_id=f"{n:02d}{len(text):02d}".ljust(40, "a"),
                        ts=clock.time() - 60 * n,
                        session=f"s{n}",
                        channel="public",
                        text=text,
                        analysis=analyze_query(text),
                        filters={"district": ["Sonnenberg"]},
                        total=total,
                    )
                )
            )
    ordered, updates = link_batch(entries, {}, conf)  # as the log worker does
    assert write_batch(es, conf, ordered, updates)[1] == 0
    es.indices.refresh(index=f"{conf.index_prefix}*")
    # What the panels read (the server's own log of earlier tests may add entries).
    assert es.count(index=conf.alias).body["count"] >= len(entries)


def test_dashboard_after_login(
    page: Any, server_url: str, staff_user: tuple[str, str], es_client: Any, sample_conf: Any
) -> None:
    _log_some_searches(es_client, sample_conf.index_prefix)
    page.goto(server_url + "/analytics/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/analytics/"))
    _sign_in(page, server_url, staff_user)
    panels = page.locator(".panel[data-url]")  # drawn by the script (freshness is server-side)
    expect(panels).to_have_count(5)
    for i in range(5):  # every panel draws what the log holds (a busy cluster: asked again)
        try:
            expect(panels.nth(i)).to_have_attribute("data-state", "drawn", timeout=20_000)
        except AssertionError as failed:  # what the report said, and the log behind it
            url = server_url + str(panels.nth(i).get_attribute("data-url"))
            answer = page.request.get(url)
            conf = SearchLogSettings(index_prefix=sample_conf.index_prefix)
            raise AssertionError(
                f"{failed}\n{url}: {answer.status} {answer.text()[:500]}\n"
                f"alias {conf.alias}: {es_client.indices.exists_alias(name=conf.alias).body}, "
                f"indices {sorted(es_client.indices.get(index=conf.pattern).body)}"
            ) from failed
    unmet = page.locator(".panel[aria-labelledby=panel-zero_results]")
    expect(unmet).to_contain_text("tierarzt kostenlos")  # the unmet need, and only it
    expect(unmet).not_to_contain_text("kita")
    shot(page, "09-dashboard")


def _sign_in(page: Any, server_url: str, staff_user: tuple[str, str]) -> None:
    """On the admin login page: sign in and land on the dashboard."""
    page.fill("#id_username", staff_user[0])
    page.fill("#id_password", staff_user[1])
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(server_url + "/analytics/")


def _log_in(page: Any, server_url: str, staff_user: tuple[str, str]) -> None:
    page.goto(server_url + "/admin/login/?next=/analytics/")
    _sign_in(page, server_url, staff_user)


def test_dashboard_asks_again_when_a_report_is_unavailable(
    page: Any, server_url: str, staff_user: tuple[str, str], es_client: Any, sample_conf: Any
) -> None:
    _log_some_searches(es_client, sample_conf.index_prefix)
    refused: list[str] = []

    def once_unavailable(route: Any) -> None:
        # The first answer is what a busy cluster gives (503, Retry-After); the server answers
        # the ones after it.
        if not refused:
            refused.append(route.request.url)
            route.fulfill(status=503, headers={"Retry-After": "1"}, json={"error": "busy"})
        else:
            route.continue_()

    page.route("**/api/v1/analytics/reports/trends", once_unavailable)
    _log_in(page, server_url, staff_user)
    trends = page.locator(".panel[aria-labelledby=panel-trends]")
    expect(trends).to_have_attribute("data-state", "drawn", timeout=20_000)
    assert len(refused) == 1


def test_dashboard_says_a_failed_report_failed_not_that_it_is_empty(
    page: Any, server_url: str, staff_user: tuple[str, str]
) -> None:
    asked: list[int] = []

    def unavailable(route: Any) -> None:
        asked.append(1)
        route.fulfill(status=503, headers={"Retry-After": "1"}, json={"error": "down"})

    def forbidden(route: Any) -> None:
        asked.append(2)
        route.fulfill(status=403, json={"detail": "Forbidden"})

    page.route("**/api/v1/analytics/reports/trends", unavailable)
    page.route("**/api/v1/analytics/reports/top-queries*", forbidden)
    _log_in(page, server_url, staff_user)
    trends = page.locator(".panel[aria-labelledby=panel-trends]")
    expect(trends).to_have_attribute("data-state", "error", timeout=20_000)
    expect(trends).to_contain_text("Konnte nicht geladen werden")
    expect(trends).not_to_contain_text("Keine Daten")
    top = page.locator(".panel[aria-labelledby=panel-top_queries]")
    expect(top).to_have_attribute("data-state", "error")
    # A 503 is asked three times in all; a 403 will not mend by asking again.
    assert (asked.count(1), asked.count(2)) == (3, 1)


def test_search_page_has_no_serious_accessibility_violations(page: Any, server_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    axe = Axe()
    problems = {}
    paths = (
        "/?q=Schuldnerberatung",
        "/?q=Qwzxyvbnmplk",
        "/p/demo-0001",
        "/?lang=ar&q=Kita",
        "/?q=ich+will+nicht+mehr+leben",
        "/?lang=ar&q=zawji+yadrebni",
    )
    for path in paths:
        page.goto(server_url + path)
        result = axe.run(page)
        serious = [
            v for v in result.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        print(
            f"\naxe {path}: {result.violations_count} violations, {len(serious)} serious/critical"
        )
        for violation in result.response["violations"]:
            print(f"  {violation['impact']}: {violation['id']} – {violation['help']}")
        if serious:
            problems[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    assert not problems, problems


def test_page_weight_and_search_round_trip(page: Any, server_url: str) -> None:
    sizes: dict[str, int] = {}

    def record(response: Any) -> None:
        request_sizes = response.request.sizes()
        sizes[response.url] = (
            request_sizes["responseBodySize"] + request_sizes["responseHeadersSize"]
        )

    page.on("requestfinished", lambda request: record(request.response()))
    page.goto(server_url + "/?q=Beratung")
    page.wait_for_load_state("networkidle")
    transferred = page.evaluate(
        "[performance.getEntriesByType('navigation')[0],"
        " ...performance.getEntriesByType('resource')]"
        ".reduce((sum, e) => sum + (e.transferSize || 0), 0)"
    )
    measured = sum(sizes.values())
    print(
        f"\nfirst load of the search page: {transferred / 1024:.1f} KB (performance entries), "
        f"{measured / 1024:.1f} KB (responses: {len(sizes)})"
    )
    for url, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:6.1f} KB  {url.removeprefix(server_url)}")
    assert 0 < transferred < PAGE_BUDGET and measured < PAGE_BUDGET

    times = []
    for query in ("Kita", "Schuldnerberatung", "Hilfe bei Anträgen", "Pflege", "Sucht"):
        before = marker(page)
        page.fill("#q", query)
        started = page.evaluate("performance.now()")
        page.locator("#q").press("Enter")
        script_ms = wait_for_results(page, before)
        page.wait_for_function("() => true")
        total_ms = page.evaluate(f"performance.now() - {started}")
        server = page.evaluate(
            "Object.fromEntries(performance.getEntriesByType('resource')"
            ".filter(e => e.name.includes('partial=1')).pop().serverTiming"
            ".map(t => [t.name, t.duration]))"
        )
        times.append((query, script_ms, total_ms, server))
    for query, script_ms, total_ms, server in times:
        print(
            f"  search round trip {query!r}: {script_ms:.0f} ms fetch+render "
            f"({total_ms:.0f} ms until seen by the test; server {server.get('app', 0):.0f} ms "
            f"of which Elasticsearch {server.get('es', 0):.0f} ms)"
        )
    median = sorted(t[1] for t in times)[len(times) // 2]
    print(f"  median search round trip: {median:.0f} ms (target < 300 ms)")


@pytest.mark.browser(java_script_enabled=False)
def test_plain_search_works_without_javascript(page: Any, server_url: str) -> None:
    page.goto(server_url + "/")
    page.fill("#q", "Kita")
    page.locator("form#search-form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"\?q=Kita"))
    assert count_of(page) > 0
    page.locator("#facet-district input[type=checkbox]").first.check()
    page.locator("button.apply").click()
    expect(page.locator(".chips a.chip")).to_have_count(1)
    shot(page, "10-no-javascript")


@pytest.mark.browser(
    geolocation={"latitude": 50.8323, "longitude": 12.9252}, permissions=["geolocation"]
)
def test_distance_only_after_sharing_the_location(page: Any, server_url: str) -> None:
    page.goto(server_url + "/?q=Beratung")
    expect(page.locator(".distance")).to_have_count(0)
    page.locator("#locate").click()
    wait_for_results(page, None)
    expect(page.locator(".distance").first).to_contain_text("km")
    expect(page.locator("#sort")).to_have_value("distance")
    shot(page, "11-distance")


def test_a_person_in_danger_sees_the_lines_first(page: Any, server_url: str) -> None:
    page.goto(server_url + "/")
    page.locator("#q").fill("my husband hits me")
    page.locator("#q").press("Enter")
    crisis = page.locator("#crisis")
    expect(crisis).to_be_visible()
    expect(crisis.locator('a[href="tel:116016"]')).to_be_visible()
    box = crisis.bounding_box()
    first_hit = page.locator(".hit").first.bounding_box()
    assert box is not None and first_hit is not None and box["y"] < first_hit["y"]
    shot(page, "10-crisis")


def test_the_access_log_keeps_no_address_query_referrer_or_agent(server_url: str) -> None:
    import urllib.request

    from tests.settings import RUN_DIR

    request = urllib.request.Request(
        server_url + "/?q=Frauenhaus+Sonnenberg&lang=de",
        headers={"User-Agent": "Secret-Agent/7.7", "Referer": "https://example.org/private"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    api = server_url + "/api/v1/search?q=schwanger+verzweifelt"
    with urllib.request.urlopen(api, timeout=30) as response:
        response.read()
    time.sleep(0.5)  # gunicorn writes the access line after the response
    log = (RUN_DIR / "e2e-server.log").read_text(encoding="utf-8", errors="replace")
    lines = [line for line in log.splitlines() if line.startswith("GET ")]
    assert any(line.startswith("GET / 200 ") for line in lines), lines[-5:]
    assert any(line.startswith("GET /api/v1/search 200 ") for line in lines), lines[-5:]
    for secret in ("Frauenhaus", "schwanger", "Secret-Agent", "example.org"):
        assert secret not in log, secret
    assert not [line for line in lines if "127.0.0.1" in line]  # gunicorn's own start-up
    # line names the address it listens on; no request line names the client's


def test_the_container_probe_passes_against_a_running_server(
    server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from sozialatlas.cli import main

    assert main(["probe", "--url", server_url]) == 0
    assert "health 200" in capsys.readouterr().out
    assert main(["probe", "--url", "http://127.0.0.1:9", "--timeout", "1"]) == 1
