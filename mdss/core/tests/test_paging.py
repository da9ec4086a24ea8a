"""Every list pages by ``page`` and ``size`` from the URL, bounded (core/paging.py)."""

from django.test import RequestFactory

from mdss.core.paging import paginate


def _page(query: str, rows=range(95), default=30):
    return paginate(RequestFactory().get(f"/x/?{query}"), list(rows), default)


def test_the_size_is_one_of_those_offered_or_the_lists_default():
    assert _page("size=50").paginator.per_page == 50
    assert _page("size=7").paginator.per_page == 30
    assert _page("size=100000").paginator.per_page == 30
    assert _page("size=-10").paginator.per_page == 30
    assert _page("size=").paginator.per_page == 30


def test_a_page_out_of_range_or_not_a_number_shows_a_real_page():
    assert _page("page=99999999999999999999").number == 4
    assert _page("page=abc").number == 1
    assert _page("page=2&size=50").object_list == list(range(50, 95))


def test_a_count_given_saves_the_paginators_query():
    page = paginate(RequestFactory().get("/x/"), list(range(5)), 30, count=5)
    assert page.paginator.count == 5


def test_the_page_size_links_keep_the_filters(client, management):
    client.force_login(management)
    from mdss.customers.tests.factories import CustomerFactory

    for n in range(12):
        CustomerFactory(name=f"分页测试医院{n}")
    page = client.get("/customers/?q=分页测试&size=10").content.decode()
    assert 'data-testid="page-sizes"' in page
    assert "size=30" in page and "q=%E5%88%86" in page
    assert 'data-count="12"' in page
