import factory
from django.utils import timezone

from communities.models import Community, Membership, Organization
from communities.services import community_ensure_groups, membership_add_active


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_en = factory.Sequence(lambda n: f"Department {n}")
    name_fr = factory.Sequence(lambda n: f"Ministère {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    sector = Organization.Sector.FEDERAL


class CommunityFactory(factory.django.DjangoModelFactory):
    """A community with its permission groups, as the admin and the loader create them."""

    class Meta:
        model = Community
        skip_postgeneration_save = True

    name_en = factory.Sequence(lambda n: f"Community {n}")
    name_fr = factory.Sequence(lambda n: f"Communauté {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    summary_en = "Experts working together."
    summary_fr = "Des experts qui travaillent ensemble."
    visibility = Community.Visibility.PUBLIC

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            community_ensure_groups(community=self)


def make_member(community, user, role=Membership.Role.MEMBER):
    return membership_add_active(community=community, user=user, role=role)


def ended_membership(community, user, state=Membership.State.LEFT):
    now = timezone.now()
    return Membership.objects.create(
        community=community, user=user, state=state, joined_at=now, ended_at=now
    )
