"""List filters (core.filters): one form per list parses the page's and the API's
query parameters; a bad value is a form error or a 422 naming it, never a 500."""

import pytest
from django import forms

from mdss.core.errors import ValidationFailed
from mdss.core.filters import FilterForm


class _Filters(FilterForm):
    api_names = {"search": "q"}
    id_fields = ("owner",)

    q = forms.CharField(required=False)
    colour = forms.ChoiceField(required=False, choices=[("", "all"), ("red", "red")])
    owner = forms.TypedChoiceField(required=False, coerce=int, choices=[("", "all"), (1, "one")])


def test_the_page_filters_nothing_and_keeps_the_errors_for_a_bad_value():
    form = _Filters({"colour": "green"})
    assert form.filters() == {"q": "", "colour": "", "owner": ""}
    assert "colour" in form.errors


def test_the_api_gets_the_same_rules_with_its_own_parameter_names():
    assert _Filters.from_api({"search": "监护仪", "colour": "red", "owner": 7}) == {
        "q": "监护仪",
        "colour": "red",
        "owner": 7,  # an id, not one of the page's choices
    }
    with pytest.raises(ValidationFailed) as exc:
        _Filters.from_api({"search": "x" * 10, "colour": "green", "owner": 0})
    assert {(e.field, e.rule) for e in exc.value.errors} == {
        ("colour", "invalid_choice"),
        ("owner", "min_value"),
    }


API_BAD_FILTERS = [
    ("rep", "/api/v1/catalog/models?device_class=IV"),
    ("sales_manager", "/api/v1/customers?kind=martian"),
    ("sales_manager", "/api/v1/customers/feedback?status=lost"),
    ("legal", "/api/v1/contracts?status=lost"),
    ("legal", "/api/v1/contracts?signed_from=2026-12-01&signed_to=2026-11-01"),
    ("rep", "/api/v1/training/assessments?status=lost"),
    ("sales_manager", "/api/v1/pricing/price-changes?status=lost"),
]


@pytest.mark.parametrize(("persona", "url"), API_BAD_FILTERS)
def test_a_bad_api_filter_is_a_422_naming_the_parameter(db, request, api_client, persona, url):
    user = request.getfixturevalue(persona)
    response = api_client.as_user(user).get(url)
    assert response.status_code == 422, response.content
    parameter = url.split("?")[1].split("=")[0] if "signed_to" not in url else "signed_to"
    assert parameter in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("rep", "/catalog/?device_class=IV"),
        ("sales_manager", "/customers/?kind=martian&province=abc"),
        ("sales_manager", "/customers/feedback/?status=lost"),
        ("legal", "/contracts/?status=lost&signed_from=yesterday"),
        ("rep", "/training/assessments/?status=lost"),
        ("sales_manager", "/pricing/changes/?status=lost"),
    ],
)
def test_a_bad_page_filter_still_shows_the_page(db, request, client, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 200
