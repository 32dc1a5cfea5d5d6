import datetime

import factory
from django.utils import timezone

from communities.services import portfolio_managers_group
from proposals.models import Call, CapabilityGap, Project, Proposal
from tests.communities.factories import CommunityFactory, OrganizationFactory
from tests.members.factories import UserFactory


class GapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapabilityGap

    community = factory.SubFactory(CommunityFactory)
    kind = CapabilityGap.Kind.CAPABILITY_GAP
    title_en = factory.Sequence(lambda n: f"Gap {n}")
    title_fr = factory.Sequence(lambda n: f"Lacune {n}")
    slug = factory.Sequence(lambda n: f"gap-{n}")


class CallFactory(factory.django.DjangoModelFactory):
    """A published call, open from yesterday for thirty days."""

    class Meta:
        model = Call

    title_en = factory.Sequence(lambda n: f"Call {n}")
    title_fr = factory.Sequence(lambda n: f"Appel {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    year = 2026
    description_en = "Solutions for safety and security."
    description_fr = "Des solutions pour la sûreté et la sécurité."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    is_published = True


def government_member(**kwargs):
    return UserFactory(organization=OrganizationFactory(sector="federal"), verified=True, **kwargs)


def portfolio_manager(**kwargs):
    user = UserFactory(verified=True, **kwargs)
    user.groups.add(portfolio_managers_group())
    return type(user).objects.get(pk=user.pk)


def admin(**kwargs):
    return UserFactory(verified=True, is_staff=True, is_superuser=True, **kwargs)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A complete draft: only submission is missing."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    title_en = factory.Sequence(lambda n: f"Proposal {n}")
    summary_en = "Sensors for first responders."
    objectives_en = "Detect earlier."
    proposer = factory.LazyFunction(government_member)
    lead_department = factory.LazyAttribute(lambda p: p.proposer.organization)
    requested_funding = 250000
    duration_months = 24
    submitted_at = factory.LazyAttribute(
        lambda p: None if p.status in (None, "draft") else timezone.now()
    )
    status = "draft"

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create:
            self.communities.set(extracted if extracted is not None else [CommunityFactory()])


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title_en = factory.Sequence(lambda n: f"Project {n}")
    title_fr = factory.Sequence(lambda n: f"Projet {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    year = 2024
    summary_en = "A funded project."
    summary_fr = "Un projet financé."
