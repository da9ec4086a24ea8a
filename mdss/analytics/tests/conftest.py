from mdss.service.tests.conftest import device, hospital, monitor  # noqa: F401
