"""The portal's search page (portal.search does the searching)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from communities.selectors import communities_visible_to
from cssp_portal.collation import order_by_name

from . import engine as search
from .forms import SearchForm
from .sources import TYPES


def search_page(request):
    communities = order_by_name(communities_visible_to(request.user).active(), "name")
    form = SearchForm(request.GET or None, communities=communities)
    hits, counts, page, query = [], {}, None, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        hits, counts = search.search(
            request.user,
            query,
            types=form.cleaned_data["type"] or None,
            community=form.cleaned_data["community"],
        )
        page = Paginator(hits, 20).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "hits": page.object_list if page else [],
            "total": len(hits),
            "counts": [(code, TYPES[code], n) for code, n in counts.items()],
            "querystring": querystring.urlencode(),
        },
    )
