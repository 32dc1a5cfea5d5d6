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


def person_as(role: str, community):
    """A person holding `role` towards `community`, as the permission tables name the roles:
    anonymous (None), non_member, observer, member, co_lead, lead, lead_elsewhere (leads another
    community), portfolio_manager (assigned to this community), admin, guest (registered
    themselves, not vetted, naming a federal department on their profile) and vetted_elsewhere
    (vetted through the trusted domain of a federal department that has no part in the
    community). Read back from the database so that no permission cache carries over."""
    from communities.services import portfolio_managers_group
    from tests.members.factories import UserFactory

    if role == "anonymous":
        return None
    user = UserFactory(verified=True)
    if role in ("observer", "member", "co_lead", "lead"):
        make_member(community, user, role)
    elif role == "lead_elsewhere":
        make_member(CommunityFactory(), user, Membership.Role.LEAD)
    elif role == "portfolio_manager":
        user.groups.add(portfolio_managers_group())
        community.portfolio_managers.add(user)
    elif role == "admin":
        user.is_superuser = user.is_staff = True
        user.save()
    elif role == "guest":
        user.vetting = "guest"
        user.organization = OrganizationFactory(sector=Organization.Sector.FEDERAL)
        user.save()
    elif role == "vetted_elsewhere":
        user.vetting, user.vetted_through = "vetted", "domain"
        user.vetted_at = timezone.now()
        user.organization = OrganizationFactory(sector=Organization.Sector.FEDERAL)
        user.save()
    elif role != "non_member":
        raise ValueError(role)
    return type(user).objects.get(pk=user.pk)
