from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communities.selectors import communities_followed_by

from . import kinds, services, tokens
from .forms import PreferencesForm
from .models import DigestSchedule


@login_required
def preferences(request):
    user = request.user
    schedule = DigestSchedule.objects.filter(user=user).first() or DigestSchedule(user=user)
    form = PreferencesForm(
        request.POST or None,
        communities=communities_followed_by(user).order_by("name"),
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
