import factory
from allauth.account.models import EmailAddress

from members.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A member who signed up but has not yet confirmed the address (`verified=True` has)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.gc.ca")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Tremblay{n}")
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        verified = factory.Trait(
            email_address=factory.RelatedFactory(
                "tests.members.factories.EmailAddressFactory",
                factory_related_name="user",
            )
        )

    @factory.post_generation
    def save_password_hash(obj, create, extracted, **kwargs):
        # set_password ran after the first save; store the hash.
        if create:
            obj.save(update_fields=["password"])


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """allauth's record of a confirmed primary address: what mandatory verification checks."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    verified = True
    primary = True
