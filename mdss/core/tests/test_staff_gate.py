"""Accounts without a staff role (customers, role-less) reach only their own account
and notifications, in the pages and the API; every other door is staff-only by default."""


def test_a_customer_account_reaches_only_its_own_doors(api_client, customer_user, client):
    api = api_client.as_user(customer_user)
    assert api.get("/api/v1/training/external").status_code == 403
    assert api.post("/api/v1/training/external", {}).status_code == 403  # before parsing
    assert api.get("/api/v1/pricing/adjustments").status_code == 403
    assert api.get("/api/v1/accounts/me").status_code == 200
    assert api.get("/api/v1/notifications").status_code == 200
    client.force_login(customer_user)
    assert client.get("/pricing/adjustments/").status_code == 403
    assert client.get("/pricing/adjustments/new/").status_code == 403
    assert client.get("/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/notifications/").status_code == 200


def test_staff_pass_the_gate(api_client, rep, client):
    assert api_client.as_user(rep).get("/api/v1/training/external").status_code == 200
    client.force_login(rep)
    assert client.get("/pricing/adjustments/").status_code == 200
