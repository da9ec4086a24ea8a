import pytest

from mdss.accounts import roles
from mdss.accounts.tests.factories import DepartmentFactory, RegionFactory, UserFactory


@pytest.fixture
def city(db):
    province = RegionFactory(code="330000", name="浙江省", level="province")
    return RegionFactory(code="330100", name="杭州市", level="city", parent=province)


@pytest.fixture
def other_manager(db, management):
    """A sales manager of another team: sees nothing of the first team's customers."""
    return UserFactory(
        username="manager2",
        full_name="周经理",
        department=DepartmentFactory(code="SALES-S", name="华南销售部"),
        superior=management,
        roles=[roles.SALES_MANAGER],
    )
