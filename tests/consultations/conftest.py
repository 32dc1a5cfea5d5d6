import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_by_default():
    with translation.override("en"):
        yield
