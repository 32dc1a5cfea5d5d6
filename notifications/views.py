from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cssp_portal.collation import order_by_name
from cssp_portal.params import id_or_none

from . import centre as centre_module
from . import kinds, policies, services, tokens
from .forms import PreferencesForm
from .models import DigestSchedule


@login_required
def preferences(request):
    user = request.user
    schedule = DigestSchedule.objects.filter(user=user).first() or DigestSchedule(user=user)
    form = PreferencesForm(
        request.POST or None,
        communities=order_by_name(kinds.followed_communities(user), "name"),
        preferences=user.notification_preferences.all(),
        schedule=schedule,
    )
    if request.method == "POST" and form.is_valid():
        general, per_community = form.choices()
        schedule.hour = form.cleaned_data["hour"]
        schedule.weekday = form.cleaned_data["weekday"]
        schedule.time_zone = form.cleaned_data["time_zone"]
        services.preferences_save(
            user=user, general=general, per_community=per_community, schedule=schedule
        )
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notifications:preferences")
    locked = [kind for kind in kinds.KINDS.values() if kind.locked]
    return render(request, "notifications/preferences.html", {"form": form, "locked_kinds": locked})


# The token is the credential: no session, so no CSRF to protect, and mail clients POST here
# on their own for RFC 8058 one-click unsubscribe.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user_id, kind_code = tokens.read_unsubscribe_token(token) or (None, "")
    targets = kinds.unsubscribable(kind_code)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not targets:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    context = {
        "kinds": targets,
        "email": user.email,
        "all_kinds": kind_code == kinds.ALL_OPTIONAL,
    }
    if request.method == "POST":
        services.preferences_unsubscribe(user=user, kind_code=kind_code)
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe_confirm.html", context)


# --- The notification centre ------------------------------------------------------------------

NOTIFICATIONS_PER_PAGE = 25


@login_required
def centre(request):
    """The member's notifications, newest first, in the page's language, read or not."""
    rows = policies.notifications_visible_to(request).order_by("-created_at", "-pk")
    page = Paginator(rows.values_list("pk", flat=True), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # A page is found from the index, then its rows read with what their summaries show:
    # the object each is about (one query per kind of object) and its community.
    ids = list(page.object_list)
    by_pk = (
        policies.notifications_visible_to(request)
        .filter(pk__in=ids)
        .select_related("community")
        .in_bulk()
    )
    notifications = [by_pk[pk] for pk in ids if pk in by_pk]
    centre_module.attach_about(notifications)
    return render(
        request,
        "notifications/centre.html",
        {
            "page": page,
            "items": centre_module.centre_items(notifications),
            "unread": rows.filter(read_at__isnull=True).count(),
        },
    )


@login_required
@require_POST
def mark_read(request, pk):
    notification = policies.notification_for_reading(request, pk=pk)
    centre_module.notifications_mark_read(user=request.user, ids=[notification.pk])
    messages.success(request, _("The notification is marked as read."))
    return redirect(_back_to_centre(request))


@login_required
@require_POST
def mark_all_read(request):
    changed = centre_module.notifications_mark_read(user=request.user)
    if changed:
        messages.success(
            request,
            ngettext(
                "%(count)s notification is marked as read.",
                "%(count)s notifications are marked as read.",
                changed,
            )
            % {"count": changed},
        )
    else:
        messages.info(request, _("You have no unread notification."))
    return redirect(_back_to_centre(request))


def _back_to_centre(request) -> str:
    """The centre's page the form was on (?page= kept when it is a number)."""
    target = reverse("notifications:centre")
    page = id_or_none(request.POST.get("page"))
    return f"{target}?page={page}" if page and page > 1 else target
