from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.models import Community
from communities.policies import can_manage_community, can_view_community, community_for_viewing
from communities.selectors import communities_visible_to
from cssp_portal.collation import order_by_name
from cssp_portal.params import id_or_none
from cssp_portal.ratelimits import rate_limited
from cssp_portal.uploads import download_response
from knowledge import forms, policies, selectors, services
from knowledge.models import Folder, Resource, ResourceVersion
from portal import search


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _community_context(request, community, section: str) -> dict:
    return {
        "community": community,
        "section": section,
        "can_read_discussions": policies.can_read_discussions(request.user, community),
        "can_manage": can_manage_community(request.user, community),
    }


# --- Announcements -------------------------------------------------------------------------


def announcement_list(request, slug):
    community = community_for_viewing(request, slug=slug)
    page = Paginator(selectors.community_announcements(community), 10).get_page(
        request.GET.get("page")
    )
    context = _community_context(request, community, "announcements")
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("The announcement is published."))
            return redirect(announcement)
    context = _community_context(request, community, "announcements")
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("The announcement is updated."))
            return redirect(announcement)
    community = announcement.communities.all()[0]
    context = _community_context(request, community, "announcements")
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


# --- Discussions ---------------------------------------------------------------------------


def thread_list(request, slug):
    community = community_for_viewing(request, slug=slug)
    context = _community_context(request, community, "discussions")
    if context["can_read_discussions"]:
        moderator = context["can_manage"]
        threads = selectors.community_threads(community, include_hidden=moderator)
        page = Paginator(threads, 25).get_page(request.GET.get("page"))
        context.update(
            page=page,
            threads=page.object_list,
            can_start=policies.can_start_thread(request.user, community),
            report_count=selectors.open_report_count(community) if moderator else 0,
        )
    return render(request, "knowledge/thread_list.html", context)


@login_required
@rate_limited("post")
def thread_create(request, slug):
    community = community_for_viewing(request, slug=slug)
    if not policies.can_start_thread(request.user, community):
        raise PermissionDenied
    form = forms.ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                community=community, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your discussion is started."))
            return redirect(thread)
    context = _community_context(request, community, "discussions")
    context["form"] = form
    return render(request, "knowledge/thread_form.html", context)


def _thread_page(request, thread, *, reply_form=None, status=200):
    moderator = policies.can_moderate_thread(request.user, thread)
    posts = list(selectors.thread_posts(thread, include_hidden=moderator))
    user = request.user
    can_reply = policies.can_reply(user, thread)
    for post in posts:
        post.can_report = user.is_authenticated and post.author_id != user.pk and not post.is_hidden
        # policies.can_edit_post, with can_reply decided once for the whole page.
        post.can_edit = can_reply and post.author_id == user.pk and not post.is_hidden
    context = {
        "thread": thread,
        "community": thread.community,
        "posts": posts,
        "can_reply": can_reply,
        "can_moderate": moderator,
        "is_following": selectors.is_following(user, thread=thread),
        "can_follow": policies.can_follow_thread(user, thread),
        "reply_form": reply_form or forms.ReplyForm(),
    }
    return render(request, "knowledge/thread_detail.html", context, status=status)


def thread_detail(request, pk):
    return _thread_page(request, policies.thread_for_viewing(request, pk=pk))


@login_required
@require_POST
@rate_limited("post")
def thread_reply(request, pk):
    thread = policies.thread_for_viewing(request, pk=pk)
    if not policies.can_reply(request.user, thread):
        raise PermissionDenied
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.thread_reply(thread=thread, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect(post)
    return _thread_page(request, thread, reply_form=form, status=400)


MODERATION = {
    "pin": (services.thread_set_pinned, "pinned", True, _("The discussion is pinned.")),
    "unpin": (services.thread_set_pinned, "pinned", False, _("The discussion is unpinned.")),
    "lock": (services.thread_set_locked, "locked", True, _("The discussion is locked.")),
    "unlock": (services.thread_set_locked, "locked", False, _("The discussion is unlocked.")),
    "hide": (services.thread_set_hidden, "hidden", True, _("The discussion is hidden.")),
    "unhide": (services.thread_set_hidden, "hidden", False, _("The discussion is visible again.")),
}


@login_required
@require_POST
def thread_moderate(request, pk):
    thread = policies.thread_for_viewing(request, pk=pk)
    if not policies.can_moderate_thread(request.user, thread):
        raise PermissionDenied
    action = MODERATION.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    service, argument, value, message = action
    service(thread=thread, by=request.user, **{argument: value})
    messages.success(request, message)
    return redirect(thread)


@login_required
def thread_move(request, pk):
    thread = policies.thread_for_viewing(request, pk=pk)
    if not policies.can_moderate_thread(request.user, thread):
        raise PermissionDenied
    targets = selectors.communities_managed_by(request.user).exclude(pk=thread.community_id)
    form = forms.CommunityChoiceForm(
        request.POST or None, queryset=targets, multiple=False, label=_("Move to")
    )
    if request.method == "POST" and form.is_valid():
        services.thread_move(thread=thread, by=request.user, to=form.cleaned_data["community"])
        messages.success(request, _("The discussion was moved."))
        return redirect(thread)
    return render(
        request,
        "knowledge/thread_choose_community.html",
        {"thread": thread, "community": thread.community, "form": form, "action": "move"},
    )


@login_required
def thread_share(request, pk):
    thread = policies.thread_for_viewing(request, pk=pk)
    if not policies.can_moderate_thread(request.user, thread):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("unshare"):
        other = Community.objects.filter(pk=id_or_none(request.POST["unshare"])).first()
        if other is None:
            raise Http404
        services.thread_unshare(thread=thread, by=request.user, community=other)
        messages.success(request, _("The discussion is no longer shared with that community."))
        return redirect(thread)
    targets = (
        selectors.communities_participated_by(request.user)
        .exclude(pk=thread.community_id)
        .exclude(pk__in=[c.pk for c in thread.shared_with.all()])
    )
    form = forms.CommunityChoiceForm(
        request.POST or None, queryset=targets, multiple=True, label=_("Share with")
    )
    if request.method == "POST" and form.is_valid():
        services.thread_share(
            thread=thread, by=request.user, communities=form.cleaned_data["communities"]
        )
        messages.success(request, _("The discussion is shared."))
        return redirect(thread)
    return render(
        request,
        "knowledge/thread_choose_community.html",
        {"thread": thread, "community": thread.community, "form": form, "action": "share"},
    )


@login_required
@require_POST
def thread_follow(request, pk):
    thread = policies.thread_for_viewing(request, pk=pk)
    following = request.POST.get("follow") == "1"
    services.follow_set(user=request.user, thread=thread, following=following)
    if following:
        messages.success(request, _("You follow this discussion: new replies reach you by email."))
    else:
        messages.success(request, _("You no longer follow this discussion."))
    return redirect(thread)


@login_required
@require_POST
def post_hide(request, pk):
    post = policies.post_for_viewing(request, pk=pk)
    if not policies.can_moderate_thread(request.user, post.thread):
        raise PermissionDenied
    hidden = request.POST.get("hidden") == "1"
    try:
        services.post_set_hidden(post=post, by=request.user, hidden=hidden)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("The message is hidden.") if hidden else _("The message is visible again.")
        )
    if request.POST.get("next") == "reports":
        return redirect("knowledge:reports", slug=post.thread.community.slug)
    return redirect(post.thread)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = policies.post_for_viewing(request, pk=pk)
    if not policies.can_edit_post(request.user, post):
        raise PermissionDenied
    form = forms.PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_edit(post=post, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your message is updated."))
            return redirect(post)
    return render(
        request,
        "knowledge/post_edit.html",
        {"post": post, "thread": post.thread, "community": post.thread.community, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@rate_limited("report")
def post_report(request, pk):
    post = policies.post_for_viewing(request, pk=pk)
    if not policies.can_report_post(request.user, post):
        raise PermissionDenied
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. The community’s leads will look at it."))
            return redirect(post.thread)
    return render(
        request,
        "knowledge/post_report.html",
        {"post": post, "thread": post.thread, "community": post.thread.community, "form": form},
    )


@login_required
def report_list(request, slug):
    community = community_for_viewing(request, slug=slug)
    if not can_manage_community(request.user, community):
        raise PermissionDenied
    context = _community_context(request, community, "discussions")
    context["reports"] = selectors.open_reports(community)
    return render(request, "knowledge/report_list.html", context)


@login_required
@require_POST
def report_resolve(request, pk):
    report = policies.report_for_resolving(request, pk=pk)
    services.report_resolve(report=report, by=request.user)
    messages.success(request, _("The report is closed; the message stays visible."))
    return redirect("knowledge:reports", slug=report.post.thread.community.slug)


# --- Library -------------------------------------------------------------------------------


def library(request, slug):
    community = community_for_viewing(request, slug=slug)
    context = _community_context(request, community, "library")
    context.update(
        folders=selectors.folder_children(community),
        can_manage_library=policies.can_manage_library(request.user, community),
        can_view_download_log=policies.can_view_download_log(request.user, community),
    )
    return render(request, "knowledge/library.html", context)


@login_required
def download_log(request, slug):
    """Who downloaded which Protected file of the community, and when (leads, co-leads and
    administrators)."""
    community = policies.community_for_download_log(request, slug=slug)
    page = Paginator(selectors.protected_downloads(community), 50).get_page(request.GET.get("page"))
    context = _community_context(request, community, "library")
    context.update(page=page, downloads=page.object_list)
    return render(request, "knowledge/download_log.html", context)


@login_required
def folder_create(request, slug):
    community = community_for_viewing(request, slug=slug)
    if not policies.can_manage_library(request.user, community):
        raise PermissionDenied
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        parent = Folder.objects.filter(
            pk=id_or_none(request.GET.get("parent") or request.POST.get("parent")),
            community=community,
        ).first()
        if parent is None:
            raise Http404
    form = forms.FolderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            folder = services.folder_create(
                community=community, by=request.user, parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The folder is created."))
            return redirect(folder)
    context = _community_context(request, community, "library")
    context.update(form=form, parent=parent)
    return render(request, "knowledge/folder_form.html", context)


def folder_detail(request, pk):
    folder = policies.folder_for_viewing(request, pk=pk)
    community = folder.community
    context = _community_context(request, community, "library")
    context.update(
        folder=folder,
        ancestors=folder.ancestors(),
        folders=selectors.folder_children(folder),
        resources=selectors.folder_resources(request.user, folder),
        can_add=policies.can_add_resource(request.user, folder),
        can_manage_library=policies.can_manage_library(request.user, community),
        can_follow=policies.can_follow_folder(request.user, folder),
        is_following=selectors.is_following(request.user, folder=folder),
    )
    return render(request, "knowledge/folder_detail.html", context)


@login_required
@require_POST
def folder_follow(request, pk):
    folder = policies.folder_for_viewing(request, pk=pk)
    following = request.POST.get("follow") == "1"
    services.follow_set(user=request.user, folder=folder, following=following)
    if following:
        messages.success(request, _("You follow this folder: new resources reach you by email."))
    else:
        messages.success(request, _("You no longer follow this folder."))
    return redirect(folder)


@login_required
def resource_create(request, pk):
    folder = policies.folder_for_viewing(request, pk=pk)
    if not policies.can_add_resource(request.user, folder):
        raise PermissionDenied
    form = forms.ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.resource_create(
                folder=folder,
                by=request.user,
                kind=data["kind"],
                title_en=data["title_en"],
                title_fr=data["title_fr"],
                description_en=data["description_en"],
                description_fr=data["description_fr"],
                sensitivity=data["sensitivity"],
                visibility=data["visibility"],
                url=data["url"],
                upload=data.get("file"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The resource is added."))
            return redirect(resource)
    context = _community_context(request, folder.community, "library")
    context.update(form=form, folder=folder)
    return render(request, "knowledge/resource_form.html", context)


def resource_detail(request, pk):
    resource = policies.resource_for_viewing(request, pk=pk)
    context = _community_context(request, resource.folder.community, "library")
    context.update(
        resource=resource,
        folder=resource.folder,
        ancestors=[*resource.folder.ancestors(), resource.folder],
        versions=selectors.resource_versions(resource),
        can_edit=policies.can_edit_resource(request.user, resource),
        date_modified=resource.updated_at,
    )
    return render(request, "knowledge/resource_detail.html", context)


@login_required
def resource_edit(request, pk):
    resource = policies.resource_for_viewing(request, pk=pk)
    if not policies.can_edit_resource(request.user, resource):
        raise PermissionDenied
    names = (
        "title_en", "title_fr", "description_en", "description_fr", "url", "sensitivity",
        "visibility",
    )  # fmt: skip
    initial = {name: getattr(resource, name) for name in names}
    form = forms.ResourceForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in names}
        if resource.kind != Resource.Kind.LINK:
            data.pop("url")
        try:
            services.resource_update(resource=resource, by=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The resource is updated."))
            return redirect(resource)
    context = _community_context(request, resource.folder.community, "library")
    context.update(form=form, folder=resource.folder, resource=resource)
    return render(request, "knowledge/resource_form.html", context)


@login_required
def version_create(request, pk):
    resource = policies.resource_for_viewing(request, pk=pk)
    if not policies.can_edit_resource(request.user, resource) or resource.kind != "document":
        raise PermissionDenied
    form = forms.VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.resource_add_version(
                resource=resource,
                by=request.user,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)s is uploaded.") % {"number": version.number}
            )
            return redirect(resource)
    context = _community_context(request, resource.folder.community, "library")
    context.update(form=form, resource=resource, folder=resource.folder)
    return render(request, "knowledge/version_form.html", context)


def _download(request, resource: Resource, version: ResourceVersion):
    if resource.is_protected:
        # Recorded before the file is served; only a signed-in member can get this far.
        services.protected_download_record(resource=resource, version=version, by=request.user)
    public = (
        resource.visibility == Resource.Visibility.PUBLIC and resource.folder.community.is_public
    )
    return download_response(
        version.file,
        filename=version.original_name,
        content_type=version.content_type,
        public=public,
    )


def resource_download(request, pk):
    """The current version of a document, after the same check as its page (404 otherwise)."""
    resource = policies.resource_for_viewing(request, pk=pk)
    if not policies.can_download(request.user, resource) or resource.current_version is None:
        raise Http404
    return _download(request, resource, resource.current_version)


def version_download(request, pk, number):
    resource = policies.resource_for_viewing(request, pk=pk)
    if not policies.can_download(request.user, resource):
        raise Http404
    version = get_object_or_404(ResourceVersion, resource=resource, number=number)
    return _download(request, resource, version)


# --- Search --------------------------------------------------------------------------------


def search_page(request):
    communities = order_by_name(communities_visible_to(request.user).active(), "name")
    form = forms.SearchForm(request.GET or None, communities=communities)
    hits, counts, page, query = [], {}, None, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        hits, counts = search.search(
            request.user,
            query,
            types=form.cleaned_data["type"] or None,
            community=form.cleaned_data["community"],
        )
        page = Paginator(hits, 20).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "hits": page.object_list if page else [],
            "total": len(hits),
            "counts": [(code, search.TYPES[code], n) for code, n in counts.items()],
            "querystring": querystring.urlencode(),
        },
    )
