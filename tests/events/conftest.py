import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """A French request leaves French active in the test thread; each test starts in English
    (service messages and translated fields follow the active language)."""
    with translation.override("en"):
        yield
