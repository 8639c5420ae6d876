"""Where evidence files go: local files under MEDIA_ROOT by default, an S3 bucket when one
is named (django-storages), never a public URL."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

SHOW = (
    "import django; django.setup();"
    "from django.core.files.storage import default_storage as s;"
    "s._setup(); w = s._wrapped;"
    "print(type(w).__module__ + '.' + type(w).__name__, getattr(w, 'bucket_name', ''),"
    " getattr(w, 'default_acl', ''))"
)


def storage_with(**env: str) -> str:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("AWS_STORAGE_BUCKET_NAME", "STORAGE_S3_BUCKET")
    }
    environment |= {"SECRET_KEY": "t", "DJANGO_SETTINGS_MODULE": "csp_tracker.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_local_files_by_default_and_s3_when_a_bucket_is_named():
    assert storage_with().startswith("django.core.files.storage.filesystem.FileSystemStorage")
    assert storage_with(AWS_STORAGE_BUCKET_NAME="csp-evidence") == (
        "storages.backends.s3.S3Storage csp-evidence private"
    )
    assert storage_with(STORAGE_S3_BUCKET="other").startswith(
        "storages.backends.s3.S3Storage other"
    )


def test_media_is_not_under_static_files():
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    assert all(not str(d).startswith(str(settings.MEDIA_ROOT)) for d in settings.STATICFILES_DIRS)
