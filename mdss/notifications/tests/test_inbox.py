from mdss.notifications import services
from mdss.notifications.choices import Channel


def test_the_bell_shows_the_unread_count(client, engineer):
    services.notify(recipient=engineer, kind="x", subject="one", channels=[Channel.IN_APP])
    services.notify(recipient=engineer, kind="x", subject="two", channels=[Channel.IN_APP])
    client.force_login(engineer)
    bell = client.get("/notifications/bell/").content.decode()
    assert 'data-testid="bell-count">2<' in bell


def test_mark_read_in_the_page(client, engineer, rep):
    services.notify(recipient=engineer, kind="x", subject="one", channels=[Channel.IN_APP])
    services.notify(recipient=rep, kind="x", subject="not yours", channels=[Channel.IN_APP])
    client.force_login(engineer)
    page = client.get("/notifications/").content.decode()
    assert "one" in page and "not yours" not in page
    client.post("/notifications/read/")
    assert "bell-count" not in client.get("/notifications/bell/").content.decode()


def test_list_and_mark_read_through_the_api(api_client, engineer):
    rows = [
        services.notify(recipient=engineer, kind="x", subject=f"n{i}", channels=[Channel.IN_APP])[0]
        for i in range(3)
    ]
    api_client.as_user(engineer)
    body = api_client.get("/api/v1/notifications", {"unread": True}).json()
    assert body["count"] == 3 and body["items"][0]["subject"] == "n2"
    marked = api_client.post("/api/v1/notifications/mark-read", {"ids": [rows[0].pk]}).json()
    assert marked == {"marked": 1, "unread": 2}
    assert api_client.get("/api/v1/notifications/unread-count").json() == {"unread": 2}
    assert api_client.post("/api/v1/notifications/mark-read", {}).json() == {
        "marked": 2,
        "unread": 0,
    }


def test_notification_list_costs_a_fixed_number_of_queries(
    client, engineer, django_assert_num_queries
):
    for i in range(5):
        services.notify(recipient=engineer, kind="x", subject=f"n{i}", channels=[Channel.IN_APP])
    client.force_login(engineer)
    client.get("/notifications/")
    # session, user, count, page (roles and permissions: accounts.access cache)
    with django_assert_num_queries(4):
        client.get("/notifications/")
