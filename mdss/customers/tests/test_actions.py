"""The buttons come from the rules: the actions on customer feedback, per status and
role, on the page and in the API."""

import pytest
from django.contrib.auth.models import Permission

from mdss.accounts import roles
from mdss.accounts.tests.factories import UserFactory
from mdss.core.errors import PermissionDenied
from mdss.customers import services
from mdss.customers.actions import feedback_actions_for
from mdss.customers.tests.factories import CustomerFactory, FeedbackFactory


@pytest.fixture
def feedback(rep):
    return FeedbackFactory(customer=CustomerFactory(owner=rep, existing=True), raised_by=rep)


def test_the_allowed_actions_follow_the_status_and_the_role(feedback, rep, sales_manager):
    assert feedback_actions_for(rep, feedback) == ["act"]
    assert feedback_actions_for(sales_manager, feedback) == ["act", "close"]
    feedback = services.feedback_act(actor=rep, feedback=feedback, action="已联系厂家")
    assert feedback_actions_for(rep, feedback) == []
    assert feedback_actions_for(sales_manager, feedback) == ["close"]
    feedback = services.feedback_close(actor=sales_manager, feedback=feedback, decision="引进")
    assert feedback_actions_for(sales_manager, feedback) == []


def test_a_rep_sees_the_feedback_but_may_not_close_it(client, feedback, rep, sales_manager):
    client.force_login(rep)
    page = client.get(f"/customers/feedback/{feedback.pk}/")
    assert page.context["actions"] == ["act"]
    html = page.content.decode()
    assert f'action="/customers/feedback/{feedback.pk}/act/"' in html
    assert f'action="/customers/feedback/{feedback.pk}/close/"' not in html
    refused = client.post(f"/customers/feedback/{feedback.pk}/close/", {"close-decision": "x"})
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        services.feedback_close(actor=rep, feedback=feedback, decision="x")
    feedback.refresh_from_db()
    assert feedback.status == "open"
    assert client.get(f"/customers/feedback/{feedback.pk}/act/").status_code == 405
    # A refusal shows the page again with the rule next to the field.
    response = client.post(f"/customers/feedback/{feedback.pk}/act/", {"act-action": ""})
    assert response.status_code == 200 and response.context["forms"]["act"].errors
    done = client.post(f"/customers/feedback/{feedback.pk}/act/", {"act-action": "已处理"})
    assert done.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "acted_on"


def test_acting_on_feedback_needs_a_sales_role_not_only_the_permission(db):
    # Somebody outside sales who was given the model permission (and owns the
    # customer) still may not act: the action permission is the role's.
    outsider = UserFactory(username="svc", roles=[roles.SERVICE_MANAGER])
    outsider.user_permissions.add(
        Permission.objects.get(codename="change_feedback", content_type__app_label="customers")
    )
    feedback = FeedbackFactory(
        customer=CustomerFactory(owner=outsider, existing=True), raised_by=outsider
    )
    assert feedback_actions_for(outsider, feedback) == []
    with pytest.raises(PermissionDenied):
        services.feedback_act(actor=outsider, feedback=feedback, action="处理")


def test_the_api_detail_lists_the_allowed_actions(api_client, feedback, rep, sales_manager):
    body = api_client.as_user(rep).get(f"/api/v1/customers/feedback/{feedback.pk}").json()
    assert body["allowed_actions"] == ["act"]
    body = api_client.as_user(sales_manager).get(f"/api/v1/customers/feedback/{feedback.pk}")
    assert body.json()["allowed_actions"] == ["act", "close"]
