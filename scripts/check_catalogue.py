"""Fail when the French catalogue is incomplete or careless.

Checks every entry of a .po file: translated (every plural form), not fuzzy, the same
placeholders as the English, HTML tags kept, and French typography (a non-breaking space
before a colon, inside « »).
Usage: python scripts/check_catalogue.py locale/fr/LC_MESSAGES/django.po
"""

import re
import sys

from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
WHOLE_TAG = re.compile(r"<[^>]*>")


def problems(path):
    with open(path, "rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        label = ids[0][:70].replace("\n", " ")
        if message.fuzzy:
            yield f"fuzzy: {label!r}"
        if not all(strs):
            yield f"untranslated: {label!r}"
            continue
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strs:
            found = set(PLACEHOLDER.findall(text))
            if found - expected or (set(PLACEHOLDER.findall(ids[0])) - found - {"%(counter)s"}):
                yield f"placeholders differ: {label!r}"
            if sorted(TAG.findall(text)) != sorted(TAG.findall(ids[0])):
                yield f"HTML tags differ: {label!r}"
            if re.search(r"[^\u00a0\s]:(\s|$)", text) and not re.search(r"(https?|mailto):", text):
                yield f"French colon needs a non-breaking space before it: {label!r}"
            if re.search(r"«[^\u00a0]|[^\u00a0]»", text):
                yield f"« » need non-breaking spaces inside: {label!r}"
            # Placeholders such as %(email)s and markup such as mailto: are not prose.
            prose = WHOLE_TAG.sub("", PLACEHOLDER.sub("", text))
            if re.search(r"\be-?mail\b", prose, re.IGNORECASE):
                yield f"use « courriel », not « e-mail »: {label!r}"


def main(path):
    found = list(problems(path))
    for line in found:
        print(f"{path}: {line}")
    if found:
        print(f"{len(found)} problem(s) in the French catalogue.")
        return 1
    print(f"{path}: complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
