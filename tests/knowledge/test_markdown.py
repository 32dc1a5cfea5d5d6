import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.markdown import mentioned_addresses, render

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](https://tracker.example/pixel.png)",
    '<a href="https://x" onclick="steal()">x</a>',
    "<iframe src=https://evil></iframe>",
    "<style>body{display:none}</style>",
    "[x](vbscript:msgbox)",
    "<svg/onload=alert(1)>",
    '<div style="position:fixed">overlay</div>',
    "`<script>` in code is text",
    "<!-- comment --><b>bold</b>",
]


ALLOWED_TAG_NAMES = (
    "p|br|strong|em|del|s|code|pre|blockquote|ul|ol|li|a|h3|h4|h5|h6|hr|table|thead|tbody|tr|th|td"
)


def _tags(html: str) -> list[str]:
    return re.findall(r"<[^>]+>", html)


def _assert_inert(html: str) -> None:
    for tag in _tags(html.lower()):
        assert re.fullmatch(rf"</?({ALLOWED_TAG_NAMES})(\s[^>]*)?/?>", tag), tag
        assert not re.search(r"\son\w+\s*=", tag), tag
        assert "style=" not in tag and "src=" not in tag, tag
        href = re.search(r'href="([^"]*)"', tag)
        if href:
            assert href.group(1).startswith(("http://", "https://", "mailto:", "/")), tag


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_never_yields_active_content(text):
    html = render(text)

    _assert_inert(html)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html


def test_code_keeps_angle_brackets_as_text():
    assert "&lt;script&gt;" in render("`<script>` in code is text")


def test_markdown_features_members_use_are_kept():
    html = render("# Title\n\n**bold** *it* ~~old~~\n\n- one\n- two\n\n[GC](https://canada.ca)")

    assert "<h3>Title</h3>" in html  # demoted under the page's own headings
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<s>old</s>" in html
    assert "<li>one</li>" in html
    assert 'href="https://canada.ca"' in html and 'rel="nofollow noopener noreferrer"' in html


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("<>\"'/=:;()[]!*_`# \nscriptjavaonerrimg@.")), max_size=200
    )
)
def test_random_markup_never_produces_a_tag_outside_the_allow_list(text):
    _assert_inert(render(text))


def test_mentions_link_only_known_members_and_never_inside_links():
    mentions = {"ana@example.gc.ca": ("/members/7/", "Ana <b>Roy</b>")}
    html = render(
        "Hi @ana@example.gc.ca and @bob@example.gc.ca, see [@ana@example.gc.ca](https://x.ca)",
        mentions=mentions,
    )

    assert '<a class="mention" href="/members/7/">@Ana &lt;b&gt;Roy&lt;/b&gt;</a>' in html
    assert "@bob@example.gc.ca" in html  # unknown: plain text
    assert html.count('class="mention"') == 1


def test_mentioned_addresses_are_found_case_insensitively():
    assert mentioned_addresses("cc @Ana@Example.gc.ca, not mail@x.ca") == {"ana@example.gc.ca"}


def test_an_empty_link_target_gives_no_link():
    assert 'href=""' not in render("[]() and [text]()")
    assert "text" in render("[text]()")
