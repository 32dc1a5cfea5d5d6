"""Every URL pattern of the project, enumerated from the resolver (so a new view is never
forgotten), with the arguments to call it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" (or the bare name, or the path when the pattern has no name)
    pattern: str  # the pattern without the language prefix, e.g. "communities/<slug:slug>/"
    i18n: bool  # under i18n_patterns (/en/, /fr/)

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    def parameters(self) -> list[str]:
        without_groups = re.sub(r"\(\?P<\w+>[^)]*\)", "", self.pattern)
        names = re.findall(r"\(\?P<(\w+)>", self.pattern)
        return names + re.findall(r"<(?:\w+:)?(\w+)>", without_groups)


def _walk(patterns, prefix, namespace, i18n):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            is_i18n = i18n or type(entry.pattern).__name__ == "LocalePrefixPattern"
            pattern = (
                "" if type(entry.pattern).__name__ == "LocalePrefixPattern" else str(entry.pattern)
            )
            inner = entry.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(entry.url_patterns, prefix + pattern, ns, is_i18n)
        elif isinstance(entry, URLPattern):
            path = prefix + str(entry.pattern)
            name = entry.name or path
            yield Route(name=f"{namespace}:{name}" if namespace else name, pattern=path, i18n=i18n)


def project_routes() -> list[Route]:
    seen, routes = set(), []
    for route in _walk(get_resolver().url_patterns, "", "", False):
        if route.name not in seen:
            seen.add(route.name)
            routes.append(route)
    return routes


def fill(route: Route, values: dict[str, str]) -> str:
    """The route's path with each parameter replaced by its value (regex and path syntax)."""
    path = route.pattern

    def value(name):
        return str(values[name])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path
