"""/api/v1/accounts: who am I, the people directory, regions, departments, tokens."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from mdss.core.api import ErrorOut, PageNumberPagination
from mdss.core.errors import PermissionDenied
from mdss.core.permissions import require_staff

from . import selectors, services
from .models import ApiToken
from .permissions import can_use_directory
from .roles import role_label

router = Router(tags=["accounts"])


class RefOut(Schema):
    code: str
    name: str


class RoleOut(Schema):
    code: str
    label: str


class PersonRef(Schema):
    id: int
    display_name: str


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    phone: str
    employee_no: str
    is_active: bool
    department: RefOut | None
    superior: PersonRef | None
    roles: list[RoleOut]
    regions: list[RefOut]

    @staticmethod
    def resolve_roles(obj):
        # groups are prefetched by the selector: .all() reads the cache, no query.
        return [{"code": g.name, "label": role_label(g.name)} for g in obj.groups.all()]

    @staticmethod
    def resolve_regions(obj):
        return [{"code": r.code, "name": str(r)} for r in obj.regions.all()]


class MeOut(UserOut):
    preferred_language: str
    is_superuser: bool
    permissions: list[str]

    @staticmethod
    def resolve_roles(obj):
        # From the access cache (no query), not from the groups relation.
        return [{"code": code, "label": role_label(code)} for code in sorted(obj.role_codes)]

    @staticmethod
    def resolve_permissions(obj):
        return sorted(obj.get_all_permissions())

    @staticmethod
    def resolve_regions(obj):
        return [{"code": r.code, "name": str(r)} for r in obj.my_regions]


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class DepartmentOut(Schema):
    code: str
    name: str
    parent_code: str | None
    head: PersonRef | None

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    is_active: bool


class TokenIn(Schema):
    name: str
    expires_at: datetime | None = None


class TokenCreatedOut(TokenOut):
    token: str  # shown once; only its hash is stored


@router.get("/me", response=MeOut, summary="The current user, roles and regions")
def me(request):
    return selectors.user_me(request.user)


@router.get("/users", response={200: list[UserOut], 403: ErrorOut}, summary="People directory")
@paginate(PageNumberPagination)
def user_list(request, search: str = "", role: str = "", department: str = ""):
    if not can_use_directory(request.user):
        raise PermissionDenied()
    return selectors.user_list_for_user(
        request.user, search=search, role=role, department=department
    )


@router.get("/users/{user_id}", response={200: UserOut, 403: ErrorOut, 404: ErrorOut})
def user_detail(request, user_id: int):
    if user_id != request.user.pk and not can_use_directory(request.user):
        raise PermissionDenied()
    return selectors.user_get_for_user(request.user, user_id)


@router.get("/regions", response=list[RegionOut], summary="Provinces and cities")
@paginate(PageNumberPagination)
def region_list(request, parent: str | None = None, level: str = ""):
    return selectors.region_list(parent_code=parent, level=level)


@router.get("/departments", response={200: list[DepartmentOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def department_list(request):
    require_staff(request)
    return selectors.department_list()


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
@paginate(PageNumberPagination)
def token_list(request):
    return selectors.api_token_list_for_user(request.user)


@router.post(
    "/tokens", response={201: TokenCreatedOut, 422: ErrorOut}, summary="Create an API token"
)
def token_create(request, payload: TokenIn):
    token, raw = services.api_token_create(
        user=request.user, name=payload.name, expires_at=payload.expires_at, actor=request.user
    )
    out = TokenOut.from_orm(token).dict()
    out["token"] = raw
    return Status(201, out)


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, 404: ErrorOut})
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    return services.api_token_revoke(token=token, actor=request.user)
