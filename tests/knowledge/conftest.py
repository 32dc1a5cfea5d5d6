import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a French request in an earlier test leaves French active
    in the thread, which would change the messages services raise."""
    with translation.override("en"):
        yield
