"""Imports uploaded in the admin: the upload, its progress, then what it did."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse

from literature.importers.jobs import progress_of, start_import
from literature.models import (
    ImportJob,
)

IMPORT_OUTCOMES = ["created", "updated", "unchanged", "rejected"]


class ImportUploadForm(forms.ModelForm):
    class Meta:
        model = ImportJob
        fields = ["upload", "curation_state", "skip_invalid"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload and upload.size > limit:
            raise forms.ValidationError(
                f"{upload.name} is {filesizeformat(upload.size)}: more than the limit of {filesizeformat(limit)} "
                "(IMPORT_MAX_UPLOAD_BYTES). Split the file, or import it with `manage.py import_records`."
            )
        return upload


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Upload a file to import it; the page that follows shows its progress, then what it did."""

    form = ImportUploadForm

    list_display = ["original_name", "status", "uploaded_by", "queued", *[f"{o}_count" for o in IMPORT_OUTCOMES]]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["original_name"]
    date_hierarchy = "queued"
    change_form_template = "admin/literature/importjob/change_form.html"
    readonly_fields = ["original_name", "file_size", "uploaded_by", "curation_state", "skip_invalid", "status",
                       "queued", "started", "finished"]  # fmt: skip

    def get_fields(self, request, obj=None):
        return ["upload", "curation_state", "skip_invalid"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a record of what happened; upload the file again to import it again

    @admin.display(description="size")
    def file_size(self, job):
        return filesizeformat(job.size)

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["upload"]
        obj.original_name = Path(upload.name).name[:255]
        obj.size = upload.size
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        # After the upload is committed: a small file imports now, a large one is queued.
        transaction.on_commit(lambda: start_import(obj))

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:literature_importjob_change", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        context = {"job": job}
        if job is not None and job.is_pending:
            context["progress"] = progress_of(job)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_rejected)
        return [
            path("<int:object_id>/rejected/", download, name="literature_importjob_rejected"),
            *super().get_urls(),
        ]

    def download_rejected(self, request, object_id):
        job = self.get_object(request, object_id)
        if job is None or not self.has_view_permission(request, job) or not job.rejected_file:
            raise Http404("No rejected records for this import.")
        name = Path(job.rejected_file.name).name
        return FileResponse(job.rejected_file.open("rb"), as_attachment=True, filename=name)
