"""Where library files live: outside MEDIA_ROOT, so no URL ever serves them directly.

Every download goes through the permission-checked view (views.resource_download). A deployment
may name its own backend with a "knowledge" entry in STORAGES (object storage, for instance);
otherwise files go to PRIVATE_MEDIA_ROOT (default: private_media/ beside the project), and
to memory when the default storage is in memory (the tests).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, InMemoryStorage, storages
from django.utils.functional import LazyObject


class _FileSystemStorageWithoutURLs(FileSystemStorage):
    def url(self, name):
        raise ValueError("Library files have no public URL: use the download view.")


class PrivateStorage(LazyObject):
    def _setup(self):
        if "knowledge" in settings.STORAGES:
            self._wrapped = storages["knowledge"]
        elif "private" in settings.STORAGES:
            self._wrapped = storages["private"]
        elif settings.STORAGES["default"]["BACKEND"].endswith("InMemoryStorage"):
            self._wrapped = InMemoryStorage()
        else:
            location = getattr(settings, "PRIVATE_MEDIA_ROOT", settings.BASE_DIR / "private_media")
            self._wrapped = _FileSystemStorageWithoutURLs(location=location)


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage
