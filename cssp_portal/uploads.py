"""Files members upload (proposal attachments, call and event documents, library versions):
validation of type, size and name, where they are kept, and the one way they are sent back.

The type is decided by the file's first bytes as well as its name: a renamed executable is not a
PDF. The member's file name is reduced to a safe one (no path, no control or shell characters);
the stored file gets a random name anyway, in the private storage that no web server serves.
"""

import re
import unicodedata
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_SIZE = 10 * 1024 * 1024  # 10 MB: proposal attachments, call and event documents

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0",)  # the legacy Office formats
# extension -> (content type, accepted leading bytes; None for text, which must be text)
_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".ppt": ("application/vnd.ms-powerpoint", _OLE),
    ".zip": ("application/zip", _ZIP),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
# What each kind of upload accepts: attachments and event documents are read by a few people
# and must open anywhere; the library also keeps legacy Office files and archives.
ATTACHMENT_TYPES = (
    ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".txt", ".csv", ".png", ".jpg", ".jpeg"
)  # fmt: skip
LIBRARY_TYPES = tuple(_TYPES)

_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"'/\\|?*;`$]")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{prefix}{n}" for prefix in ("com", "lpt") for n in range(10)
}
MAX_NAME = 120


def allowed_extensions(types: tuple[str, ...] = ATTACHMENT_TYPES) -> str:
    """The accepted types as members read them: "PDF, DOCX, ..."."""
    return ", ".join(ext.lstrip(".").upper() for ext in types if ext != ".jpeg")


def sanitize_filename(name: str, *, default: str = "document") -> str:
    """A file name safe to show and to give back in a download: the last path part only, no
    control or bidirectional characters, none that shells and file systems treat specially,
    no leading dot, no reserved Windows name, at most 120 characters with the extension kept
    (in lower case). Accents and typographic apostrophes stay: French names are names."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Format characters: right-to-left overrides ("invoice\u202efdp.exe"), zero widths.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cf", "Cc", "Cs", "Co"})
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    path = PurePosixPath(name)
    stem, suffix = path.stem.strip(" ."), path.suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,10}", suffix or ""):
        stem, suffix = name, ""
    if not stem or stem.lower() in _WINDOWS_RESERVED:
        stem = default
    stem = stem[: MAX_NAME - len(suffix)].rstrip(" .") or default
    return f"{stem}{suffix}"


def validate_upload(
    upload, *, types: tuple[str, ...] = ATTACHMENT_TYPES, max_size: int = MAX_SIZE
) -> tuple[str, str]:
    """(safe name, content type) for an uploaded file, or ValidationError with a message a
    member understands (which types, what limit)."""
    name = sanitize_filename(upload.name)
    ext = PurePosixPath(name).suffix.lower()
    if ext not in types:
        raise ValidationError(
            _("This type of file is not accepted. Accepted types: %(types)s."),
            params={"types": allowed_extensions(types)},
            code="type",
        )
    if upload.size > max_size:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_size)},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    content_type, signatures = _TYPES[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        # Text must be text, and not a web page a browser could be talked into rendering.
        valid = b"\x00" not in head and not head.lstrip().lower().startswith((b"<!doc", b"<htm"))
    else:
        valid = head.startswith(signatures)
    if not valid:
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
