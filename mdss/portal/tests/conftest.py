import pytest

from mdss.service.tests.conftest import (  # noqa: F401  (fixtures shared with service)
    _service_day,
    clinic,
    device,
    hospital,
    monitor,
    qualified,
)


@pytest.fixture
def member(customer_user, hospital, service_manager):  # noqa: F811
    """韩客户 logs in to the portal for the hospital."""
    from mdss.customers.portal import portal_account_grant

    portal_account_grant(actor=service_manager, user=customer_user, customer=hospital)
    return customer_user
