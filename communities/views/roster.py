"""Lead tools: the roster (members, requests, invitations, roles, the core group)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from communities import policies, services
from communities.exports import roster_csv
from communities.forms import (
    DecisionForm,
    InviteForm,
    RemoveForm,
    RoleForm,
)
from communities.models import Invitation, Membership
from cssp_portal.collation import person_ordering
from cssp_portal.errors import first_message
from cssp_portal.ratelimits import rate_limited

if TYPE_CHECKING:
    pass


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
