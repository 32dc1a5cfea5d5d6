from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cssp_portal.fragments import content_digest
from cssp_portal.paging import CappedPaginator

from . import policies, selectors, services
from .forms import DirectoryFilterForm, ProfileForm
from .models import User

PAGE_SIZE = 25
# The directory counts at most this many people, then says "more than" (CappedPaginator).
DIRECTORY_CAP = 1000


@login_required
@require_GET
def directory(request):
    viewer = request.user
    if not policies.can_browse_directory(request):
        # A guest: the page says what a guest may do and how to become a vetted member.
        return render(
            request,
            "members/access.html",
            {**_access_context(request.user), "refused": True},
            status=403,
        )
    form = DirectoryFilterForm(request.GET or None, **selectors.directory_filter_choices(viewer))
    filters = form.filters()
    if any(filters.values()):
        people = selectors.member_directory(viewer, **filters).only(*_CARD_FIELDS)
    else:
        # The usual visit: its count and first page read by queries compiled once.
        people = selectors.directory_pages(_CARD_FIELDS, per_page=PAGE_SIZE, cap=DIRECTORY_CAP)
    page = CappedPaginator(people, PAGE_SIZE, cap=DIRECTORY_CAP).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    contact_ids = policies.contact_visible_ids(viewer, shown)
    expertise = selectors.expertise_of(shown)
    name = 2 if translation.get_language() == "fr" else 1  # (id, name_en, name_fr)
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "cards": [
            (person, person.pk in contact_ids, [area[name] for area in expertise[person.pk]])
            for person in shown
        ],
        "cards_version": _cards_version(shown, contact_ids, expertise),
        "is_filtered": any(filters.values()),
    }
    return render(request, "members/directory.html", context)


# What a card shows (members/directory.html, _cards_version) and what the contact policy reads
# (is_active, contact_visibility): not the biographies, password and the rest of a wide row
# (building 24 people took 5.7 ms, now 4.3, tests/bench).
_CARD_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "role_type",
    "email",
    "phone",
    "is_active",
    "contact_visibility",
    "organization__slug",
    "organization__name_en",
    "organization__name_fr",
)


def _cards_version(people: list[User], contact_ids, expertise: dict) -> str:
    """A digest of everything the directory's cards show (members/directory.html keeps the
    rendered cards under it, with the language): read from the rows the page has already
    loaded, so a change to any shown value, or another viewer's right to see a contact,
    renders the cards again, whatever path the change took."""
    return content_digest(
        (
            person.pk,
            person.is_deleted,
            person.first_name,
            person.last_name,
            person.job_title,
            person.role_type,
            (org.pk, org.slug, org.name_en, org.name_fr) if (org := person.organization) else None,
            tuple(expertise[person.pk]),
            (person.email, person.phone) if person.pk in contact_ids else None,
        )
        for person in people
    )


def _bio_language(person: User) -> str:
    """The language the biography shown on this page is written in (it falls back to the
    other language when the current one is empty), for the `lang` attribute."""
    current = (translation.get_language() or "en")[:2]
    if getattr(person, f"bio_{current}", ""):
        return current
    return "fr" if current == "en" else "en"


@login_required
@require_GET
def profile(request, pk):
    # An unlisted profile does not exist for others: the same 404 as an unknown id.
    person = policies.profile_for_viewing(request, pk=pk)
    context = {
        "person": person,
        "memberships": selectors.profile_memberships(person, request.user),
        "can_see_contact": policies.can_see_contact(request.user, person),
        "is_self": person.pk == request.user.pk,
        "bio_language": _bio_language(person),
        "date_modified": person.updated_at,
    }
    return render(request, "members/profile.html", context)


def _access_context(member: User) -> dict:
    return {"member": member, "is_guest": policies.is_guest(member)}


@login_required
@require_GET
def my_access(request):
    """What the signed-in person may do: a guest's page (what is open now, how to become a
    vetted member) or a vetted member's (since when, through what, which organization)."""
    member = User.objects.select_related("organization", "vetted_by", "sponsor").get(
        pk=request.user.pk
    )
    return render(request, "members/access.html", _access_context(member))


@login_required
@require_GET
def my_profile(request):
    return redirect("members:profile", pk=request.user.pk)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    # Only /me/edit/ exists: the person edited is always the one signed in, never an id
    # taken from the request. A fresh copy keeps request.user intact if validation fails.
    member = User.objects.get(pk=request.user.pk)
    if not policies.can_edit_profile(request.user, member):
        raise Http404
    form = ProfileForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update_profile(member=member, **form.cleaned_data)
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("members:profile", pk=member.pk)
    return render(request, "members/profile_edit.html", {"form": form})


def _add_model_errors(form, error: ValidationError) -> None:
    """Show the service's validation errors next to the form's fields (or above the form)."""
    errors = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error}
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)
