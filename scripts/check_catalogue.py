"""Fail when the French catalogue is incomplete or careless.

Checks every entry of a .po file: translated (every plural form), not fuzzy, the same
placeholders as the English, HTML tags kept, and French typography (a non-breaking space
before a colon, inside « »; the typographic apostrophe ’), elision (no « de », « le »,
« que »… before a vowel or before a name inserted at run time, which may begin with one: a
month, a person's or a community's name) and a community's short name standing alone (in
« », or after a dash or colon: « Registre de Explosifs » is what the check prevents).
Usage: python scripts/check_catalogue.py locale/fr/LC_MESSAGES/django.po
"""

import re
import sys

from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
WHOLE_TAG = re.compile(r"<[^>]*>")
# Words that elide before a vowel (« l’ », « d’ », « qu’ »…); « h » and « y » are left out
# (« le héros », « le yoga »).
# A pronoun after a hyphen does not elide (« publiez-le à », « Rédigez-la en »).
ELIDING = r"(?<![-\w])(?:de|que|le|la|ne|se|je|me|te|jusque|lorsque|puisque)"
VOWEL = "aeiouàâäéèêëîïôöùûüœæ"
# Placeholders that always begin with a digit in French (dates, times, counts).
NUMERIC = {
    "count", "counter", "n", "number", "hours", "days", "minutes", "position", "shown", "total",
    "size", "limit", "date", "day", "time", "start", "end", "opens", "closes", "left",
    "capacity", "year",
}  # fmt: skip
ELISION = re.compile(rf"{ELIDING}\s+(?:[{VOWEL}]|%\((\w+)\)s)", re.IGNORECASE)
# A community's short name (« Explosifs », « Dangers naturels ») reads as a title: in running
# text it goes inside « », or after a dash or a colon, or opens the sentence.
COMMUNITY_ALONE = re.compile(r"(^|«\u00a0|[–—:]\s?|\(|\n)%\(community\)s")


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
            if re.search(r" :(\s|$)", text):
                yield f"an ordinary space before « : » (use a non-breaking one): {label!r}"
            # Placeholders such as %(email)s and markup such as mailto: are not prose.
            prose = WHOLE_TAG.sub("", PLACEHOLDER.sub("", text))
            if re.search(r"\be-?mail\b", prose, re.IGNORECASE):
                yield f"use « courriel », not « e-mail »: {label!r}"
            if "'" in prose:
                yield f"straight apostrophe (use ’): {label!r}"
            for match in ELISION.finditer(WHOLE_TAG.sub("", text)):
                if match.group(1) not in NUMERIC:
                    yield f"no elision before {match.group(0)!r}: {label!r}"
            for match in re.finditer(r"%\(community\)s", text):
                if not COMMUNITY_ALONE.search(text[: match.end()][-20:]):
                    yield f"a community name inside a sentence ({text[:60]!r}): {label!r}"


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
