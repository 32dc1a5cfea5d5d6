import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _checker():
    spec = importlib.util.spec_from_file_location(
        "check_catalogue", ROOT / "scripts" / "check_catalogue.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_french_catalogue_is_complete_and_follows_french_typography():
    problems = list(_checker().problems(CATALOGUE))

    assert problems == []


def test_the_catalogue_checker_catches_careless_french(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Email:"\nmsgstr "E-mail:"\n\n'
        'msgid "Hello %(name)s"\nmsgstr "Bonjour"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n',
        encoding="utf-8",
    )

    problems = "\n".join(_checker().problems(po))

    assert "courriel" in problems and "non-breaking space" in problems
    assert "placeholders differ" in problems and "untranslated" in problems
