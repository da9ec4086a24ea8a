"""The global search (core/search.py, issue 15): each kind within the user's scope,
grouped, bounded, at a fixed query cost; the page, the top bar's dropdown and the API."""

from datetime import date

import pytest

from mdss.catalog.models import UdiDeviceIdentifier
from mdss.catalog.tests.factories import ModelFactory
from mdss.contracts.models import Contract
from mdss.core.search import DROPDOWN_LIMIT, MAX_LENGTH, clean_query, search
from mdss.customers.tests.factories import CustomerFactory
from mdss.devices import services as device_services
from mdss.devices.choices import DeviceOrigin

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 27)
SCAN = "(01)06901234567892(17)281231(10)LOT7(21)SN77"


def kinds(groups) -> dict[str, list[str]]:
    return {g.kind: [hit.label for hit in g.hits] for g in groups}


@pytest.fixture
def world(rep, other_rep, service_manager):
    mine = CustomerFactory(owner=rep, name="杭州市第一人民医院")
    theirs = CustomerFactory(owner=other_rep, name="杭州市西湖人民医院")
    monitor = ModelFactory(code="PM-8000", product__name="多参数监护仪")
    UdiDeviceIdentifier.objects.create(model=monitor, di="06901234567892")
    device = device_services.device_register(
        actor=service_manager,
        customer=mine,
        model=monitor,
        serial="",
        udi=SCAN,
        origin=DeviceOrigin.LOANER,
        today=DAY,
    )
    device_services.device_register(
        actor=service_manager,
        customer=theirs,
        model=monitor,
        serial="SN78",
        origin=DeviceOrigin.TAKEN_OVER,
        today=DAY,
    )
    Contract.objects.create(number="HT-2026-000901", customer=mine, rep=rep)
    Contract.objects.create(number="HT-2026-000902", customer=theirs, rep=other_rep)
    return {"mine": mine, "theirs": theirs, "device": device, "monitor": monitor}


def test_a_rep_finds_only_her_own_customers_contracts_and_devices(rep, world):
    found = kinds(search(rep, "杭州市"))
    assert found["customers"] == ["杭州市第一人民医院"]
    assert len(found["devices"]) == 1  # her customer's unit, not the other rep's
    assert kinds(search(rep, "HT-2026-0009"))["contracts"] == ["HT-2026-000901"]
    assert [label.split(" ·")[0] for label in kinds(search(rep, "SN7"))["devices"]] == ["SN77"]


def test_a_manager_finds_the_teams_customers(sales_manager, world):
    assert sorted(kinds(search(sales_manager, "杭州市"))["customers"]) == [
        "杭州市第一人民医院",
        "杭州市西湖人民医院",
    ]


def test_a_scanned_udi_finds_the_unit(service_manager, engineer, world):
    for user in (service_manager, engineer):
        (group,) = [g for g in search(user, SCAN) if g.kind == "devices"]
        assert [hit.url for hit in group.hits] == [f"/devices/{world['device'].pk}/"]
        assert group.more_url == ""  # the device list does not read scans
    # The same scan with the scanner's group separator and symbology identifier.
    scanned = "]d2" + "0106901234567892172812311" + "0LOT7\x1d21SN77"
    assert kinds(search(engineer, scanned))["devices"][0].startswith("SN77")


def test_kinds_the_user_may_not_open_are_not_searched(engineer, warehouse, world):
    # An engineer opens devices and the catalog, not customers, contracts or people.
    assert set(kinds(search(engineer, ["监护仪", "PM-8000"][1]))) <= {"devices", "products"}
    assert set(kinds(search(engineer, "杭州市"))) == {"devices"}
    assert set(kinds(search(warehouse, "PM-8000"))) == {"products"}


def test_a_customer_account_finds_nothing_internal(customer_user, world, client):
    for text in ("杭州市", "HT-2026", "SN77", "PM-8000", "韩"):
        assert search(customer_user, text) == []
    client.force_login(customer_user)
    assert client.get("/search/", {"q": "杭州市"}).status_code == 403
    page = client.get("/")
    assert b'data-testid="top-search"' not in page.content


def test_results_are_grouped_in_order_with_a_link_each(management, world):
    groups = search(management, "杭州市")
    assert [g.kind for g in groups] == ["customers", "devices"]
    assert [len(g.hits) for g in groups] == [2, 2]
    assert {hit.url for hit in groups[1].hits} >= {f"/devices/{world['device'].pk}/"}
    (products,) = search(management, "PM-8000")
    assert products.hits[0].url == f"/catalog/models/{world['monitor'].pk}/"


def test_a_kind_with_more_hits_than_shown_links_to_its_filtered_list(rep, world):
    for n in range(DROPDOWN_LIMIT + 1):
        CustomerFactory(owner=rep, name=f"宁波市第{n}医院")
    (group,) = search(rep, "宁波市", limit=DROPDOWN_LIMIT)
    assert len(group.hits) == DROPDOWN_LIMIT
    assert group.more_url == "/customers/?q=%E5%AE%81%E6%B3%A2%E5%B8%82"
    (group,) = search(rep, "宁波市", limit=DROPDOWN_LIMIT + 1)
    assert group.more_url == ""


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("", ""),
        ("   ", ""),
        (None, ""),
        (["a"], ""),
        ("  SN77  ", "SN77"),
        ("x" * 500, "x" * MAX_LENGTH),
        ("%_\\'\"<script>", "%_\\'\"<script>"),
    ],
)
def test_the_text_is_stripped_and_bounded(raw, cleaned):
    assert clean_query(raw) == cleaned


def test_bad_input_finds_nothing_and_never_fails(rep, world, client):
    client.force_login(rep)
    assert search(rep, "") == [] and search(rep, "   ") == []
    for q in ("", "  ", "%", "_", "'; drop table x; --", "x" * 5000, "杭州市" * 40, "\x1d\x1d"):
        assert client.get("/search/", {"q": q}).status_code == 200, q
        assert client.get("/search/", {"q": q}, headers={"HX-Request": "true"}).status_code == 200
    assert client.get("/search/", {"q": ["a", "b"]}).status_code == 200
    # A wildcard is a character, not a pattern.
    assert search(rep, "%") == [] and search(rep, "_") == []


def test_the_page_and_the_dropdown_show_the_groups(rep, world, client):
    client.force_login(rep)
    page = client.get("/search/", {"q": "杭州市"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-kind="customers"' in html and f"/customers/{world['mine'].pk}/" in html
    assert f"/customers/{world['theirs'].pk}/" not in html
    dropdown = client.get("/search/", {"q": "杭州市"}, headers={"HX-Request": "true"})
    assert b'data-testid="search-dropdown"' in dropdown.content
    assert b"<html" not in dropdown.content
    empty = client.get("/search/", {"q": ""}, headers={"HX-Request": "true"})
    assert empty.content.strip() == b""
    assert b'data-testid="top-search"' in client.get("/").content


def test_a_search_costs_a_fixed_number_of_queries(
    management, world, client, django_assert_max_num_queries
):
    """One query per kind (devices and products may join their DIs), whatever the data:
    the session and the user, then five kinds."""
    client.force_login(management)
    client.get("/search/", {"q": "PM"})  # warm the per-process caches
    for q in ("杭州市", "PM-8000", SCAN, "HT-2026"):
        with django_assert_max_num_queries(8):
            client.get("/search/", {"q": q}, headers={"HX-Request": "true"})
    for n in range(30):
        CustomerFactory(owner=management, name=f"杭州市第{n}医院")
    with django_assert_max_num_queries(8):
        client.get("/search/", {"q": "杭州市"}, headers={"HX-Request": "true"})


def test_the_api_answers_the_same_groups(rep, customer_user, world, api_client):
    api_client.as_user(rep)
    response = api_client.get("/api/v1/search", {"q": "  杭州市 "})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "杭州市"
    assert [(g["kind"], len(g["hits"])) for g in body["groups"]] == [
        ("customers", 1),
        ("devices", 1),
    ]
    assert body["groups"][0]["hits"][0] == {
        "label": "杭州市第一人民医院",
        "url": f"/customers/{world['mine'].pk}/",
        "detail": body["groups"][0]["hits"][0]["detail"],
    }
    assert api_client.get("/api/v1/search", {"q": ""}).json()["groups"] == []
    too_long = api_client.get("/api/v1/search", {"q": "x" * (MAX_LENGTH + 1)})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "q"
    api_client.as_user(customer_user)
    assert api_client.get("/api/v1/search", {"q": "杭州市"}).status_code == 403
