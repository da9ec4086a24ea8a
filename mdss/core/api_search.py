"""/api/v1/search: the global search of the top bar (core/search.py) for other
systems (the hotline looks up a caller's customer or a unit's serial)."""

from ninja import Query, Router, Schema
from pydantic import Field

from .api import ErrorOut
from .permissions import require_staff
from .search import MAX_LENGTH, PAGE_LIMIT, clean_query, search

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = Field("", max_length=MAX_LENGTH, description="the text: a name, a number, a UDI")


class SearchHitOut(Schema):
    label: str
    url: str
    detail: str


class SearchGroupOut(Schema):
    kind: str
    title: str
    hits: list[SearchHitOut]
    more_url: str = Field(description="the kind's list filtered by the text, when it has more")


class SearchResultsOut(Schema):
    query: str
    groups: list[SearchGroupOut]


@router.get(
    "",
    response={200: SearchResultsOut, 403: ErrorOut, 422: ErrorOut},
    summary="Customers, contracts, devices, people and products matching a text",
)
def global_search(request, params: Query[SearchIn]):
    require_staff(request)
    query = clean_query(params.q)
    return {"query": query, "groups": search(request.user, query, limit=PAGE_LIMIT)}
