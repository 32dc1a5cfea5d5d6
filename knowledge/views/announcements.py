"""A community's announcements: the list, one announcement, and posting, correcting and
deleting one (leads)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communities.policies import can_view_community, community_for_viewing
from knowledge import forms, policies, selectors
from knowledge.services import announcements as services

from .common import apply_errors, community_context


def announcement_list(request, slug):
    community = community_for_viewing(request, slug=slug)
    page = Paginator(selectors.community_announcements(community), 10).get_page(
        request.GET.get("page")
    )
    context = community_context(request, community, "announcements")
    context.update(
        page=page,
        announcements=page.object_list,
        can_post=policies.can_post_announcement(request.user, community),
    )
    return render(request, "knowledge/announcement_list.html", context)


@login_required
def announcement_create(request, slug):
    community = community_for_viewing(request, slug=slug)
    if not policies.can_post_announcement(request.user, community):
        raise PermissionDenied
    managed = selectors.communities_managed_by(request.user)
    form = forms.AnnouncementForm(
        request.POST or None, communities=managed, initial={"communities": [community]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = services.announcement_create(
                by=request.user,
                communities=data["communities"],
                title_en=data["title_en"],
                title_fr=data["title_fr"],
                body_en=data["body_en"],
                body_fr=data["body_fr"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The announcement is published."))
            return redirect(announcement)
    context = community_context(request, community, "announcements")
    context["form"] = form
    return render(request, "knowledge/announcement_form.html", context)


def announcement_detail(request, pk):
    announcement = policies.announcement_for_viewing(request, pk=pk)
    communities = [c for c in announcement.communities.all() if can_view_community(request.user, c)]
    return render(
        request,
        "knowledge/announcement_detail.html",
        {
            "announcement": announcement,
            "community": communities[0],
            "communities": communities,
            "can_edit": policies.can_edit_announcement(request.user, announcement),
            "date_modified": announcement.updated_at,
        },
    )


@login_required
def announcement_edit(request, pk):
    announcement = policies.announcement_for_viewing(request, pk=pk)
    if not policies.can_edit_announcement(request.user, announcement):
        raise PermissionDenied
    initial = {
        name: getattr(announcement, name) for name in ("title_en", "title_fr", "body_en", "body_fr")
    }
    form = forms.AnnouncementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.announcement_update(
                announcement=announcement, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The announcement is updated."))
            return redirect(announcement)
    community = announcement.communities.all()[0]
    context = community_context(request, community, "announcements")
    context.update(form=form, announcement=announcement)
    return render(request, "knowledge/announcement_form.html", context)


@login_required
def announcement_delete(request, pk):
    announcement = policies.announcement_for_viewing(request, pk=pk)
    if not policies.can_edit_announcement(request.user, announcement):
        raise PermissionDenied
    community = announcement.communities.all()[0]
    if request.method == "POST":
        services.announcement_delete(announcement=announcement, by=request.user)
        messages.success(request, _("The announcement was deleted."))
        return redirect("knowledge:announcements", slug=community.slug)
    return render(
        request,
        "knowledge/announcement_delete.html",
        {"announcement": announcement, "community": community},
    )
