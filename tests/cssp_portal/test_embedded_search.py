"""Accent-insensitive matching of the embedded default's search (portal/search/engine.py, SQLite).

The whole path on SQLite is exercised by test_make_run.py ("evenement" finds "Événement");
these pin the folding and the highlight it drives.
"""

from portal.search.engine import _highlight, _words, fold


def test_fold_drops_case_and_accents_character_for_character():
    text = "Événement, SÉCURITÉ, Œuvre, naïve"

    assert fold(text) == "evenement, securite, œuvre, naive"
    assert len(fold(text)) == len(text)
    assert fold(None) is None


def test_words_typed_with_or_without_accents_are_the_same():
    assert (
        _words("Événements sécurité")
        == _words("evenements SECURITE")
        == [
            "evenement",
            "securite",
        ]
    )


def test_the_highlight_marks_the_accented_original_and_escapes_the_rest():
    html = _highlight("<b>Les événements</b> de sécurité", ["evenement", "securite"])

    assert str(html) == ("&lt;b&gt;Les <mark>événement</mark>s&lt;/b&gt; de <mark>sécurité</mark>")
