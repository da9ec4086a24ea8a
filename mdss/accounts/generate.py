"""Synthetic staff for benchmarks: 50 people per unit of scale, with roles and regions."""

from django.contrib.auth.hashers import make_password

from . import roles
from .models import Department, Region, User

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉"
ROLE_MIX = (
    [roles.SALES_REP] * 20
    + [roles.SERVICE_ENGINEER] * 15
    + [roles.SALES_MANAGER] * 3
    + [roles.SERVICE_MANAGER] * 3
    + [roles.WAREHOUSE_KEEPER] * 3
    + [roles.QUALITY] * 2
    + [roles.LEGAL] * 2
    + [roles.TRAINER] * 2
)


def generate(*, scale: int, rng, stdout) -> int:
    from django.contrib.auth.models import Group

    wanted = 50 * scale
    existing = User.objects.filter(username__startswith="gen-").count()
    if existing >= wanted:
        stdout.write(f"people: {existing} present")
        return 0
    department, _ = Department.objects.get_or_create(code="GEN", defaults={"name": "生成数据部"})
    password = make_password(None)  # unusable: generated people cannot log in
    users = [
        User(
            username=f"gen-{n:07d}",
            full_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            department=department,
            password=password,
            employee_no=f"G{n:07d}",
        )
        for n in range(existing, wanted)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    created = list(
        User.objects.filter(username__in=[u.username for u in users]).values_list("pk", flat=True)
    )
    groups = {g.name: g.pk for g in Group.objects.all()}
    cities = list(Region.objects.filter(level="city").values_list("pk", flat=True))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=groups[rng.choice(ROLE_MIX)]) for pk in created],
        batch_size=5000,
    )
    User.regions.through.objects.bulk_create(
        [User.regions.through(user_id=pk, region_id=rng.choice(cities)) for pk in created],
        batch_size=5000,
    )
    stdout.write(f"people: {len(created)} added")
    return len(created)
