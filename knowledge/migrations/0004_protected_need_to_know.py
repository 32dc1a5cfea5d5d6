"""Need to know for Protected A and B resources (issue #16, F4): rows shared more widely than
the owning community's members (public, or all signed-in members) are narrowed to the members
of the community before the constraint that forbids them is added (0005)."""

from django.db import migrations

PROTECTED = ["protected_a", "protected_b"]


def narrow_protected_resources(apps, schema_editor):
    Resource = apps.get_model("knowledge", "Resource")
    Resource.objects.filter(sensitivity__in=PROTECTED).exclude(visibility="community").update(
        visibility="community"
    )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_post_edited_at")]

    operations = [
        # Nothing to undo: a narrower audience is never a leak, and which rows were wider is
        # not kept on purpose (widening them again would repeat F4).
        migrations.RunPython(narrow_protected_resources, migrations.RunPython.noop),
    ]
