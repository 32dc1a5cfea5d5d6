import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from cssp_portal.staticstorage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {"paths": {"css/portal.css": "css/portal.0123abcd.css"}, "version": "1.1", "hash": "x"}
        )
    )
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_a_files_address_is_the_manifests_and_is_worked_out_once(storage, monkeypatch):
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"
    calls = []
    original = CompressedManifestStaticFilesStorage.url
    monkeypatch.setattr(
        CompressedManifestStaticFilesStorage,
        "url",
        lambda self, name, force=False: calls.append(name) or original(self, name, force),
    )
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"
    assert calls == []


def test_a_name_the_manifest_lacks_still_raises_and_is_not_kept(storage):
    for _attempt in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
    assert ("css/missing.css", False) not in storage._addresses


def test_production_serves_its_static_files_through_it():
    from cssp_portal.settings import base

    assert base.STORAGES["staticfiles"]["BACKEND"] == "cssp_portal.staticstorage.StaticFilesStorage"
