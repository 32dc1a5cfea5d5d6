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


def test_the_catalogue_checker_catches_straight_apostrophes_and_missing_elision(tmp_path):
    nbsp = "\u00a0"
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Accept the invitation"\nmsgstr "Accepter l\'invitation"\n\n'
        'msgid "Events in %(month)s"\nmsgstr "Événements de %(month)s"\n\n'
        'msgid "Roster of %(community)s"\nmsgstr "Registre de %(community)s"\n\n'
        'msgid "Welcome to %(community)s"\nmsgstr "Bienvenue dans la communauté %(community)s"\n\n'
        'msgid "of the event"\nmsgstr "de le événement"\n\n'
        'msgid "Warning:"\nmsgstr "Attention :"\n',
        encoding="utf-8",
    )

    problems = "\n".join(_checker().problems(po))

    assert "straight apostrophe" in problems
    assert "no elision before 'de %(month)s'" in problems
    assert "no elision before 'de %(community)s'" in problems
    assert "no elision before 'le é'" in problems
    assert problems.count("a community name inside a sentence") == 2
    assert "ordinary space before « : »" in problems
    # and the right forms pass
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Accept the invitation"\nmsgstr "Accepter l’invitation"\n\n'
        f'msgid "Events in %(month)s"\nmsgstr "Événements – %(month)s"\n\n'
        f'msgid "Welcome to %(community)s"\nmsgstr "Bienvenue dans la communauté «{nbsp}'
        f'%(community)s{nbsp}»"\n\n'
        'msgid "Closes on %(date)s"\nmsgstr "Prend fin le %(date)s"\n\n'
        'msgid "Publish it at once"\nmsgstr "Publiez-le aussitôt, publiez-le à la fin"\n',
        encoding="utf-8",
    )

    assert list(_checker().problems(po)) == []
