"""Personal data (issue #18, item 9; Privacy Act): the page, the JSON and CSV download of
everything held about the person (and nothing of anyone else), and the deletion of one's account
(profile erased, contributions kept as "Former member" or removed, leads refused until they hand
over, a confirmation in the person's language)."""

import datetime
import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, token_digest
from communities.models import CommunityUserObjectPermission, Invitation, Membership
from consultations.models import Answer, Response
from events.models import Registration
from events.services import calendar_feed_get_or_create, event_register
from knowledge import services as knowledge
from knowledge.models import Post, ProtectedDownload, Thread
from members.models import User
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from portal import accounts
from portal.personal_data import CATEGORIES, as_csv_zip, personal_data_of
from proposals.models import GapComment, GapVote, Proposal
from tests.communities.factories import CommunityFactory, make_member
from tests.consultations.factories import consultation
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import PASSWORD, EmailAddressFactory, UserFactory
from tests.proposals.factories import GapFactory, ProposalFactory

pytestmark = pytest.mark.django_db

# What belongs to the colleague and must never appear in the member's export.
COLLEAGUE_EMAIL = "bobinette.zygmund@example.gc.ca"
COLLEAGUE_NAME = "Zygmund"
INVITEE = "carol.invitee@example.org"
TOTP_SECRET = "JBSWY3DPEHPK3PXPSECRETSECRET"
TOKEN_KEY = "cssp_NeverShowThisKeyAnywhere123"


def _fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world():
    """A member (Alice) with something in every category, beside a colleague (the lead, Bob)
    who shares her discussions, events and notifications."""
    community = CommunityFactory(name_en="Chemical", name_fr="Chimique", slug="chemical")
    bob = UserFactory(
        verified=True, email=COLLEAGUE_EMAIL, first_name="Bobinette", last_name=COLLEAGUE_NAME
    )
    make_member(community, bob, Membership.Role.LEAD)
    alice = UserFactory(
        verified=True,
        email="alice.martin@example.gc.ca",
        first_name="Alice",
        last_name="Martin",
        job_title="Chemist",
        phone="613-555-0101",
        bio_en="I test decontamination.",
        bio_fr="Je teste la décontamination.",
        preferred_language="en",
    )
    make_member(community, alice)
    bob, alice = _fresh(bob), _fresh(alice)
    EmailAddressFactory(user=alice, email="alice.home@example.org", primary=False)
    Authenticator.objects.create(user=alice, type="totp", data={"secret": TOTP_SECRET})
    Invitation.objects.create(
        community=CommunityFactory(), email="alice.home@example.org", invited_by=bob
    )
    Invitation.objects.create(community=community, email=INVITEE, invited_by=alice)

    # Discussions: Alice replies to Bob's thread; Bob replies to Alice's; one is Alice's alone.
    bobs = knowledge.thread_start(community=community, by=bob, title="Bob's topic", body="Bob!")
    alices_reply = knowledge.thread_reply(thread=bobs, by=_fresh(alice), body="Alice replies")
    alices = knowledge.thread_start(
        community=community, by=_fresh(alice), title="Alice's topic", body="Alice opens"
    )
    knowledge.thread_reply(thread=alices, by=_fresh(bob), body=f"Answer from {COLLEAGUE_NAME}")
    lonely = knowledge.thread_start(
        community=community, by=_fresh(alice), title="Alone", body="Nobody answered"
    )

    event = EventFactory(community=community, capacity_in_person=1)
    registration = event_register(event=event, user=_fresh(alice))
    calendar_feed_get_or_create(user=alice)
    asked = consultation(community)
    response = Response.objects.create(
        consultation=asked, respondent=alice, submitted_at=timezone.now()
    )
    Answer.objects.create(
        response=response, question=asked.questions.first(), text="My unique answer"
    )
    gap = GapFactory(community=community)
    GapVote.objects.create(gap=gap, voter=alice)
    GapComment.objects.create(gap=gap, author=alice, text="Gap comment by Alice")
    submitted = ProposalFactory(
        proposer=alice, lead_department=None, status="submitted", title_en="Sensor grid"
    )
    notify(
        kind="community.new_member",
        recipients=[alice],
        community=community,
        context={"member_name": f"Bobinette {COLLEAGUE_NAME}"},
        key="test:new-member",
    )
    NotificationPreference.objects.create(user=alice, kind="community.new_member", frequency="off")
    ApiToken.objects.create(
        user=alice, name="Laptop", prefix=TOKEN_KEY[:12], digest=token_digest(TOKEN_KEY)
    )
    ProtectedDownload.objects.create(
        community=community,
        user=alice,
        user_email=alice.email,
        resource_title="Protected plan",
        sensitivity="protected_a",
        version_number=1,
        file_name="plan.pdf",
    )
    return {
        "community": community,
        "alice": _fresh(alice),
        "bob": _fresh(bob),
        "bobs_thread": bobs,
        "alices_reply": alices_reply,
        "alices_thread": alices,
        "lonely_thread": lonely,
        "event": event,
        "registration": registration,
        "response": response,
        "proposal": submitted,
    }


# --- The export -------------------------------------------------------------------------------


def test_the_export_holds_every_category_with_the_persons_own_data(world):
    data = personal_data_of(world["alice"])

    assert list(data) == [category.key for category in CATEGORIES]
    assert data["account"][0]["bio_fr"] == "Je teste la décontamination."
    assert data["account"][0]["phone"] == "613-555-0101"
    assert {row["email"] for row in data["email_addresses"]} == {
        "alice.martin@example.gc.ca",
        "alice.home@example.org",
    }
    assert data["two_factor_authentication"][0]["method"] == "TOTP Authenticator"
    assert {row["state"] for row in data["memberships"]} == {"Active"}
    assert data["invitations_received"][0]["address"] == "alice.home@example.org"
    assert data["invitations_sent"][0]["community"] == "Chemical"
    assert data["event_registrations"][0]["event"] == world["event"].title
    assert data["consultation_answers"][0]["answer"] == "My unique answer"
    assert {row["subject"] for row in data["discussions_started"]} == {"Alice's topic", "Alone"}
    assert {row["message"] for row in data["discussion_messages"]} == {
        "Alice replies",
        "Alice opens",
        "Nobody answered",
    }
    assert data["gap_votes"] and data["gap_comments"][0]["comment"] == "Gap comment by Alice"
    assert data["proposals"][0]["title"] == "Sensor grid"
    assert "New members" in {row["kind"] for row in data["notifications"]}
    assert data["email_preferences"][0]["delivery"] == "Never"
    assert data["api_tokens"][0]["name"] == "Laptop"
    assert data["protected_downloads"][0]["resource"] == "Protected plan"
    assert len(data["calendar_feed"]) == 1


def test_the_export_holds_nothing_of_other_people_and_no_secret(world):
    text = json.dumps(personal_data_of(world["alice"]), ensure_ascii=False)

    for foreign in (COLLEAGUE_EMAIL, COLLEAGUE_NAME, "Bobinette", INVITEE, "Bob!"):
        assert foreign not in text
    for secret in (TOTP_SECRET, TOKEN_KEY, TOKEN_KEY[:12], world["alice"].password):
        assert secret not in text
    feed_token = world["alice"].calendar_feed.token
    assert feed_token not in text


def test_the_export_reads_a_fixed_number_of_queries_whatever_the_rows(world):
    alice = world["alice"]
    with CaptureQueriesContext(connection) as few:
        personal_data_of(alice)
    for number in range(6):
        knowledge.thread_reply(thread=world["bobs_thread"], by=alice, body=f"More {number}")
        register_to = EventFactory(community=world["community"])
        event_register(event=register_to, user=alice)
    with CaptureQueriesContext(connection) as many:
        data = personal_data_of(alice)

    assert len(data["discussion_messages"]) == 9
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= len(CATEGORIES) + 2


# --- The pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "right"),
    [
        ("en", "My personal data", "Download as JSON"),
        ("fr", "Mes données personnelles", "Télécharger en JSON"),
    ],
)
def test_the_personal_data_page_explains_in_each_language(client, world, lang, title, right):
    client.force_login(world["alice"])

    response = client.get(url("members:personal_data", lang=lang))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="page-title">{title}</h1>' in page
    assert right in page
    assert "Privacy Act" in page or "Loi sur la protection des renseignements personnels" in page


def test_the_personal_data_page_is_linked_from_the_profile_and_access_pages(client, world):
    client.force_login(world["alice"])
    target = url("members:personal_data")

    assert target in client.get(url("members:profile", world["alice"].pk)).content.decode()
    assert target in client.get(url("members:access")).content.decode()


def test_the_json_download_is_the_persons_data_and_never_cached(client, world):
    client.force_login(world["alice"])

    response = client.post(url("members:personal_data_download", "json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["categories"]["account"]["rows"][0]["email"] == "alice.martin@example.gc.ca"
    assert COLLEAGUE_EMAIL not in response.content.decode()


def test_the_csv_download_is_a_zip_of_one_table_per_category(client, world):
    client.force_login(world["alice"])

    response = client.post(url("members:personal_data_download", "csv", lang="fr"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert len(archive.namelist()) == len(CATEGORIES)
    memberships = archive.read("04-memberships.csv").decode("utf-8-sig")
    assert "Chimique" in memberships and "Membre" in memberships
    assert COLLEAGUE_NAME not in "".join(archive.read(n).decode() for n in archive.namelist())


def test_a_download_is_a_post_only(client, world):
    client.force_login(world["alice"])

    assert client.get(url("members:personal_data_download", "json")).status_code == 405
    assert client.post(url("members:personal_data_download", "xml")).status_code == 404


def test_a_csv_cell_cannot_become_a_spreadsheet_formula(world):
    alice = world["alice"]
    User.objects.filter(pk=alice.pk).update(job_title="=HYPERLINK(1)")

    archive = zipfile.ZipFile(io.BytesIO(as_csv_zip(alice, personal_data_of(alice))))

    assert "'=HYPERLINK(1)" in archive.read("01-account.csv").decode("utf-8-sig")


# --- Deleting one's account -------------------------------------------------------------------


def _delete(client, user, lang="en", contributions="keep", **extra):
    client.force_login(user)
    data = {"contributions": contributions, "password": PASSWORD, **extra}
    return client.post(url("members:delete", lang=lang), data)


def test_deleting_erases_the_profile_and_keeps_contributions_as_former_member(
    client, world, django_capture_on_commit_callbacks
):
    alice = world["alice"]

    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client, alice)

    assert response.status_code == 302 and response["Location"] == url("home")
    gone = _fresh(alice)
    assert (gone.first_name, gone.last_name, gone.job_title, gone.phone) == ("", "", "", "")
    assert (gone.bio_en, gone.bio_fr, gone.organization) == ("", "", None)
    assert gone.is_deleted and gone.email.endswith("@deleted.invalid")
    assert not gone.is_active and not gone.has_usable_password()
    assert str(gone) == "Former member"
    assert not EmailAddress.objects.filter(user=gone).exists()
    assert not Authenticator.objects.filter(user=gone).exists()
    assert not ApiToken.objects.filter(user=gone).exists()
    assert not Notification.objects.filter(recipient=gone).exists()
    assert not Invitation.objects.filter(email__iexact="alice.home@example.org").exists()
    # The roster keeps the history, without the name
    assert Membership.objects.get(user=gone).state == Membership.State.LEFT
    # And what she wrote stays, under "Former member", in the thread others read
    client.force_login(world["bob"])
    thread_page = client.get(world["bobs_thread"].get_absolute_url()).content.decode()
    assert "Alice replies" in thread_page
    assert "Former member" in thread_page and "Martin" not in thread_page
    roster = client.get(url("communities:roster", "chemical")).content.decode()
    assert "Former member" in roster and "alice.martin" not in roster
    export = client.get(url("communities:roster_export", "chemical")).content.decode()
    assert "Former member" in export and "deleted.invalid" not in export


def test_a_deleted_person_shows_as_ex_membre_in_french(client, world):
    accounts.account_delete(user=world["alice"], remove_contributions=False)
    client.force_login(world["bob"])

    thread_page = client.get(
        url("knowledge:thread", world["bobs_thread"].pk, lang="fr")
    ).content.decode()

    assert "Ex-membre" in thread_page


def test_deleting_with_removal_blanks_replies_and_deletes_answers_but_keeps_proposals(world):
    accounts.account_delete(user=world["alice"], remove_contributions=True)

    reply = Post.objects.get(pk=world["alices_reply"].pk)
    assert (reply.body, reply.body_html) == ("", "")
    assert Thread.objects.filter(pk=world["alices_thread"].pk).exists()  # Bob answered it
    assert not Thread.objects.filter(pk=world["lonely_thread"].pk).exists()
    assert not Response.objects.filter(pk=world["response"].pk).exists()
    assert not GapVote.objects.filter(voter=world["alice"]).exists()
    assert not GapComment.objects.filter(author=world["alice"]).exists()
    proposal = Proposal.objects.get(pk=world["proposal"].pk)
    assert proposal.proposer_id == world["alice"].pk
    assert str(proposal.proposer) == "Former member"


def test_a_removed_reply_reads_as_removed_at_its_authors_request(client, world):
    accounts.account_delete(user=world["alice"], remove_contributions=True)
    client.force_login(world["bob"])

    page = client.get(world["bobs_thread"].get_absolute_url()).content.decode()

    assert "This message was removed at its author’s request." in page
    assert "Alice replies" not in page


def test_deleting_frees_the_seat_of_an_upcoming_event_for_the_waitlist(world):
    waiting = UserFactory(verified=True)
    make_member(world["community"], waiting)
    waitlisted = event_register(event=world["event"], user=_fresh(waiting))
    assert waitlisted.state == Registration.State.WAITLISTED

    accounts.account_delete(user=world["alice"], remove_contributions=False)

    world["registration"].refresh_from_db()
    waitlisted.refresh_from_db()
    assert world["registration"].state == Registration.State.CANCELLED
    assert waitlisted.state == Registration.State.CONFIRMED


def test_deleting_removes_groups_and_object_permissions(world):
    alice = world["alice"]
    permission = Permission.objects.get(codename="view_community")
    CommunityUserObjectPermission.objects.create(
        user=alice, permission=permission, content_object=world["community"]
    )
    assert alice.groups.exists()

    accounts.account_delete(user=alice, remove_contributions=False)

    assert not alice.groups.exists()
    assert not CommunityUserObjectPermission.objects.filter(user=alice).exists()


def test_a_lead_is_refused_until_they_hand_over(client, world):
    bob = world["bob"]

    response = _delete(client, bob)

    assert response.status_code == 409
    page = response.content.decode()
    assert "hand over before you delete your account" in page
    assert "Chemical" in page
    assert _fresh(bob).is_active and _fresh(bob).email == COLLEAGUE_EMAIL
    with pytest.raises(accounts.LeadMustHandOver):
        accounts.account_delete(user=bob, remove_contributions=False)

    # Once another member leads, Bob may go
    Membership.objects.filter(user=world["alice"]).update(role=Membership.Role.LEAD)
    Membership.objects.filter(user=bob).update(role=Membership.Role.MEMBER)
    client.logout()
    assert _delete(client, _fresh(bob)).status_code == 302
    assert _fresh(bob).is_deleted


def test_the_delete_page_names_the_communities_a_lead_must_hand_over_in_french(client, world):
    client.force_login(world["bob"])

    page = client.get(url("members:delete", lang="fr")).content.decode()

    assert "Chimique" in page
    assert "Supprimer mon compte" in page
    assert 'name="password"' not in page


def test_a_wrong_password_deletes_nothing(client, world):
    response = _delete(client, world["alice"], password="not the password")

    assert response.status_code == 400
    assert "The password is not correct." in response.content.decode()
    assert _fresh(world["alice"]).is_active


def test_an_account_without_a_password_confirms_with_the_typed_word(client, world):
    alice = world["alice"]
    alice.set_unusable_password()
    alice.save()

    refused = _delete(client, alice, lang="fr", confirmation="oui")
    assert "Tapez SUPPRIMER" in refused.content.decode()
    assert _fresh(alice).is_active

    accepted = _delete(client, _fresh(alice), lang="fr", confirmation="SUPPRIMER")
    assert accepted.status_code == 302 and _fresh(alice).is_deleted


def test_the_deleted_person_cannot_sign_in_again(client, world):
    accounts.account_delete(user=world["alice"], remove_contributions=False)

    assert not client.login(email="alice.martin@example.gc.ca", password=PASSWORD)
    assert not client.login(email=_fresh(world["alice"]).email, password=PASSWORD)


@pytest.mark.parametrize(
    ("lang", "subject"), [("en", "Your account is deleted"), ("fr", "Votre compte est supprimé")]
)
def test_the_confirmation_email_goes_to_the_old_address_in_the_persons_language(
    world, mailoutbox, django_capture_on_commit_callbacks, lang, subject
):
    alice = world["alice"]
    User.objects.filter(pk=alice.pk).update(preferred_language=lang)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        accounts.account_delete(user=_fresh(alice), remove_contributions=False)

    (message,) = [m for m in mailoutbox if m.to == ["alice.martin@example.gc.ca"]]
    assert message.subject == subject
    assert "Alice Martin" in message.body


def test_the_administrator_deletes_an_account_through_the_same_service(client, world):
    admin = UserFactory(verified=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:members_user_changelist")

    client.post(
        changelist,
        {"action": "delete_accounts", "_selected_action": [world["alice"].pk, world["bob"].pk]},
    )

    assert _fresh(world["alice"]).is_deleted
    assert not _fresh(world["bob"]).is_deleted  # a lead: refused, with a message
    listing = client.get(changelist).content.decode()
    assert 'class="deleted-account"' in listing


def test_deleting_twice_changes_nothing_more(world):
    first = accounts.account_delete(user=world["alice"], remove_contributions=False)
    again = accounts.account_delete(user=first, remove_contributions=False)

    assert again.email == first.email


def test_an_upcoming_event_long_past_keeps_its_attendance(world):
    past = EventFactory(
        community=world["community"],
        start=timezone.now() - datetime.timedelta(days=3),
        end=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=2),
    )
    attended = Registration.objects.create(
        event=past, user=world["alice"], state=Registration.State.ATTENDED
    )

    accounts.account_delete(user=world["alice"], remove_contributions=False)

    attended.refresh_from_db()
    assert attended.state == Registration.State.ATTENDED


def test_attempts_to_delete_an_account_are_rate_limited(client, world, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "account_delete": "2/h"}

    statuses = [_delete(client, world["alice"], password="wrong").status_code for _ in range(3)]

    assert statuses == [400, 400, 429]
    assert _fresh(world["alice"]).is_active


def test_deleting_ends_the_persons_other_sessions(client, world):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(world["alice"])
    assert elsewhere.get(url("members:personal_data")).status_code == 200

    _delete(client, world["alice"])

    response = elsewhere.get(url("members:personal_data"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
