"""Reference loaders are registered by their apps, not listed in core."""

from mdss.core.reference import load_reference_data, reference_loaders


def test_each_app_registers_its_loader_in_dependency_order():
    modules = [loader.__module__ for loader in reference_loaders()]
    assert modules == ["mdss.accounts.reference", "mdss.calendars.reference"]


def test_loading_twice_adds_nothing_the_second_time(db):
    first = load_reference_data()
    assert first["regions added"] > 0  # (a migration already created the policy)
    assert set(first) == {"regions added", "calendar years added", "default policy created"}
    assert load_reference_data() == {
        "regions added": 0,
        "calendar years added": 0,
        "default policy created": False,
    }
