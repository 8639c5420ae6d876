"""What an evidence file is, judged by its content and not only its name.

A PDF, an old (OLE2) or new (Office Open XML) Word, Excel or PowerPoint file, a PNG or a JPEG,
no bigger than ``MAX_FILE_BYTES``. An Office Open XML file must be a plain zip of a sensible
size whose ``[Content_Types].xml`` names the right main part (not a macro-enabled one), so a
renamed web page, a program, an SVG picture or a zip bomb in a .docx is refused with a message
a person can act on, before anything is stored.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from plans.importing.archive import LIMITS

MB = 1024 * 1024
MAX_FILE_BYTES = 10 * MB
MAX_QUARTER_BYTES = 50 * MB  # all the files of one item's update or value for a quarter
MAX_UNPACKED_BYTES = 100 * MB
MAX_CONTENT_TYPES_BYTES = MB

ALLOWED = "a PDF, Word, Excel, PowerPoint, PNG or JPEG file"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# extension -> (kind, the MIME type it is served as)
KINDS = {
    ".pdf": ("pdf", "application/pdf"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".doc": ("doc", "application/msword"),
    ".xls": ("xls", "application/vnd.ms-excel"),
    ".ppt": ("ppt", "application/vnd.ms-powerpoint"),
    ".docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
CONTENT_TYPES = {kind: mime for kind, mime in KINDS.values()}
# The main part each Office Open XML kind must have, and its content type's stem.
OOXML_MAIN = {
    "docx": ("word/document.xml", b"wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", b"presentationml.presentation.main+xml"),
}
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "doc": (OLE2,),
    "xls": (OLE2,),
    "ppt": (OLE2,),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
}


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def safe_name(name: str) -> str:
    """The file's own name without any folders or control characters, at most 200 long."""
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')
    stem, suffix = name[: -len(PurePosixPath(name).suffix) or None], PurePosixPath(name).suffix
    return (stem[: 200 - len(suffix)] + suffix).strip() or "file"


def check_upload(upload: UploadedFile) -> str:
    """The file's kind ("pdf", "docx", …), or a ValidationError saying what is wrong."""
    name = upload.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in KINDS:
        raise refuse(f"The selected file must be {ALLOWED}", "type")
    if not upload.size:
        raise refuse("The selected file is empty", "empty")
    if upload.size > MAX_FILE_BYTES:
        raise refuse(f"The selected file must be smaller than {MAX_FILE_BYTES // MB} MB", "too_big")
    kind = KINDS[suffix][0]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[kind]):
        raise refuse(
            f"The selected file is not really a {suffix} file: it must be {ALLOWED}",
            "content",
        )
    if kind in OOXML_MAIN:
        check_office_zip(upload, kind)
        upload.seek(0)
    return kind


def check_office_zip(upload: UploadedFile, kind: str) -> None:
    """A plain Office Open XML package of a sensible size with ``kind``'s main part."""
    broken = refuse(
        f"The selected file is not a valid {kind} file: it must be {ALLOWED}", "content"
    )
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError):
        raise broken from None
    names = {info.filename for info in infos}
    part, content_type = OOXML_MAIN[kind]
    if "[Content_Types].xml" not in names or part not in names:
        raise broken
    if len(infos) > LIMITS["max_members"] or any(info.flag_bits & 0x1 for info in infos):
        raise broken
    unpacked = sum(info.file_size for info in infos)
    too_packed = any(
        info.file_size > MB and info.file_size / max(info.compress_size, 1) > LIMITS["max_ratio"]
        for info in infos
    )
    if unpacked > MAX_UNPACKED_BYTES or too_packed:
        raise refuse(
            "The selected file unpacks to far more than its size: save it again from Office "
            "and upload that copy",
            "unpacked",
        )
    types_info = archive.getinfo("[Content_Types].xml")
    if types_info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise broken
    try:
        types = archive.read(types_info)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError):
        raise broken from None
    if content_type not in types:
        raise refuse(
            f"The selected file is not a plain {kind} file (it may contain macros): "
            f"it must be {ALLOWED}",
            "content",
        )
