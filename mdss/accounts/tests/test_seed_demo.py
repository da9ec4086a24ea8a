from django.contrib.auth.models import Group
from django.core.management import call_command

from mdss.accounts import roles
from mdss.accounts.models import Department, User
from mdss.core.testing import sql_of


def test_seed_demo_creates_a_user_for_every_role(db):
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo", "--quiet", "--force")
    for code in roles.ROLES:
        assert User.objects.filter(groups__name=code).exists(), code
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="sun.li").superior.username == "qian.wei"


def test_seed_demo_twice_changes_nothing_the_second_time(db):
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo", "--quiet", "--force")
    before = (
        list(User.objects.order_by("pk").values()),
        list(Department.objects.order_by("pk").values()),
        list(User.groups.through.objects.order_by("pk").values()),
        list(User.regions.through.objects.order_by("pk").values()),
    )
    statements = sql_of(
        lambda: (
            call_command("seed_demo", "--quiet", "--force"),
            call_command("load_reference_data", verbosity=0),
        )
    )
    writes = [
        s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    after = (
        list(User.objects.order_by("pk").values()),
        list(Department.objects.order_by("pk").values()),
        list(User.groups.through.objects.order_by("pk").values()),
        list(User.regions.through.objects.order_by("pk").values()),
    )
    assert before == after


def test_roles_exist_after_migrate_with_their_permissions(db):
    manager = Group.objects.get(name=roles.SALES_MANAGER)
    assert manager.permissions.filter(codename="view_user").exists()
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


def test_seed_demo_refuses_production_without_force(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", "--quiet")


def test_seed_demo_can_be_skipped_quietly_in_production(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", "--skip-in-production")
    assert not User.objects.filter(username="admin").exists()
