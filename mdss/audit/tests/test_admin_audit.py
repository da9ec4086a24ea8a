"""Master-data edits in the admin leave field diffs in the audit trail."""

from mdss.accounts.models import Department
from mdss.audit.testing import assert_audited


def test_an_admin_edit_records_the_changed_fields(client, admin_user):
    department = Department.objects.create(code="QA", name="质量部")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/department/{department.pk}/change/",
        {"code": "QA", "name": "质量管理部", "parent": "", "head": ""},
    )
    assert response.status_code == 302
    event = assert_audited("admin.update", department, actor=admin_user)
    assert event.changes == {"name": {"before": "质量部", "after": "质量管理部"}}


def test_an_admin_create_records_the_new_row(client, admin_user):
    client.force_login(admin_user)
    client.post(
        "/admin/accounts/department/add/",
        {"code": "HR", "name": "人力资源部", "parent": "", "head": ""},
    )
    event = assert_audited("admin.create", Department.objects.get(code="HR"), actor=admin_user)
    assert event.changes["name"] == "人力资源部"


def test_role_changes_of_a_user_are_recorded_without_the_password(client, admin_user, rep):
    from django.contrib.auth.models import Group

    client.force_login(admin_user)
    manager_group = Group.objects.get(name="sales_manager")
    response = client.post(
        f"/admin/accounts/user/{rep.pk}/change/",
        {
            "username": rep.username,
            "full_name": rep.full_name,
            "email": rep.email,
            "phone": "",
            "employee_no": "",
            "preferred_language": "",
            "department": rep.department_id,
            "superior": rep.superior_id,
            "groups": [manager_group.pk],
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    event = assert_audited("admin.update", rep, actor=admin_user)
    assert event.changes["groups"]["after"] == [manager_group.pk]
    assert "password" not in event.changes
