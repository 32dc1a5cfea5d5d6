"""Helpers shared by the test modules: one way to name a page's address and read its text."""

from django.urls import reverse
from django.utils import translation


def url(name: str, /, *args, lang: str = "en", **kwargs) -> str:
    """The path of the named URL under the `lang` prefix (`/en/...`, `/fr/...`).

    Positional arguments fill the pattern's arguments, keyword arguments its named groups:
    `url("events:detail", event.pk, lang="fr")`, `url("organizations:detail", slug=org.slug)`.
    """
    with translation.override(lang):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def page(response) -> str:
    """The response's body as text, to assert what a reader of the page would see."""
    return response.content.decode()
