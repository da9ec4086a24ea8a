"""Named personas shared by every app's tests (STYLE.md: rep, engineer, legal, …).

Each persona is a user with one role, in a small organisation: a sales department
with a manager over two reps, a service department with a manager over an engineer.
"""

import pytest

from mdss.accounts import roles
from mdss.accounts.tests.factories import DepartmentFactory, UserFactory


@pytest.fixture
def sales_dept(db):
    return DepartmentFactory(code="SALES", name="销售部")


@pytest.fixture
def service_dept(db):
    return DepartmentFactory(code="SERVICE", name="售后服务部")


@pytest.fixture
def management(db):
    return UserFactory(username="boss", full_name="赵总", roles=[roles.MANAGEMENT])


@pytest.fixture
def sales_manager(db, sales_dept, management):
    return UserFactory(
        username="manager",
        full_name="钱经理",
        department=sales_dept,
        superior=management,
        roles=[roles.SALES_MANAGER],
    )


@pytest.fixture
def rep(db, sales_dept, sales_manager):
    return UserFactory(
        username="rep",
        full_name="孙代表",
        department=sales_dept,
        superior=sales_manager,
        roles=[roles.SALES_REP],
    )


@pytest.fixture
def other_rep(db, sales_dept, sales_manager):
    return UserFactory(
        username="rep2",
        full_name="李代表",
        department=sales_dept,
        superior=sales_manager,
        roles=[roles.SALES_REP],
    )


@pytest.fixture
def service_manager(db, service_dept, management):
    return UserFactory(
        username="dispatcher",
        full_name="王主管",
        department=service_dept,
        superior=management,
        roles=[roles.SERVICE_MANAGER],
    )


@pytest.fixture
def engineer(db, service_dept, service_manager):
    return UserFactory(
        username="engineer",
        full_name="冯工",
        department=service_dept,
        superior=service_manager,
        roles=[roles.SERVICE_ENGINEER],
    )


@pytest.fixture
def legal(db, management):
    return UserFactory(
        username="legal", full_name="郑法务", superior=management, roles=[roles.LEGAL]
    )


@pytest.fixture
def quality(db, management):
    return UserFactory(
        username="quality", full_name="卫质量", superior=management, roles=[roles.QUALITY]
    )


@pytest.fixture
def warehouse(db, service_manager):
    return UserFactory(
        username="keeper",
        full_name="褚库管",
        superior=service_manager,
        roles=[roles.WAREHOUSE_KEEPER],
    )


@pytest.fixture
def trainer(db, management):
    return UserFactory(
        username="trainer", full_name="蒋培训", superior=management, roles=[roles.TRAINER]
    )


@pytest.fixture
def customer_user(db):
    return UserFactory(username="customer", full_name="韩客户", roles=[roles.CUSTOMER])


@pytest.fixture
def outsider(db):
    """Logged in, but with no role at all."""
    return UserFactory(username="outsider", full_name="无角色")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def api_client():
    """A Django test client that talks JSON to /api/v1 with an optional bearer token."""
    from django.test import Client

    class ApiClient(Client):
        token = None

        def _headers(self, headers):
            headers = dict(headers or {})
            if self.token:
                headers.setdefault("Authorization", f"Bearer {self.token}")
            return headers

        def get(self, path, data=None, headers=None, **extra):
            return super().get(path, data, headers=self._headers(headers), **extra)

        def post(self, path, data=None, headers=None, **extra):
            import json

            body = json.dumps(data if data is not None else {})
            return super().post(
                path, body, content_type="application/json", headers=self._headers(headers), **extra
            )

        def patch(self, path, data=None, headers=None, **extra):
            import json

            return super().patch(
                path, json.dumps(data or {}), "application/json", headers=self._headers(headers)
            )

        def put(self, path, data=None, headers=None, **extra):
            import json

            return super().put(
                path, json.dumps(data or {}), "application/json", headers=self._headers(headers)
            )

        def generic(self, method, path, *args, **kwargs):
            response = super().generic(method, path, *args, **kwargs)
            _check_against_openapi(method, path, response)
            return response

        def as_user(self, user):
            from mdss.accounts.tests.factories import raw_token_for

            self.token = raw_token_for(user)
            return self

    return ApiClient()


def _check_against_openapi(method, path, response):
    """Every JSON response an API test sees must match the published document."""
    from urllib.parse import urlsplit

    from mdss.core.openapi_check import problems

    path = urlsplit(path).path
    if not path.startswith("/api/v1/") or path.endswith(("openapi.json", "/docs")):
        return
    if not response.get("Content-Type", "").startswith("application/json"):
        return
    found = problems(method, path, response.status_code, response.json())
    assert not found, "response does not match openapi.json:\n" + "\n".join(found)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let transactional tests empty regulated tables between tests (see mdss.audit.db)."""
    from django.db import connection

    from mdss.audit.db import grant_purge_permit

    with django_db_blocker.unblock():
        grant_purge_permit(connection)


@pytest.fixture
def reference_data(db):
    """Regions, the work calendar and the default policy, which data migrations load:
    a transactional test that ran before this one in the same worker emptied them."""
    from mdss.core.reference import load_reference_data

    load_reference_data()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (lists such as region choices are cached)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def django_capture_on_commit_callbacks(django_capture_on_commit_callbacks):
    """pytest-django's, and then this session's audit stream read again: callbacks it
    ran (``execute=True``) moved the stream's head to events that the test's rollback
    removes, and a later test in this worker would append to a broken chain (a
    PostgreSQL transactional test failed so)."""
    from mdss.audit.services import forget_owned_streams

    yield django_capture_on_commit_callbacks
    forget_owned_streams()


@pytest.fixture(scope="session", autouse=True)
def _moved_clock():
    """``MDSS_TEST_CLOCK=2027-03-31T16:30+08:00 make test`` runs the whole suite with the
    clock moved to that instant (still ticking). CI runs it once so that a test which
    depends on today's date fails in CI, not on some later day. Tests that need a
    particular day freeze it themselves (time_machine) and are unaffected."""
    import os

    moment = os.environ.get("MDSS_TEST_CLOCK")
    if not moment:
        yield
        return
    import time_machine

    with time_machine.travel(moment, tick=True):
        yield
