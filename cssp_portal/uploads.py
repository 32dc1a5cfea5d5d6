"""Files members upload (proposal attachments, call and event documents): validation of type,
size and name, and the one way they are sent back.

The type is decided by the file's first bytes as well as its name: a renamed executable is not a
PDF. The member's file name is reduced to a safe one (no path, no control or shell characters);
the stored file gets a random name anyway, in the private storage that no web server serves.
"""

import os
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_SIZE = 10 * 1024 * 1024  # 10 MB

_ZIP = b"PK\x03\x04"
# extension -> (content type, accepted leading bytes; None when any text is accepted)
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (_ZIP,),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
_UNSAFE = re.compile(r"[^\w.\- ()]+")


def allowed_extensions() -> str:
    return ", ".join(ext.lstrip(".").upper() for ext in ALLOWED if ext != ".jpeg")


def sanitize_filename(name: str) -> str:
    """A name safe to show and to send back in Content-Disposition: the last path part only,
    normalized, without control, quote or shell characters, no leading dots, at most 120
    characters with its extension kept."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" ._")
    stem, ext = os.path.splitext(name)
    stem = re.sub(r"_+", "_", stem)[: 120 - len(ext[:10])] or "file"
    return f"{stem}{ext[:10].lower()}"


def validate_upload(upload) -> tuple[str, str]:
    """(safe name, content type) for an uploaded file, or ValidationError with a message a
    member understands (which types, what limit)."""
    name = sanitize_filename(upload.name)
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        raise ValidationError(
            _("This type of file is not accepted. Accepted types: %(types)s."),
            params={"types": allowed_extensions()},
            code="type",
        )
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_SIZE)},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    content_type, signatures = ALLOWED[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError(_("The file's content does not match its type."), code="content")
    elif not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(_("The file's content does not match its type."), code="content")
    return name, content_type


def private_storage():
    """Where every upload lives: STORAGES["private"] (PRIVATE_MEDIA_ROOT, or memory in the
    tests), which no web server serves and which has no public URL."""
    return storages["private"]


def download_response(
    file, *, filename: str, content_type: str, public: bool = False
) -> FileResponse:
    """A stored upload sent as a download under its sanitized name: never rendered inline as a
    page of the portal; kept by shared caches only when `public`. The caller asked the policy
    first."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
