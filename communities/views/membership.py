"""The community directory, joining, leaving, one's own communities and answering an invitation."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policies, services
from communities.forms import (
    DirectoryFilterForm,
    JoinRequestForm,
)
from communities.models import Community, Invitation, Membership
from communities.selectors import (
    CardListing,
    community_directory_search,
    directory_organization_options,
)
from cssp_portal.collation import ordering
from cssp_portal.errors import first_message
from cssp_portal.ratelimits import rate_limited

if TYPE_CHECKING:
    pass


def community_list(request):
    form = DirectoryFilterForm(
        request.GET or None,
        user=request.user,
        organization_options=directory_organization_options(),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    narrowed = {
        "q": filters.get("q", ""),
        "organization": filters.get("organization"),
        "join_policy": filters.get("join_policy", ""),
        "mine": filters.get("mine", False),
    }
    if any(narrowed.values()):
        communities = CardListing(community_directory_search(request.user, **narrowed))
    else:
        communities = CardListing.directory(request.user)
    return render(
        request,
        "communities/community_list.html",
        {"communities": communities, "form": form, "filtered": bool(filters)},
    )


@login_required
@require_POST
@rate_limited("join")
def community_join(request, slug):
    community = policies.community_for_viewing(request, slug=slug)
    if not policies.can_join(request.user, community):
        raise PermissionDenied
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_message(ValidationError(form.errors["message"])))
        return redirect(community)
    try:
        membership = services.membership_join(
            community=community, user=request.user, message=form.cleaned_data["message"]
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        if membership.state == Membership.State.ACTIVE:
            messages.success(request, _("Welcome! You are now a member of this community."))
        else:
            messages.success(
                request,
                _(
                    "Your request was sent to the community's leads. "
                    "You will get their answer by email."
                ),
            )
    return redirect(community)


@login_required
@require_POST
def community_leave(request, slug):
    community = get_object_or_404(Community, slug=slug)
    membership = (
        Membership.objects.filter(
            community=community,
            user=request.user,
            state__in=(Membership.State.ACTIVE, Membership.State.REQUESTED),
        )
        .select_related("community")
        .first()
    )
    if membership is None:
        raise Http404
    try:
        services.membership_leave(membership=membership, user=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        if membership.state == Membership.State.ACTIVE:
            messages.success(request, _("You left the community."))
        else:
            messages.success(request, _("Your request to join was withdrawn."))
    if policies.can_view_community(request.user, community):
        return redirect(community)
    return redirect("communities:mine")


@login_required
def my_communities(request):
    memberships = (
        Membership.objects.filter(
            user=request.user,
            state__in=(Membership.State.ACTIVE, Membership.State.REQUESTED),
        )
        .select_related("community")
        .order_by(*ordering(Membership, "community__name"))
    )
    invitations = (
        Invitation.objects.filter(email__iexact=request.user.email, state=Invitation.State.PENDING)
        .filter(expires_at__gt=timezone.now())
        .select_related("community", "invited_by")
    )
    return render(
        request,
        "communities/my_communities.html",
        {
            "memberships": memberships,
            "invitations": invitations,
            "communities_url": reverse("communities:list"),
        },
    )


def invitation_detail(request, token):
    """The link in an invitation email. Anyone holding it sees what it is for; a person without
    an account is led through sign-up with the invited address filled in, confirms that
    address by the usual e-mail, and comes back here to accept. Nothing is taken as verified
    from the link alone: a forwarded or leaked link must not turn whatever address someone
    types into the invited one (a GET used to stash it as verified for the next sign-up)."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("community", "invited_by"), token=token
    )
    if not request.user.is_authenticated:
        # Clear an address stashed by an older version of this page, whatever the invitation.
        get_adapter(request).unstash_verified_email(request)
    context = {"invitation": invitation, "community": invitation.community}
    if not invitation.is_usable:
        return render(request, "communities/invitation_unusable.html", context, status=410)
    if not request.user.is_authenticated:
        here = request.get_full_path()
        context["signup_url"] = (
            f"{reverse('account_signup')}?{urlencode({'email': invitation.email, 'next': here})}"
        )
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': here})}"
        context["has_account"] = (
            get_user_model().objects.filter(email__iexact=invitation.email).exists()
        )
        return render(request, "communities/invitation_anonymous.html", context)
    if not policies.can_answer_invitation(request.user, invitation):
        return render(request, "communities/invitation_other_account.html", context, status=403)
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "decline":
                services.invitation_decline(invitation=invitation, user=request.user)
                messages.success(request, _("You declined the invitation."))
                return redirect("communities:mine")
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, first_message(error))
            return redirect(request.path)
        messages.success(request, _("Welcome! You are now a member of this community."))
        return redirect(invitation.community)
    return render(request, "communities/invitation_answer.html", context)
