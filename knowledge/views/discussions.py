"""A community's discussions: threads and their messages, replies, following, moderation
(pin, lock, hide, move, share) and reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.models import Community
from communities.policies import can_manage_community, community_for_viewing
from cssp_portal.fragments import content_digest
from cssp_portal.params import id_or_none
from cssp_portal.ratelimits import rate_limited
from knowledge import forms, policies, selectors
from knowledge.services import discussions as services
from knowledge.services.follows import follow_set

from .common import apply_errors, community_context


def thread_list(request, slug):
    community = community_for_viewing(request, slug=slug)
    context = community_context(request, community, "discussions")
    if context["can_read_discussions"]:
        moderator = context["can_manage"]
        threads = selectors.thread_pages(community, include_hidden=moderator, per_page=25)
        page = Paginator(threads, 25).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        context.update(
            page=page,
            threads=shown,
            threads_version=_threads_version(shown),
            can_start=policies.can_start_thread(request.user, community),
            report_count=selectors.open_report_count(community) if moderator else 0,
        )
    return render(request, "knowledge/thread_list.html", context)


def _threads_version(threads) -> str:
    """A digest of what the list shows of each thread (thread_list.html keeps the rendered
    entries under it, with the community and the language). A thread's address is its key and
    the language's prefix, both in the fragment's key: it is not reversed for the digest (25
    URL reversals cost about a millisecond on every page of the list)."""
    return content_digest(
        (
            thread.pk,
            thread.title,
            thread.pinned,
            thread.locked,
            thread.hidden_at,
            str(thread.author) if thread.author else None,
            thread.created_at,
            thread.reply_count,
            thread.last_activity_at,
            thread.community_id,
            thread.community.name,
        )
        for thread in threads
    )


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
            apply_errors(form, error)
        else:
            messages.success(request, _("Your discussion is started."))
            return redirect(thread)
    context = community_context(request, community, "discussions")
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
            apply_errors(form, error)
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
    follow_set(user=request.user, thread=thread, following=following)
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
            apply_errors(form, error)
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
            apply_errors(form, error)
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
    context = community_context(request, community, "discussions")
    context["reports"] = selectors.open_reports(community)
    return render(request, "knowledge/report_list.html", context)


@login_required
@require_POST
def report_resolve(request, pk):
    report = policies.report_for_resolving(request, pk=pk)
    services.report_resolve(report=report, by=request.user)
    messages.success(request, _("The report is closed; the message stays visible."))
    return redirect("knowledge:reports", slug=report.post.thread.community.slug)
