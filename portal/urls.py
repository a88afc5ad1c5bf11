"""Top-level URLs: the reader site at /, the curators' admin at /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("literature.api.urls")),
    path("", include("literature.web.urls")),
]

handler404 = "literature.api.errors.not_found"
handler500 = "literature.api.errors.server_error"
