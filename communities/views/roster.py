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
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from communities import policies, services
from communities.exports import roster_csv
from communities.forms import (
    CommunityPageForm,
    DecisionForm,
    DirectoryFilterForm,
    InviteForm,
    JoinRequestForm,
    OrganizationAddForm,
    RemoveForm,
    RoleForm,
)
from communities.models import Community, CommunityOrganization, Invitation, Membership
from communities.selectors import CardListing, community_directory_search
from cssp_portal.collation import ordering, person_ordering
from cssp_portal.errors import first_message
from cssp_portal.ratelimits import rate_limited

if TYPE_CHECKING:
    pass


def community_list(request):
    form = DirectoryFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    communities = community_directory_search(
        request.user,
        q=filters.get("q", ""),
        organization=filters.get("organization"),
        join_policy=filters.get("join_policy", ""),
        mine=filters.get("mine", False),
    )
    return render(
        request,
        "communities/community_list.html",
        {"communities": CardListing(communities), "form": form, "filtered": bool(filters)},
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


# --- Lead tools: the roster ---------------------------------------------------------------------


def _roster_page(request, community, *, invite_form=None, status=200):
    people = community.memberships.select_related("user__organization")
    active = people.filter(state=Membership.State.ACTIVE)
    # ?group=core lists the core group only; any other value lists every member.
    core_only = request.GET.get("group") == "core"
    core_count = active.filter(is_core=True).count()
    context = {
        "community": community,
        "requests": people.filter(state=Membership.State.REQUESTED).order_by("created_at"),
        "members": (active.filter(is_core=True) if core_only else active).order_by(
            *person_ordering("user__")
        ),
        "core_only": core_only,
        "core_count": core_count,
        "core_limit": Membership.CORE_GROUP_SOFT_LIMIT,
        "core_over_limit": core_count > Membership.CORE_GROUP_SOFT_LIMIT,
        "invitations": community.invitations.filter(state=Invitation.State.PENDING)
        .select_related("invited_by")
        .order_by("email"),
        "history": people.exclude(state__in=Membership.CURRENT_STATES)
        .select_related("decided_by")
        .order_by("-ended_at")[:100],
        "invite_form": invite_form
        or InviteForm(initial={"language": (translation.get_language() or "en")[:2]}),
        "decision_form": DecisionForm(),
        "roles": Membership.Role.choices,
        "now": timezone.now(),
    }
    return render(request, "communities/roster.html", context, status=status)


@login_required
def roster(request, slug):
    return _roster_page(request, policies.community_for_managing(request, slug=slug))


@login_required
def roster_export(request, slug):
    community = policies.community_for_managing(request, slug=slug)
    memberships = community.memberships.select_related("community", "user__organization").order_by(
        "state", "user__last_name"
    )
    return roster_csv(memberships, f"{community.slug}-roster.csv")


@login_required
@require_POST
@rate_limited("invite")
def roster_invite(request, slug):
    community = policies.community_for_managing(request, slug=slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _roster_page(request, community, invite_form=form, status=400)
    result = services.invitations_send(
        community=community,
        by=request.user,
        emails=form.cleaned_data["emails"],
        role=form.cleaned_data["role"],
        message=form.cleaned_data["message"],
        language=form.cleaned_data["language"],
    )
    sent = len(result["invited"]) + len(result["renewed"])
    if sent:
        messages.success(
            request,
            ngettext("%(count)d invitation was sent.", "%(count)d invitations were sent.", sent)
            % {"count": sent},
        )
    if result["members"]:
        messages.info(
            request,
            _("Already members, not invited: %(addresses)s")
            % {"addresses": ", ".join(result["members"])},
        )
    return redirect("communities:roster", slug=community.slug)


@login_required
@require_POST
def roster_decide(request, slug, pk):
    community = policies.community_for_managing(request, slug=slug)
    membership = get_object_or_404(Membership, pk=pk, community=community)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    try:
        services.membership_decide(
            membership=membership, by=request.user, approve=approve, note=note
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        name = membership.user.get_full_name() or membership.user.email
        if approve:
            messages.success(request, _("%(name)s is now a member.") % {"name": name})
        else:
            messages.success(request, _("The request of %(name)s was declined.") % {"name": name})
    return redirect("communities:roster", slug=community.slug)


@login_required
@require_POST
def roster_role(request, slug, pk):
    community = policies.community_for_managing(request, slug=slug)
    membership = get_object_or_404(Membership, pk=pk, community=community)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a role from the list."))
        services.membership_change_role(
            membership=membership, by=request.user, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {
                "name": membership.user.get_full_name() or membership.user.email,
                "role": Membership.Role(form.cleaned_data["role"]).label,
            },
        )
    return redirect("communities:roster", slug=community.slug)


@login_required
@require_POST
def roster_core(request, slug, pk):
    """Add a member to the core group or take them out of it (a soft limit: a warning)."""
    community = policies.community_for_managing(request, slug=slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "community"), pk=pk, community=community
    )
    core = request.POST.get("core") == "1"
    try:
        size = services.membership_set_core(membership=membership, by=request.user, core=core)
    except ValidationError as error:
        messages.error(request, first_message(error))
        return redirect("communities:roster", slug=community.slug)
    name = membership.user.get_full_name() or membership.user.email
    if core:
        messages.success(request, _("%(name)s is now in the core group.") % {"name": name})
    else:
        messages.success(request, _("%(name)s is no longer in the core group.") % {"name": name})
    if core and size > Membership.CORE_GROUP_SOFT_LIMIT:
        messages.warning(
            request,
            _(
                "The core group now has %(count)d members, more than the %(limit)d suggested "
                "for intimate working sessions."
            )
            % {"count": size, "limit": Membership.CORE_GROUP_SOFT_LIMIT},
        )
    return redirect("communities:roster", slug=community.slug)


@login_required
def roster_remove(request, slug, pk):
    """A confirmation page, then the removal (with an optional reason kept in the history)."""
    community = policies.community_for_managing(request, slug=slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        pk=pk,
        community=community,
        state=Membership.State.ACTIVE,
    )
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_remove(
                membership=membership, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(
                request,
                _("%(name)s was removed from the community.")
                % {"name": membership.user.get_full_name() or membership.user.email},
            )
        return redirect("communities:roster", slug=community.slug)
    return render(
        request,
        "communities/roster_remove.html",
        {"community": community, "membership": membership, "form": form},
    )


@login_required
@require_POST
def roster_revoke(request, slug, pk):
    community = policies.community_for_managing(request, slug=slug)
    invitation = get_object_or_404(Invitation, pk=pk, community=community)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
        )
    return redirect("communities:roster", slug=community.slug)


# --- Lead tools: the community page and its member organizations --------------------------------


@login_required
def community_edit(request, slug):
    """The page's texts side by side in English and French, its objectives and settings."""
    community = policies.community_for_editing(request, slug=slug)
    form = CommunityPageForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            services.community_page_update(
                community=community,
                by=request.user,
                values=form.page_values(),
                objectives=form.cleaned_data["objectives"],
            )
        except ValidationError as error:
            # The model's own checks (the form already covers them): shown, nothing saved.
            form.add_error(None, error)
        else:
            messages.success(request, _("The community page was saved."))
            return redirect(community)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "communities/community_edit.html",
        {"community": community, "form": form},
        status=status,
    )


def _organizations_page(request, community, *, form=None, status=200):
    links = community.organization_links.select_related("organization")
    member = CommunityOrganization.Role.MEMBER
    return render(
        request,
        "communities/community_organizations.html",
        {
            "community": community,
            "lead_links": [link for link in links if link.role != member],
            "member_links": [link for link in links if link.role == member],
            "form": form or OrganizationAddForm(community=community),
        },
        status=status,
    )


@login_required
def community_organizations(request, slug):
    community = policies.community_for_editing(request, slug=slug)
    if request.method != "POST":
        return _organizations_page(request, community)
    form = OrganizationAddForm(request.POST, community=community)
    if not form.is_valid():
        return _organizations_page(request, community, form=form, status=400)
    try:
        link = services.community_organization_add(
            community=community, by=request.user, organization=form.cleaned_data["organization"]
        )
    except ValidationError as error:
        form.add_error("organization", error)
        return _organizations_page(request, community, form=form, status=400)
    messages.success(
        request,
        _("%(organization)s was added to the member organizations.")
        % {"organization": link.organization.name},
    )
    return redirect("communities:organizations", slug=community.slug)


@login_required
@require_POST
def community_organization_remove(request, slug, pk):
    community = policies.community_for_editing(request, slug=slug)
    link = get_object_or_404(
        CommunityOrganization.objects.select_related("organization", "community"),
        pk=pk,
        community=community,
    )
    try:
        services.community_organization_remove(link=link, by=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            _("%(organization)s was removed from the member organizations.")
            % {"organization": link.organization.name},
        )
    return redirect("communities:organizations", slug=community.slug)
