"""Roles and permissions cached per user and access version (accounts.access): an
authenticated API call costs what it must, and a change of roles shows at once."""

from django.contrib.auth.models import Group, Permission

from mdss.accounts import roles
from mdss.accounts.models import User
from mdss.core.testing import query_count, sql_of


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_me_with_a_token_costs_at_most_three_queries(api_client, rep, sales_dept):
    api_client.as_user(rep)
    api_client.get("/api/v1/accounts/me")  # warms the access cache, touches last_used_at
    # token with user, department and superior; regions
    assert query_count(api_client, "/api/v1/accounts/me") <= 3
    body = api_client.get("/api/v1/accounts/me").json()
    assert [r["code"] for r in body["roles"]] == [roles.SALES_REP]
    assert body["department"]["code"] == sales_dept.code
    assert body["superior"]["display_name"] == rep.superior.display_name
    assert "customers.add_activity" in body["permissions"]


def test_me_through_the_session_shows_the_same(client, rep):
    client.force_login(rep)
    body = client.get("/api/v1/accounts/me").json()
    assert [r["code"] for r in body["roles"]] == [roles.SALES_REP]
    assert body["superior"]["id"] == rep.superior_id


def test_roles_and_permissions_are_read_once_per_access_version(rep):
    assert _fresh(rep).has_perm("customers.add_activity")  # computed and cached
    again = _fresh(rep)

    def read():
        assert again.role_codes == {roles.SALES_REP}
        assert again.has_perm("customers.add_activity")
        assert not again.has_perm("pricing.add_pricelistversion")
        assert "customers.add_activity" in again.get_all_permissions()

    assert sql_of(read) == []


def test_adding_a_role_from_either_side_shows_at_once(rep):
    assert not _fresh(rep).has_role(roles.MANAGEMENT)
    Group.objects.get(name=roles.MANAGEMENT).user_set.add(rep)  # the group's side
    assert _fresh(rep).has_role(roles.MANAGEMENT)
    rep.groups.remove(Group.objects.get(name=roles.SALES_REP))  # the user's side
    assert rep.role_codes == {roles.MANAGEMENT}  # the instance forgot what it knew
    assert _fresh(rep).role_codes == {roles.MANAGEMENT}


def test_clearing_a_group_or_a_users_roles_shows_at_once(rep, other_rep):
    assert _fresh(rep).has_perm("customers.add_activity")
    Group.objects.get(name=roles.SALES_REP).user_set.clear()
    assert _fresh(rep).role_codes == frozenset()
    assert not _fresh(other_rep).has_perm("customers.add_activity")
    rep.groups.add(Group.objects.get(name=roles.LEGAL))
    assert _fresh(rep).role_codes == {roles.LEGAL}
    rep.groups.clear()
    assert _fresh(rep).role_codes == frozenset()


def test_a_change_of_a_groups_permissions_reaches_its_members(rep):
    permission = Permission.objects.get(
        content_type__app_label="customers", codename="add_activity"
    )
    assert _fresh(rep).has_perm("customers.add_activity")
    Group.objects.get(name=roles.SALES_REP).permissions.remove(permission)
    assert not _fresh(rep).has_perm("customers.add_activity")
    permission.group_set.add(Group.objects.get(name=roles.SALES_REP))  # the other side
    assert _fresh(rep).has_perm("customers.add_activity")
    permission.group_set.clear()
    assert not _fresh(rep).has_perm("customers.add_activity")


def test_a_users_own_permissions_and_a_deleted_group_show_at_once(rep):
    permission = Permission.objects.get(
        content_type__app_label="pricing", codename="add_pricelistversion"
    )
    assert not _fresh(rep).has_perm("pricing.add_pricelistversion")
    rep.user_permissions.add(permission)
    assert _fresh(rep).has_perm("pricing.add_pricelistversion")
    extra = Group.objects.create(name="temporary")
    extra.user_set.add(rep)
    assert roles.SALES_REP in _fresh(rep).role_codes and "temporary" in _fresh(rep).role_codes
    extra.delete()
    assert "temporary" not in _fresh(rep).role_codes


def test_superuser_and_inactive_flags_are_part_of_the_answer(rep):
    assert not _fresh(rep).has_perm("pricing.add_pricelistversion")
    User.objects.filter(pk=rep.pk).update(is_superuser=True)
    assert "pricing.add_pricelistversion" in _fresh(rep).get_all_permissions()
    User.objects.filter(pk=rep.pk).update(is_superuser=False, is_active=False)
    assert _fresh(rep).get_all_permissions() == set()
    assert not _fresh(rep).has_perm("customers.add_activity")
