import pytest


@pytest.fixture(autouse=True)
def _heads_read_afresh():
    """Transactional tests elsewhere empty the tables between tests: a session's known
    stream head may be a row that is gone, so each test here starts by reading it."""
    from mdss.audit import services

    services.forget_owned_streams()
