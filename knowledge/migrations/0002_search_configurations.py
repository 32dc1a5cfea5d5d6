"""Text search configurations for the portal's search, on PostgreSQL only.

`portal_en` and `portal_fr` are PostgreSQL's english and french configurations with accents
removed first (unaccent), so "evenement" finds "événement" and the French stemmer still turns
"exercices" into "exercic". SQLite (the embedded default) has no full-text search of this kind:
the search falls back to simpler matching there (portal/search/engine.py).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'portal_en') THEN
        CREATE TEXT SEARCH CONFIGURATION portal_en (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION portal_en
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'portal_fr') THEN
        CREATE TEXT SEARCH CONFIGURATION portal_fr (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION portal_fr
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

DROP = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_en;
DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_fr;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
