from mdss.catalog.tests.factories import ModelFactory, sellable_model


def test_a_rep_asks_the_gate_and_gets_the_expired_certificate_named(api_client, rep):
    model = sellable_model()
    number = model.certificates.get().number
    response = api_client.as_user(rep).get(
        f"/api/v1/catalog/models/{model.pk}/compliance", {"on": "2030-02-01"}
    )
    body = response.json()
    assert response.status_code == 200 and body["sellable"] is False
    assert body["reasons"] == [
        {"code": "certificate_expired", "message": f"注册证 {number} 已于 2029-12-31 过期"}
    ]


def test_bulk_check_answers_in_the_order_asked(api_client, rep):
    good, bad = sellable_model(), ModelFactory()
    body = (
        api_client.as_user(rep)
        .post(
            "/api/v1/catalog/compliance/check",
            {"model_ids": [bad.pk, good.pk], "on_date": "2026-11-27"},
        )
        .json()
    )
    assert [(r["model_id"], r["sellable"]) for r in body] == [(bad.pk, False), (good.pk, True)]


def test_unknown_models_are_named(api_client, rep):
    response = api_client.as_user(rep).post(
        "/api/v1/catalog/compliance/check", {"model_ids": [999999]}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "model_ids"


def test_customers_do_not_read_the_catalog_api(api_client, customer_user):
    response = api_client.as_user(customer_user).get("/api/v1/catalog/models")
    assert response.status_code == 403


def test_model_list_filters_and_costs_fixed_queries(api_client, rep, django_assert_num_queries):
    for _ in range(3):
        sellable_model()
    target = sellable_model(device_class="III")
    api_client.as_user(rep)
    api_client.get("/api/v1/catalog/models")
    body = api_client.get("/api/v1/catalog/models", {"device_class": "III"}).json()
    assert [m["id"] for m in body["items"]] == [target.pk]
    # token with user, page, count (roles and permissions: accounts.access cache)
    with django_assert_num_queries(3):
        api_client.get("/api/v1/catalog/models")


def test_a_scanned_udi_is_read_and_matched_to_its_model(api_client, rep):
    from mdss.catalog.models import UdiDeviceIdentifier

    model = sellable_model()
    UdiDeviceIdentifier.objects.create(model=model, di="06901234567892")
    body = (
        api_client.as_user(rep)
        .post(
            "/api/v1/catalog/udi/parse",
            {"text": "]d20106901234567892\x1d17270600\x1d10LOT42\x1d21SN001"},
        )
        .json()
    )
    assert body["ok"] and body["di"] == "06901234567892"
    assert (body["lot"], body["serial"], body["expiry_date"]) == ("LOT42", "SN001", "2027-06-30")
    assert body["model"]["id"] == model.pk


def test_garbage_says_what_could_not_be_read(api_client, rep):
    body = api_client.as_user(rep).post("/api/v1/catalog/udi/parse", {"text": "hello world"}).json()
    assert body["ok"] is False and body["model"] is None and body["errors"]
