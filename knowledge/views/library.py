"""A community's resource library: folders, documents and links, their versions, downloads
and the log of Protected downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.policies import community_for_viewing
from cssp_portal.params import id_or_none
from cssp_portal.uploads import download_response
from knowledge import forms, policies, selectors
from knowledge.models import Folder, Resource, ResourceVersion
from knowledge.services import library as services
from knowledge.services.follows import follow_set

from .common import apply_errors, community_context


def library(request, slug):
    community = community_for_viewing(request, slug=slug)
    context = community_context(request, community, "library")
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
    context = community_context(request, community, "library")
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
            apply_errors(form, error)
        else:
            messages.success(request, _("The folder is created."))
            return redirect(folder)
    context = community_context(request, community, "library")
    context.update(form=form, parent=parent)
    return render(request, "knowledge/folder_form.html", context)


def folder_detail(request, pk):
    folder = policies.folder_for_viewing(request, pk=pk)
    community = folder.community
    context = community_context(request, community, "library")
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
    follow_set(user=request.user, folder=folder, following=following)
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
            apply_errors(form, error)
        else:
            messages.success(request, _("The resource is added."))
            return redirect(resource)
    context = community_context(request, folder.community, "library")
    context.update(form=form, folder=folder)
    return render(request, "knowledge/resource_form.html", context)


def resource_detail(request, pk):
    resource = policies.resource_for_viewing(request, pk=pk)
    context = community_context(request, resource.folder.community, "library")
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
            apply_errors(form, error)
        else:
            messages.success(request, _("The resource is updated."))
            return redirect(resource)
    context = community_context(request, resource.folder.community, "library")
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
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)s is uploaded.") % {"number": version.number}
            )
            return redirect(resource)
    context = community_context(request, resource.folder.community, "library")
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
