"""Top-level URLs: the reader site at /, the curators' admin at /admin/, the API at /api/, the
OAI-PMH endpoint for harvesters at /oai/."""

from django.contrib import admin
from django.urls import include, path

from literature.oai.views import oai_pmh

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("literature.api.urls")),
    path("oai/", oai_pmh, name="oai"),
    path("", include("literature.web.urls")),
]

handler404 = "literature.api.errors.not_found"
handler500 = "literature.api.errors.server_error"
