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


def test_the_bell_menu_lists_the_newest_and_opening_one_marks_it_read(client, engineer, rep):
    services.notify(recipient=engineer, kind="x", subject="旧消息", channels=[Channel.IN_APP])
    (newest,) = services.notify(
        recipient=engineer,
        kind="x",
        subject="新消息",
        link="/calendars/clocks/",
        channels=[Channel.IN_APP],
    )
    (theirs,) = services.notify(
        recipient=rep, kind="x", subject="theirs", channels=[Channel.IN_APP]
    )
    client.force_login(engineer)
    bell = client.get("/notifications/bell/", HTTP_HX_CURRENT_URL="http://x/customers/?q=a")
    menu = bell.content.decode()
    assert menu.index("新消息") < menu.index("旧消息") and "theirs" not in menu
    assert 'value="/customers/?q=a"' in menu  # "mark all read" comes back to the page
    response = client.get(f"/notifications/{newest.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/calendars/clocks/"
    newest.refresh_from_db()
    assert newest.read_at is not None
    assert 'data-testid="bell-count">1<' in client.get("/notifications/bell/").content.decode()
    # Someone else's message is not there at all, and stays unread.
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_message_without_a_link_opens_the_inbox(client, engineer):
    (note,) = services.notify(recipient=engineer, kind="x", subject="s", channels=[Channel.IN_APP])
    client.force_login(engineer)
    assert client.get(f"/notifications/{note.pk}/open/")["Location"] == "/notifications/"
