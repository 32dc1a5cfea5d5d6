"""The static files' storage of production: whitenoise's compressed, hashed files, with each
file's address worked out once per process.

Every page names a dozen static files (base.html's styles and scripts, the GC Design System's
fonts); for each, the manifest storage splits, hashes the name through the manifest, joins and
quotes an address, the same every time (about 0.4 ms of Python per page, tests/bench). The
manifest is read once when a process starts and does not change until the next deploy starts
new processes, so the answer for a name is kept. Only names the manifest holds are kept
(an unknown name raises, as before), so what is kept is bounded by the collected files.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple[str, bool], str] = {}

    def url(self, name, force=False):
        key = (name, force)
        address = self._addresses.get(key)
        if address is None:
            address = super().url(name, force)
            if self.hashed_files.get(self.hash_key(self.clean_name(name))):
                self._addresses[key] = address
        return address
