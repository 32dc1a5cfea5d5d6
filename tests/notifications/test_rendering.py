from notifications.rendering import one_line


def test_subjects_keep_the_no_break_spaces_of_french_typography():
    rendered = "\n  Invitation\u00a0: la communauté\n  « Chimique »\t\n"

    assert one_line(rendered) == "Invitation\u00a0: la communauté « Chimique »"
