import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from cssp_portal.uploads import LIBRARY_TYPES, MAX_SIZE, sanitize_filename, validate_upload


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", b"MZ\x90\x00", "type"),
        ("report.html", b"<script>alert(1)</script>", "type"),
        ("report.svg", b"<svg onload=alert(1)>", "type"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "content"),
        ("fake.docx", b"%PDF-1.4", "content"),
        ("notes.txt", b"binary\x00\x01", "content"),
        ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>", "content"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_types_and_disguised_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content))
    assert error.value.code == code


def test_an_oversize_file_is_refused_with_the_limit():
    big = upload("big.pdf", b"%PDF-" + b"0" * MAX_SIZE)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_upload(big)
    assert error.value.code == "size"
    assert "The limit is 10.0\xa0MB" in error.value.messages[0]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.4 x", "plan.pdf"),
        (b"PK\x03\x04rest", "budget.xlsx"),
        (b"\x89PNG\r\n\x1a\nrest", "map.png"),
        ("Échéancier, coûts\n".encode(), "échéancier.csv"),
    ],
)
def test_accepted_files(content, name):
    assert validate_upload(upload(name, content))[0] == name


@pytest.mark.parametrize(
    ("hostile", "safe"),
    [
        ("../../../etc/passwd.txt", "passwd.txt"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\system32\\evil.pdf", "evil.pdf"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ('a"; filename="x.exe.pdf', "a__ filename=_x.exe.pdf"),
        ("<script>alert(1)</script>.pdf", "script_.pdf"),
        ("report.pdf\x00.exe", "report.pdf.exe"),
        ("\u202ecod.pdf", "cod.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("..pdf", "pdf"),
        (".htaccess", "htaccess"),
        ("CON.pdf", "document.pdf"),
        ("   ", "document"),
        ("rapport final (v2).PDF", "rapport final (v2).pdf"),
        ("Rapport d’été – 2026.PDF", "Rapport d’été – 2026.pdf"),
        ('a"b;c|d$e`f.txt', "a_b_c_d_e_f.txt"),
    ],
)
def test_hostile_file_names_are_made_safe(hostile, safe):
    assert sanitize_filename(hostile) == safe


def test_long_file_names_keep_their_extension():
    name = sanitize_filename("x" * 500 + ".docx")
    assert len(name) == 120
    assert name.endswith(".docx")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_name_sanitizes_to_a_short_name_without_separators_or_quotes(name):
    safe = sanitize_filename(name)
    assert safe
    assert len(safe) <= 120
    assert not set(safe) & set("/\\\"'<>:;\x00\r\n")
    assert not safe.startswith(".")


def test_the_library_also_keeps_legacy_office_files_and_archives():
    legacy = upload("minutes-2009.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest")
    assert validate_upload(legacy, types=LIBRARY_TYPES) == (
        "minutes-2009.doc",
        "application/msword",
    )
    with pytest.raises(ValidationError) as error:
        validate_upload(legacy)
    assert error.value.code == "type"
