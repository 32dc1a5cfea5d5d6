# The search tests start in English, as the knowledge tests do (see that conftest).
from tests.knowledge.conftest import english_by_default  # noqa: F401
