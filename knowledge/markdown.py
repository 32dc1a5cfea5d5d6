"""Member-written Markdown to safe HTML, and file names to safe file names.

Markdown is parsed by markdown-it-py with raw HTML turned off, then the HTML goes through nh3's
allow-list: whatever the parser lets through (or a future parser bug produces), only the tags,
attributes and URL schemes below reach a page. Mentions (@ followed by a member's email
address) become links to the member's profile once the author has written them.
"""

import re

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable(["table", "strikethrough"])

# "@" + an email address, not preceded by a word character (so "x@y" inside an address or a
# mailto: link is not a mention).
MENTION = re.compile(r"(?<![\w.@/:+-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def _demote_headings(html: str) -> str:
    # A message sits under the page's own headings: "# Title" becomes a level-3 heading.
    return re.sub(r"<(/?)h([12])>", r"<\1h3>", html)


def _drop_empty_link(tag: str, attribute: str, value: str) -> str | None:
    """`[text]()` gives <a href="">: a link to nowhere, dropped (the text stays)."""
    if tag == "a" and attribute == "href" and not value.strip():
        return None
    return value


def render(text: str, *, mentions: dict | None = None) -> str:
    """Sanitized HTML for `text`. `mentions` maps a lower-cased email address to (profile URL,
    display name) for each member whose mention becomes a link."""
    html = _demote_headings(_parser.render(text or ""))
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
        attribute_filter=_drop_empty_link,
    )
    if mentions:

        def link(match):
            target = mentions.get(match.group(1).lower())
            if target is None:
                return match.group(0)
            url, name = target
            return f'<a class="mention" href="{escape(url)}">@{escape(name)}</a>'

        html = _replace_outside_tags(html, link)
    return html


def _replace_outside_tags(html: str, replace) -> str:
    """Apply the mention substitution to text only, never inside a tag or a link."""
    parts = re.split(r"(<[^>]*>)", html)
    inside_link = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            if re.match(r"<a[\s>]", part):
                inside_link += 1
            elif part.startswith("</a"):
                inside_link = max(0, inside_link - 1)
        elif part and not inside_link:
            parts[index] = MENTION.sub(replace, part)
    return "".join(parts)


def mentioned_addresses(text: str) -> set[str]:
    return {address.lower() for address in MENTION.findall(text or "")}


def plain_text(html: str) -> str:
    """The text of sanitized HTML, for listings and search."""
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()
