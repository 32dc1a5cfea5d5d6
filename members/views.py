from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cssp_portal.paging import CappedPaginator
from cssp_portal.ratelimits import rate_limited
from portal import personal_data

from . import policies, selectors, services
from .forms import AccountDeleteForm, DirectoryFilterForm, ProfileForm
from .models import User

PAGE_SIZE = 25


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
    form = DirectoryFilterForm(
        request.GET or None,
        organizations=selectors.directory_organizations(),
        expertise_areas=selectors.directory_expertise_areas(),
        communities=selectors.directory_communities(viewer),
    )
    filters = form.filters()
    people = selectors.member_directory(viewer, **filters)
    page = CappedPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    contact_ids = policies.contact_visible_ids(viewer, shown)
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "cards": [(person, person.pk in contact_ids) for person in shown],
        "is_filtered": any(filters.values()),
    }
    return render(request, "members/directory.html", context)


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


# --- Personal data: what the portal holds, the download and the deletion ----------------------


@login_required
@require_GET
def personal_data_page(request):
    """What the portal holds about the person, why, for how long, and their rights."""
    if not policies.can_manage_own_personal_data(request):
        raise Http404
    return render(
        request,
        "members/personal_data.html",
        {
            "categories": personal_data.CATEGORIES,
            "blockers": policies.account_deletion_blockers(request),
        },
    )


@login_required
@require_POST
@rate_limited("personal_data")
def personal_data_download(request, fmt):
    """The person's data as JSON or as a .zip of CSV files. A POST (with its CSRF token), so
    that no link, prefetch or other site can start the export; never cached anywhere."""
    if not policies.can_manage_own_personal_data(request) or fmt not in ("json", "csv"):
        raise Http404
    data = personal_data.personal_data_of(request.user)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(
            personal_data.as_json(request.user, data), content_type="application/json"
        )
        name = f"cssp-personal-data-{stamp}.json"
    else:
        response = HttpResponse(
            personal_data.as_csv_zip(request.user, data), content_type="application/zip"
        )
        name = f"cssp-personal-data-{stamp}-csv.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("account_delete")
def account_delete(request):
    """Delete one's own account, after the password (or the typed word) and a choice about
    what they wrote. Refused, with the communities named, while they lead one."""
    if not policies.can_manage_own_personal_data(request):
        raise Http404
    blockers = policies.account_deletion_blockers(request)
    form = AccountDeleteForm(request.POST or None, member=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            services.account_delete(
                user=request.user, remove_contributions=form.remove_contributions
            )
        except services.LeadMustHandOver as refusal:
            blockers = refusal.communities
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. A confirmation was sent to the address you had. "
                    "Thank you for taking part in the communities of practice."
                ),
            )
            return redirect("home")
    # 409 while a lead role stands in the way, 400 for a wrong password or word (as every
    # form of the portal answers an invalid post).
    status = 409 if form.is_bound and blockers else 400 if form.is_bound else 200
    return render(
        request,
        "members/account_delete.html",
        {"form": form, "blockers": blockers},
        status=status,
    )
