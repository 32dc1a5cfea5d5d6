import factory

from api.models import ApiToken, new_token_key, token_digest
from tests.members.factories import UserFactory


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """An active personal token, stored as api_token_create stores it (prefix and digest only).
    The key, which the portal never keeps, is on the returned object as `token.key`;
    `key="cssp_…"` chooses it."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory, verified=True)
    name = factory.Sequence(lambda n: f"Script {n}")
    key = factory.LazyFunction(new_token_key)
    prefix = factory.LazyAttribute(lambda o: o.key[:10])
    digest = factory.LazyAttribute(lambda o: token_digest(o.key))

    @classmethod
    def _build(cls, model_class, *args, key, **kwargs):
        token = super()._build(model_class, *args, **kwargs)
        token.key = key
        return token

    @classmethod
    def _create(cls, model_class, *args, key, **kwargs):
        token = super()._create(model_class, *args, **kwargs)
        token.key = key
        return token
