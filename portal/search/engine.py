"""The portal's search: communities, events, projects, announcements, discussions and
resources the user may see, in either language, ranked, with the matches highlighted.

On PostgreSQL, full-text search with the `portal_en` and `portal_fr` configurations (English and
French stemming after removing accents, see migration 0002): each text is indexed with the
configuration of its language (member-written discussions, in either, with both), and the
words typed are searched in both, so "exercice" finds "exercices" and "evenement" finds
"événement". On SQLite (the embedded default) every word must appear in one of the fields,
ignoring case, accents and a trailing plural s or x, so "evenement" finds "Événements" there too.

Each kind of result comes from its own permission-filtered selector, so the search can never
show what the pages would not.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Func, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, Lower
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from communities.models import Community
from knowledge.models import Post

from .sources import (
    CONFIGS,
    PER_TYPE,
    SOURCES,
    START,
    STOP,
    Hit,
    Source,
    _language,
    _marked,
)


def _messages_subquery():
    from django.contrib.postgres.aggregates import StringAgg

    return Subquery(
        Post.objects.filter(thread=OuterRef("pk"), hidden_at__isnull=True)
        .values("thread")
        .annotate(text=StringAgg("body", delimiter="\n", output_field=TextField()))
        .values("text")[:1],
        output_field=TextField(),
    )


def _vector(source: Source):
    vector = None
    for name, weight, translated in source.fields:
        if translated:
            parts = [
                SearchVector(f"{name}_en", config=CONFIGS["en"], weight=weight),
                SearchVector(f"{name}_fr", config=CONFIGS["fr"], weight=weight),
            ]
        else:
            parts = [
                SearchVector(name, config=config, weight=weight) for config in CONFIGS.values()
            ]
        for part in parts:
            vector = part if vector is None else vector + part
    return vector


def _query(q: str):
    return SearchQuery(q, config=CONFIGS["en"], search_type="websearch") | SearchQuery(
        q, config=CONFIGS["fr"], search_type="websearch"
    )


def _postgres_hits(source: Source, queryset, q: str) -> list[Hit]:
    language = _language()
    if source.type == "thread":
        queryset = queryset.annotate(
            messages=Coalesce(_messages_subquery(), Value(""), output_field=TextField())
        )
    query = _query(q)
    vector = _vector(source)

    other = "fr" if language == "en" else "en"

    def field_name(name, lang=language):
        translated = next(t for n, _w, t in source.fields if n == name)
        return f"{name}_{lang}" if translated else name

    def headline(name, lang=language, **extra):
        expression = SearchHeadline(
            Cast(F(field_name(name, lang)), TextField()),
            query,
            start_sel=START,
            stop_sel=STOP,
            config=CONFIGS[lang],
            **extra,
        )
        expression.output_field = TextField()
        return expression

    highlights = {
        "hl_title": headline(source.title, highlight_all=True),
        "hl_excerpt": headline(source.excerpt, max_words=35, min_words=15),
    }
    if source.fields[0][2]:
        # For a match in the other language's text only, that text becomes the excerpt.
        highlights["hl_other_title"] = headline(source.title, other, highlight_all=True)
        highlights["hl_other"] = headline(source.excerpt, other, max_words=35, min_words=15)
    rows = (
        queryset.annotate(search_rank=SearchRank(vector, query))
        .filter(search_rank__gt=0)
        .annotate(**highlights)
        .order_by("-search_rank")[:PER_TYPE]
    )
    hits = []
    for row in rows:
        excerpt, excerpt_language = row.hl_excerpt, ""
        if START not in (row.hl_title or "") + (excerpt or ""):
            for candidate in (getattr(row, "hl_other_title", ""), getattr(row, "hl_other", "")):
                if START in (candidate or ""):
                    excerpt, excerpt_language = candidate, other
                    break
        hits.append(
            Hit(
                type=source.type,
                title=_marked(row.hl_title),
                excerpt=_marked(excerpt),
                excerpt_language=excerpt_language,
                url=source.url(row),
                rank=float(row.search_rank),
                obj=row,
                communities=source.communities(row),
            )
        )
    return hits


# --- The simpler matching of the embedded default ----------------------------------------------


FOLD = "portal_fold"


@functools.cache
def _fold_char(char: str) -> str:
    # One character for one ("É" -> "e", "œ" stays), so a match found in the folded text is at
    # the same place in the original, for the highlight.
    lower = char.lower()
    if len(lower) != 1:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
    return base if len(base) == 1 else lower


def fold(text: str | None) -> str | None:
    """Lower case without accents, character for character: what the embedded default
    compares, as PostgreSQL's portal_en and portal_fr configurations do with unaccent."""
    if text is None:
        return None
    return "".join(_fold_char(char) for char in text)


def _folded(name: str):
    """The field `name` folded in SQL: by `fold` itself, registered on this SQLite connection
    (one per thread; registering again is cheap); only lower-cased on a database that cannot
    take a Python function."""
    connection.ensure_connection()
    create_function = getattr(connection.connection, "create_function", None)
    if create_function is None:
        return Lower(name)
    create_function(FOLD, 1, fold, deterministic=True)
    return Func(F(name), function=FOLD, output_field=TextField())


def _words(q: str) -> list[str]:
    words = [w for w in re.findall(r"\w+", fold(q)) if len(w) > 1]
    # A crude plural folding: "exercices" also finds "exercice".
    return [w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words][:10]


def _highlight(text: str, words: list[str], limit: int | None = None) -> SafeString:
    text = text or ""
    if limit and len(text) > limit:
        folded = fold(text)
        first = min((i for w in words if (i := folded.find(w)) >= 0), default=0)
        start = max(0, first - limit // 3)
        text = ("…" if start else "") + text[start : start + limit] + "…"
    folded = fold(text)
    marked = [False] * len(text)
    for word in words:
        for match in re.finditer(re.escape(word), folded):
            marked[match.start() : match.end()] = [True] * (match.end() - match.start())
    html, inside = [], False
    for char, mark in zip(text, marked, strict=True):
        if mark != inside:
            html.append("<mark>" if mark else "</mark>")
            inside = mark
        html.append(escape(char))
    if inside:
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308


def _simple_hits(source: Source, queryset, q: str) -> list[Hit]:
    words = _words(q)
    if not words:
        return []
    language = _language()
    names = []
    for name, _weight, translated in source.fields:
        if source.type == "thread" and name == "messages":
            names.append("posts__body")
        elif translated:
            names += [f"{name}_en", f"{name}_fr"]
        else:
            names.append(name)
    folded = [_folded(name) for name in names]
    for word in words:
        condition = Q()
        for field_folded in folded:
            condition |= Contains(field_folded, word)
        queryset = queryset.filter(condition)
    hits = []
    for row in queryset.distinct()[:PER_TYPE]:
        title_field = f"{source.title}_{language}" if source.fields[0][2] else source.title
        title = getattr(row, title_field, "") or ""
        if source.type == "thread":
            opening = row.posts.filter(is_opening=True).first()
            excerpt = opening.body if opening else ""
        else:
            excerpt = getattr(row, f"{source.excerpt}_{language}", "") or ""
        rank = sum(2 for w in words if w in fold(title)) + sum(
            1 for w in words if w in fold(excerpt)
        )
        hits.append(
            Hit(
                type=source.type,
                title=_highlight(title, words),
                excerpt=_highlight(excerpt, words, limit=240),
                url=source.url(row),
                rank=float(rank),
                obj=row,
                communities=source.communities(row),
            )
        )
    return hits


# --- Entry point -------------------------------------------------------------------------------


def search(user, q: str, *, types: list[str] | None = None, community: Community | None = None):
    """Ranked hits for `q` among what `user` may see, optionally of some types only and about
    one community. Returns (hits, counts per type)."""
    q = (q or "").strip()[:200]
    if not q:
        return [], {}
    postgres = connection.vendor == "postgresql"
    hits: list[Hit] = []
    counts = {}
    for code, source in SOURCES.items():
        if types and code not in types:
            continue
        queryset = source.queryset(user)
        if community is not None:
            queryset = queryset.filter(source.in_community(community))
            if code != "community":
                queryset = queryset.distinct()
        found = (
            _postgres_hits(source, queryset, q) if postgres else _simple_hits(source, queryset, q)
        )
        counts[code] = len(found)
        hits += found
    hits.sort(key=lambda hit: -hit.rank)
    return hits, counts
