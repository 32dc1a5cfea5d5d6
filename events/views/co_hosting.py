"""The leads of an asked community answer the requests to co-host an event."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cssp_portal.errors import first_message
from cssp_portal.params import id_or_none
from events import policies
from events.models import CoHosting
from events.services.co_hosting import co_hosting_answer

CO_HOSTINGS_PER_PAGE = 25


@login_required
def co_hosting_list(request):
    """The requests to co-host sent to the communities the person leads: those awaiting an
    answer first, then the events they co-host, then the past answers."""
    order = {CoHosting.State.REQUESTED: 0, CoHosting.State.ACCEPTED: 1}
    rows = (
        policies.co_hostings_answerable_by(request)
        .select_related("event__community", "community")
        .annotate(
            rank=models.Case(
                *[models.When(state=state, then=models.Value(n)) for state, n in order.items()],
                default=models.Value(2),
            )
        )
        .order_by("rank", "-requested_at", "-pk")
    )
    page = Paginator(rows, CO_HOSTINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/co_hosting_list.html", {"page": page})


@login_required
def co_hosting(request, pk):
    """One request to co-host: what the event is and who asks, and the answers its state
    allows (accept or decline a request, withdraw from an accepted one)."""
    co_hosting = policies.co_hosting_for_answering(request, pk=id_or_none(pk) or 0)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            co_hosting_answer(co_hosting=co_hosting, by=request.user, decision=decision)
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, CO_HOSTING_DONE[decision]())
        return redirect(co_hosting)
    return render(
        request,
        "events/co_hosting.html",
        {
            "co_hosting": co_hosting,
            "event": co_hosting.event,
            "decisions": co_hosting.allowed_decisions(),
        },
    )


CO_HOSTING_DONE = {
    "accept": lambda: _("Your community now co-hosts this event."),
    "decline": lambda: _("You declined to co-host this event."),
    "withdraw": lambda: _("Your community no longer co-hosts this event."),
}
