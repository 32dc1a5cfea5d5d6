"""`{% extends %}`, as Django's, with the root template's blocks found once per compiled template
(a builtin of the portal's templates, so every page's `{% extends %}` is this one).

On every render, Django's ExtendsNode walks the whole node tree of the root template (base.html:
the header, menu, messages and footer, about 300 nodes) to list its `{% block %}`s, though a
compiled template never changes. This node lists them once per compiled template, kept beside
it for as long as the template lives (the cached loader keeps each one for the process; a
template compiled again, as in development, is walked again), and renders exactly as Django's:
same block context, same `{{ block.super }}`, same errors.
"""

import weakref

from django import template
from django.template.base import Template, TextNode
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
)
from django.template.loader_tags import do_extends as django_extends

register = template.Library()

# Each compiled parent's own blocks when it is a root template (it extends nothing), else None.
_ROOT_BLOCKS: "weakref.WeakKeyDictionary[Template, dict | None]" = weakref.WeakKeyDictionary()


def root_blocks(parent: Template) -> dict | None:
    """The blocks of `parent` by name if it is a root template, None if it extends another
    (whose own ExtendsNode adds them), as ExtendsNode.render works them out each time."""
    try:
        return _ROOT_BLOCKS[parent]
    except KeyError:
        pass
    blocks = None
    for node in parent.nodelist:
        # The ExtendsNode has to be the first non-text node.
        if not isinstance(node, TextNode):
            if not isinstance(node, ExtendsNode):
                blocks = {n.name: n for n in parent.nodelist.get_nodes_by_type(BlockNode)}
            break
    _ROOT_BLOCKS[parent] = blocks
    return blocks


class KeptExtendsNode(ExtendsNode):
    """Django's ExtendsNode, the root template's blocks from root_blocks()."""

    def render(self, context):
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        # This template's blocks, then the root's (BlockContext only reads the dicts).
        block_context.add_blocks(self.blocks)
        blocks = root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        # Template._render, so that the parser context stays the same (as Django does).
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def do_extends(parser, token):
    """Django's `{% extends %}` (its parsing and errors), rendered by KeptExtendsNode."""
    node = django_extends(parser, token)
    return KeptExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
