import pytest
from django.core.exceptions import ValidationError

from mdss.customers.selectors import customer_get_for_user, customer_list_for_user
from mdss.customers.tests.factories import CustomerFactory
from mdss.customers.validators import credit_code_check_character, validate_credit_code

# A well-known public example code (GB 32100 format), checked by the algorithm below.
VALID = "91350100M000100Y43"


def test_a_valid_credit_code_passes():
    assert credit_code_check_character(VALID[:17]) == VALID[17]
    validate_credit_code(VALID)


@pytest.mark.parametrize(
    "code", ["91350100M000100Y44", "91350100M000100Y4", "9135010OM000100Y43", ""]
)
def test_bad_credit_codes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_credit_code(code)


def test_a_rep_sees_own_customers_a_manager_the_team_management_all(
    rep, other_rep, sales_manager, management
):
    mine, theirs = CustomerFactory(owner=rep), CustomerFactory(owner=other_rep)
    assert list(customer_list_for_user(rep)) == [mine]
    assert set(customer_list_for_user(sales_manager)) == {mine, theirs}
    assert set(customer_list_for_user(management)) == {mine, theirs}
    from django.http import Http404

    with pytest.raises(Http404):
        customer_get_for_user(rep, theirs.pk)
