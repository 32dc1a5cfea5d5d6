"""Knowledge objects for tests, two ways.

The factories (FolderFactory, ResourceFactory, ThreadFactory…) write rows directly: for a test
about something else that needs a library or a discussion to exist. The functions below them
(folder, document, thread) go through knowledge.services, with a person allowed to act: for a
test that needs what the service does on the way (permission check, followers told).
"""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Membership
from knowledge import markdown, services
from knowledge.models import (
    Announcement,
    Folder,
    Follow,
    Post,
    PostReport,
    ProtectedDownload,
    Resource,
    ResourceVersion,
    Sensitivity,
    Thread,
)
from tests.communities.factories import CommunityFactory, make_member
from tests.members.factories import UserFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


# --- Factories: rows written directly ----------------------------------------------------------


class AnnouncementFactory(factory.django.DjangoModelFactory):
    """News published an hour ago, in both languages, rendered as the service renders it;
    `communities=[...]` posts it to those communities (none by default)."""

    class Meta:
        model = Announcement
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"News {n}")
    title_fr = factory.Sequence(lambda n: f"Nouvelles {n}")
    title = factory.SelfAttribute("title_en")
    body_en = "The exercise is **confirmed**."
    body_fr = "L’exercice est **confirmé**."
    body = factory.SelfAttribute("body_en")
    body_html_en = factory.LazyAttribute(lambda o: markdown.render(o.body_en))
    body_html_fr = factory.LazyAttribute(lambda o: markdown.render(o.body_fr))
    author = factory.SubFactory(UserFactory, verified=True)
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.set(extracted)


class ThreadFactory(factory.django.DjangoModelFactory):
    """A discussion with its opening message, by a person who need not be a member: make them
    one (make_member) when the test depends on it."""

    class Meta:
        model = Thread
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"Discussion {n}")
    author = factory.SubFactory(UserFactory, verified=True)
    opening = factory.RelatedFactory(
        "tests.knowledge.factories.PostFactory",
        factory_related_name="thread",
        is_opening=True,
        author=factory.SelfAttribute("..author"),
        body="Let us plan the exercise.",
    )


class PostFactory(factory.django.DjangoModelFactory):
    """A reply in a new discussion (its author need not be a member). The thread's reply count
    and last activity are the service's business (services.thread_reply)."""

    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory, verified=True)
    body = factory.Sequence(lambda n: f"Reply number {n}.")
    body_html = factory.LazyAttribute(lambda o: markdown.render(o.body))
    is_opening = False


class PostReportFactory(factory.django.DjangoModelFactory):
    """An open report of a reply."""

    class Meta:
        model = PostReport

    post = factory.SubFactory(PostFactory)
    reporter = factory.SubFactory(UserFactory, verified=True)
    reason = "Advertising."


class FolderFactory(factory.django.DjangoModelFactory):
    """A top-level folder of a community's library."""

    class Meta:
        model = Folder

    community = factory.SubFactory(CommunityFactory)
    name_en = factory.Sequence(lambda n: f"Protocols {n}")
    name_fr = factory.Sequence(lambda n: f"Protocoles {n}")
    name = factory.SelfAttribute("name_en")


class ResourceVersionFactory(factory.django.DjangoModelFactory):
    """The next version of a document (a small PDF), which becomes its current version."""

    class Meta:
        model = ResourceVersion
        skip_postgeneration_save = True

    resource = factory.SubFactory("tests.knowledge.factories.ResourceFactory", first_version=False)
    number = factory.LazyAttribute(lambda o: o.resource.versions.count() + 1)
    original_name = "report.pdf"
    file = factory.django.FileField(data=PDF, filename="report.pdf")
    size = len(PDF)
    content_type = "application/pdf"
    uploaded_by = factory.SelfAttribute("resource.created_by")

    @factory.post_generation
    def current(self, create, extracted, **kwargs):
        if create:
            Resource.objects.filter(pk=self.resource_id).update(current_version=self)
            self.resource.current_version = self


class ResourceFactory(factory.django.DjangoModelFactory):
    """An Unclassified document for the members of its community, with a first version.
    `visibility=…`, `sensitivity=…` to share or mark it; LinkFactory for a link."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    class Params:
        first_version = factory.LazyAttribute(lambda o: o.kind == Resource.Kind.DOCUMENT)

    folder = factory.SubFactory(FolderFactory)
    kind = Resource.Kind.DOCUMENT
    title_en = factory.Sequence(lambda n: f"Decontamination protocol {n}")
    title_fr = factory.Sequence(lambda n: f"Protocole de décontamination {n}")
    title = factory.SelfAttribute("title_en")
    sensitivity = Sensitivity.UNCLASSIFIED
    visibility = Resource.Visibility.COMMUNITY
    created_by = factory.SubFactory(UserFactory, verified=True)
    version = factory.Maybe(
        "first_version",
        factory.RelatedFactory(ResourceVersionFactory, factory_related_name="resource"),
    )


class LinkFactory(ResourceFactory):
    """A link in a library: no file, no version."""

    kind = Resource.Kind.LINK
    url = factory.Sequence(lambda n: f"https://www.canada.ca/en/resource-{n}.html")


class ProtectedDownloadFactory(factory.django.DjangoModelFactory):
    """The record of a download of a Protected B document's current version."""

    class Meta:
        model = ProtectedDownload

    resource = factory.SubFactory(ResourceFactory, sensitivity=Sensitivity.PROTECTED_B)
    version = factory.SelfAttribute("resource.current_version")
    community = factory.SelfAttribute("resource.folder.community")
    user = factory.SubFactory(UserFactory, verified=True)
    user_email = factory.SelfAttribute("user.email")
    resource_title = factory.SelfAttribute("resource.title_en")
    sensitivity = factory.SelfAttribute("resource.sensitivity")
    version_number = factory.SelfAttribute("version.number")
    file_name = factory.SelfAttribute("version.original_name")


class FollowFactory(factory.django.DjangoModelFactory):
    """A person following a discussion (FolderFollowFactory: a library folder). Written
    directly: services.follow_set checks that they may see it."""

    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory, verified=True)
    thread = factory.SubFactory(ThreadFactory)
    folder = None


class FolderFollowFactory(FollowFactory):
    thread = None
    folder = factory.SubFactory(FolderFactory)


# --- Through the services: with a person allowed to act --------------------------------------


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
