def test_add_working_days_answers_the_policy_example(api_client, rep):
    response = api_client.as_user(rep).get(
        "/api/v1/calendars/add-working-days", {"start": "2026-09-30", "days": 3}
    )
    assert response.status_code == 200
    assert response.json() == {"date": "2026-10-10", "provisional": False}


def test_a_date_in_an_unpublished_year_is_provisional(api_client, rep):
    body = (
        api_client.as_user(rep)
        .get("/api/v1/calendars/add-working-days", {"start": "2027-03-05", "days": 3})
        .json()
    )
    assert body == {"date": "2027-03-10", "provisional": True}


def test_bad_input_names_the_field(api_client, rep):
    api_client.as_user(rep)
    bad_date = api_client.get(
        "/api/v1/calendars/add-working-days", {"start": "2026-13-01", "days": 1}
    )
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "start"
    too_many = api_client.get(
        "/api/v1/calendars/add-working-days", {"start": "2026-01-01", "days": -1}
    )
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "days"


def test_policy_lists_the_active_targets(api_client, rep):
    body = api_client.as_user(rep).get("/api/v1/calendars/policy").json()
    assert body["version"] == 1
    assert {t["code"] for t in body["targets"]} >= {"service.contact", "service.followup"}


def test_working_day_and_years(api_client, rep):
    api_client.as_user(rep)
    assert api_client.get("/api/v1/calendars/working-day", {"day": "2026-10-10"}).json() == {
        "date": "2026-10-10",
        "provisional": False,
        "is_working_day": True,
    }
    assert 2026 in api_client.get("/api/v1/calendars/years").json()["published_years"]


def test_the_day_after_new_years_eve_is_after_the_statutory_holiday(api_client, rep):
    """2027 is not published: 1 January is still a holiday by law (issue: it answered
    2027-01-01)."""
    body = (
        api_client.as_user(rep)
        .get("/api/v1/calendars/add-working-days", {"start": "2026-12-31", "days": 1})
        .json()
    )
    assert body == {"date": "2027-01-04", "provisional": True}
