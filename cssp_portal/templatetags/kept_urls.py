"""`{% url %}`, as Django's, with each address kept once worked out (a builtin of the portal's
templates, so every template's `{% url %}` is this one).

A page names 15-25 addresses (the header's menu, the breadcrumbs, each card's links); for each,
Django's reverse() walks the URL patterns' namespaces and fills the pattern, the same way every
time for the same name, values, language and prefix (about 0.4 ms of Python per page,
tests/bench). The address is kept under everything reverse() reads: the name, the values, the
current application (namespaces), the language (the /en/ or /fr/ prefix), the script prefix and
the URL patterns in use (their resolver: a test that swaps the patterns gets its own). Values
that are not texts or integers (a model instance, a lazy text) are not kept: reverse() is asked
each time. At most _KEPT addresses are kept per process, the least recently used dropped
first.
"""

import functools

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

_KEPT = 8192
_PLAIN = (str, int)


@functools.lru_cache(maxsize=_KEPT)
def _kept(view_name, args, kwargs, current_app, _language, _prefix, _resolver) -> str:
    # The last three only key the address: reverse() reads them from the request's state.
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def kept_reverse(view_name, args, kwargs, current_app) -> str:
    # (A quoted name or value in a template is a SafeString: a str.)
    if isinstance(view_name, str) and all(isinstance(arg, _PLAIN) for arg in args):
        items = tuple(sorted(kwargs.items()))
        if all(isinstance(value, _PLAIN) for _key, value in items):
            return _kept(
                view_name,
                tuple(args),
                items,
                current_app,
                get_language(),
                get_script_prefix(),
                get_resolver(get_urlconf()),
            )
    return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


class KeptURLNode(URLNode):
    """Django's URLNode, its address from kept_reverse()."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = kept_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser, token):
    """Django's {% url %} (same arguments, same errors), the address kept once worked out."""
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
