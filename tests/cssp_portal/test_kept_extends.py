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


def test_the_root_template_is_walked_once_whatever_the_renders():
    kept = _engine(["cssp_portal.templatetags.kept_extends"])
    root = kept.get_template("root.html")
    with mock.patch.object(
        root.nodelist, "get_nodes_by_type", wraps=root.nodelist.get_nodes_by_type
    ) as walk:
        for name in ("child.html", "sibling.html", "child.html", "middle.html"):
            kept.get_template(name).render(Context({"name": "x"}))
    assert walk.call_count == 1
    assert sorted(root_blocks(root)) == ["body", "footer", "inner", "title"]
    # a template that extends another is no root: its parent's node adds the root's blocks
    assert root_blocks(kept.get_template("middle.html")) is None


def test_django_s_own_node_walks_it_on_every_render():
    # What the kept node saves: the same renders with Django's ExtendsNode walk the root each time.
    django = _engine()
    root = django.get_template("root.html")
    with mock.patch.object(
        root.nodelist, "get_nodes_by_type", wraps=root.nodelist.get_nodes_by_type
    ) as walk:
        for name in ("child.html", "sibling.html", "child.html", "middle.html"):
            django.get_template(name).render(Context({"name": "x"}))
    assert walk.call_count == 4


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
