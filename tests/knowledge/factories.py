from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Membership
from knowledge import services
from knowledge.models import Folder, Resource, Sensitivity
from tests.communities.factories import CommunityFactory, make_member
from tests.members.factories import UserFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def pdf(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fresh(user):
    """The same person with an empty permission cache."""
    return type(user).objects.get(pk=user.pk)


def community_with_lead(**kwargs):
    community = CommunityFactory(**kwargs)
    lead = UserFactory(verified=True)
    make_member(community, lead, Membership.Role.LEAD)
    return community, fresh(lead)


def member_of(community, role=Membership.Role.MEMBER, **kwargs):
    user = UserFactory(verified=True, **kwargs)
    make_member(community, user, role)
    return fresh(user)


def thread(community, author, title="Flood exercise planning", body="Let us plan the exercise."):
    return services.thread_start(community=community, by=author, title=title, body=body)


def folder(community, lead, name_en="Protocols", name_fr="Protocoles", parent=None):
    return services.folder_create(
        community=community, by=lead, name_en=name_en, name_fr=name_fr, parent=parent
    )


def document(
    folder: Folder,
    by,
    *,
    title_en="Decontamination protocol",
    title_fr="Protocole de décontamination",
    visibility=Resource.Visibility.COMMUNITY,
    sensitivity=Sensitivity.UNCLASSIFIED,
    upload=None,
):
    return services.resource_create(
        folder=folder,
        by=by,
        kind=Resource.Kind.DOCUMENT,
        title_en=title_en,
        title_fr=title_fr,
        sensitivity=sensitivity,
        visibility=visibility,
        upload=upload or pdf(),
    )
