"""The register of funded projects and a project's page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from communities.selectors import communities_visible_to
from proposals import exports, policies, selectors
from proposals.forms import ProjectFilterForm
from proposals.models import Project


def project_list(request):
    form = ProjectFilterForm(request.GET or None, **selectors.register_filter_choices(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    criteria = {
        "q": filters.get("q", ""),
        "year": filters.get("year"),
        "status": filters.get("status", ""),
        "community": filters.get("community"),
    }
    if request.GET.get("format") == "csv":
        if not policies.can_export(request.user):
            raise PermissionDenied
        # Members-only communities are named only to those who may see them.
        return exports.projects_csv(
            selectors.project_register(
                **criteria, communities_shown=communities_visible_to(request.user)
            )
        )
    filtered = any(criteria.values())
    return render(
        request,
        "proposals/project_list.html",
        {
            "form": form,
            "projects": selectors.register_entries(
                request.user, selectors.project_register(**criteria) if filtered else None
            ),
            "can_export": policies.can_export(request.user),
            "query": request.GET.urlencode(),
        },
    )


def project_detail(request, slug):
    try:
        project, relations = selectors.project_detail(slug, request.user)
    except Project.DoesNotExist:
        raise Http404 from None
    if not policies.can_view_project(request.user, project):
        raise Http404
    return render(
        request,
        "proposals/project_detail.html",
        {
            "project": project,
            **relations,
            "call_visible": project.call is not None
            and policies.can_view_call(request.user, project.call),
            "date_modified": project.updated_at,
        },
    )
