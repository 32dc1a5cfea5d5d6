import pytest
from django.template import engines
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_script_prefix, resolvers, reverse, set_script_prefix
from django.utils import translation

from tests.communities.factories import CommunityFactory


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def reversals(monkeypatch):
    """The URL patterns' own reversals (what a kept address spares)."""
    calls = []
    original = resolvers.URLResolver._reverse_with_prefix

    def spy(self, lookup_view, _prefix, *args, **kwargs):
        calls.append(lookup_view)
        return original(self, lookup_view, _prefix, *args, **kwargs)

    monkeypatch.setattr(resolvers.URLResolver, "_reverse_with_prefix", spy)
    return calls


def test_every_template_url_is_the_address_reverse_gives_in_each_language(reversals):
    source = "{% url 'communities:detail' slug %}|{% url 'events:list' %}"
    for language in ("en", "fr", "en"):
        with translation.override(language):
            expected = reverse("communities:detail", args=["cbrne"]) + "|" + reverse("events:list")
            assert _render(source, slug="cbrne") == expected
            assert expected.startswith(f"/{language}/")
            # worked out once per language: the next page only reads it
            reversals.clear()
            assert _render(source, slug="cbrne") == expected
            assert reversals == []


def test_other_values_get_their_own_address():
    with translation.override("en"):
        first = _render("{% url 'communities:detail' slug %}", slug="first")
        second = _render("{% url 'communities:detail' slug=slug %}", slug="second")
    assert first == "/en/communities/first/" and second == "/en/communities/second/"


@pytest.mark.django_db
def test_an_object_value_is_reversed_each_time_and_still_right(reversals):
    community = CommunityFactory(slug="fire-services")
    with translation.override("fr"):
        for _visit in range(2):
            assert _render("{% url 'organizations:detail' org %}", org=community.slug) == (
                reverse("organizations:detail", args=["fire-services"])
            )
            reversals.clear()
            assert _render("{% url 'home' %}{{ c.name }}", c=community).startswith("/fr/")


def test_a_missing_name_still_raises_or_gives_nothing_with_as():
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no-such-page' %}")
    assert _render("{% url 'no-such-page' as there %}[{{ there }}]") == "[]"
    assert _render("{% url 'events:list' as there %}[{{ there }}]") == "[/en/events/]"


def test_the_address_is_escaped_as_django_escapes_it():
    with translation.override("en"):
        html = _render("{% url 'knowledge:search' %}?q={{ q }}", q="a&b")
        kept = _render("{% url 'account_login' as there %}{{ there }}")
    assert html.endswith("?q=a&amp;b") and kept == reverse("account_login")


def test_the_script_prefix_is_part_of_the_address():
    with translation.override("en"):
        assert _render("{% url 'events:list' %}") == "/en/events/"
        set_script_prefix("/portal/")
        try:
            assert _render("{% url 'events:list' %}") == "/portal/en/events/"
        finally:
            clear_script_prefix()
            set_script_prefix("/")
        assert _render("{% url 'events:list' %}") == "/en/events/"


def test_other_url_patterns_get_their_own_addresses():
    with translation.override("en"):
        with override_settings(ROOT_URLCONF="tests.bench.urls"):
            assert _render("{% url 'bench_trivial' %}") == "/bench/trivial"
        # the portal's own patterns have no such page
        assert _render("{% url 'bench_trivial' as there %}[{{ there }}]") == "[]"


@override_settings(ROOT_URLCONF="tests.cssp_portal.two_instances_urls")
def test_the_application_instance_of_the_page_being_shown_is_part_of_the_address():
    template = engines["django"].from_string("{% url 'demo:page' %}")
    request = RequestFactory().get("/")
    for instance in ("second", "first", "second"):
        request.current_app = instance
        assert template.render({}, request) == f"/{instance}/page/"
