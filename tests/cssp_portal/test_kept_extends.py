from unittest import mock

import pytest
from django.template import Context, Engine, TemplateSyntaxError, engines

from cssp_portal.templatetags.kept_extends import KeptExtendsNode, root_blocks

TEMPLATES = {
    "root.html": (
        "<title>{% block title %}Root{% endblock %}</title>"
        "{% block body %}<p>root body</p>{% block inner %}root inner{% endblock %}{% endblock %}"
        "<footer>{% block footer %}root footer{% endblock %}</footer>"
    ),
    "middle.html": (
        '{% extends "root.html" %}'
        "{% block title %}Middle · {{ block.super }}{% endblock %}"
        "{% block inner %}middle inner, then {{ block.super }}{% endblock %}"
    ),
    "child.html": (
        '{% extends "middle.html" %}'
        "{% block title %}{{ name }} · {{ block.super }}{% endblock %}"
        "{% block footer %}{{ block.super }} and {{ name }}{% endblock %}"
    ),
    "sibling.html": '{% extends "root.html" %}{% block body %}sibling only{% endblock %}',
}


def _engine(builtins=()) -> Engine:
    return Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [("django.template.loaders.locmem.Loader", TEMPLATES)],
            )
        ],
        builtins=list(builtins),
    )


@pytest.mark.parametrize("name", ["child.html", "middle.html", "sibling.html"])
def test_it_renders_exactly_as_django_s_extends(name):
    kept = _engine(["cssp_portal.templatetags.kept_extends"])
    django = _engine()
    for value in ("First", "Second <b>"):
        context = {"name": value}
        expected = django.get_template(name).render(Context(context))
        # twice: the second render uses the blocks kept from the first
        assert kept.get_template(name).render(Context(context)) == expected
        assert kept.get_template(name).render(Context(context)) == expected
    assert "Second &lt;b&gt;" in kept.get_template("child.html").render(
        Context({"name": "Second <b>"})
    )


@pytest.mark.parametrize(
    ("builtins", "walks"),
    [
        # the kept node walks the root once, whatever the renders
        (["cssp_portal.templatetags.kept_extends"], 1),
        # what it saves: Django's ExtendsNode walks the root on every render
        ([], 4),
    ],
)
def test_the_root_template_is_walked_once_whatever_the_renders(builtins, walks):
    engine = _engine(builtins)
    root = engine.get_template("root.html")
    with mock.patch.object(
        root.nodelist, "get_nodes_by_type", wraps=root.nodelist.get_nodes_by_type
    ) as walk:
        for name in ("child.html", "sibling.html", "child.html", "middle.html"):
            engine.get_template(name).render(Context({"name": "x"}))
    assert walk.call_count == walks


def test_only_a_root_template_has_blocks_of_its_own_to_add():
    engine = _engine(["cssp_portal.templatetags.kept_extends"])
    assert sorted(root_blocks(engine.get_template("root.html"))) == [
        "body",
        "footer",
        "inner",
        "title",
    ]
    # a template that extends another is no root: its parent's node adds the root's blocks
    assert root_blocks(engine.get_template("middle.html")) is None


def test_the_portal_s_templates_use_it_and_keep_django_s_errors():
    engine = engines["django"].engine
    template = engine.from_string('{% extends "base.html" %}{% block content %}x{% endblock %}')
    assert isinstance(template.nodelist[0], KeptExtendsNode)
    with pytest.raises(TemplateSyntaxError, match="cannot appear more than once"):
        engine.from_string('{% extends "base.html" %}{% extends "base.html" %}')
    with pytest.raises(TemplateSyntaxError, match="must be the first tag"):
        engine.from_string('{% if 1 %}{% endif %}{% extends "base.html" %}')
    with pytest.raises(TemplateSyntaxError, match="takes one argument"):
        engine.from_string("{% extends %}")
