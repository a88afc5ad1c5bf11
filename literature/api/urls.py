"""/api/v1/ and the OpenAPI schema with its documentation page."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from literature.api import views
from literature.api.errors import not_found as not_found_view

app_name = "api"

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("drugs", views.DrugViewSet, basename="drug")
router.register("keywords", views.KeywordViewSet, basename="keyword")
router.register("journals", views.JournalViewSet, basename="journal")
router.register("people", views.PersonViewSet, basename="person")
router.register("subject-areas", views.SubjectAreaViewSet, basename="subjectarea")
router.register("article-drugs", views.ArticleDrugViewSet, basename="articledrug")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's script is a file (the split view), but the UI it builds sets styles inline.
    path(
        "docs/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    # Anything else under /api/ is a JSON 404, whatever DEBUG says.
    re_path(r"^.*$", not_found_view, name="not-found"),
]
