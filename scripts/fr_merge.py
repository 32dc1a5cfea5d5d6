"""Merge French translations from JSON files into locale/fr/LC_MESSAGES/django.po.

    python scripts/fr_merge.py [--untranslated] translations.json [...]

Each JSON file maps a msgid to its French text: a string, or a list [singular, plural] for a
plural entry (keyed by the English singular). A msgid with a context is keyed
"context\\u0004msgid", as gettext itself does. The script extracts the strings first
(makemessages), so a msgid must exist in the code to be merged; unknown ones are listed. It
holds a lock on the catalogue while it works, so several people (or agents) working in one
checkout never overwrite each other's entries, and compiles the catalogue at the end.
"""

import fcntl
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PY = sys.executable
IGNORE = ["-i", ".venv", "-i", "node_modules", "-i", "staticfiles", "-i", "media"]


def _manage(*args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True)  # noqa: S603


def main(argv):
    show_untranslated = "--untranslated" in argv
    files = [a for a in argv if a != "--untranslated"]
    with open("/tmp/cssp-portal-po.lock", "w") as lock:  # noqa: S108
        fcntl.flock(lock, fcntl.LOCK_EX)
        _manage("makemessages", "-l", "fr", *IGNORE, "--no-location", "--no-obsolete", "-v", "0")
        with PO.open("rb") as handle:
            catalog = read_po(handle, locale="fr_CA")
        unknown = []
        for name in files:
            for key, text in json.loads(Path(name).read_text(encoding="utf-8")).items():
                context, _, msgid = key.rpartition("\u0004")
                message = catalog.get(msgid, context=context or None)
                if message is None:
                    unknown.append(key)
                    continue
                message.string = tuple(text) if isinstance(text, list) else text
                message.flags.discard("fuzzy")
        with PO.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, include_previous=False)
        # Once more, so the file keeps gettext's own wrapping and header (a small diff).
        _manage("makemessages", "-l", "fr", *IGNORE, "--no-location", "--no-obsolete", "-v", "0")
        _manage("compilemessages", "-l", "fr", *IGNORE, "-v", "0")
    for key in unknown:
        print(f"not in the code (ignored): {key!r}")
    if show_untranslated:
        for message in catalog:
            if message.id and not (
                all(message.string) if isinstance(message.string, tuple) else message.string
            ):
                print(
                    f"untranslated: {message.id!r}"
                    + (f" [{message.context}]" if message.context else "")
                )


if __name__ == "__main__":
    main(sys.argv[1:])
