"""Top-level URLs: the reader site at /, the curators' admin at /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("literature.urls")),
]
