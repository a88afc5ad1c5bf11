"""The API's endpoints: DRF viewsets on the same models, querysets and FilterSet as the reader site."""

import hashlib
import json

from django.db import transaction
from django.db.models import Prefetch, Q
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from literature.filters import ArticleFilterSet
from literature.models import (
    Article,
    ArticleDrug,
    CurationState,
    Drug,
    Journal,
    Keyword,
    LinkStatus,
    Person,
    SubjectArea,
)

from . import serializers
from .errors import PreconditionFailed

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag of the record as you read it; a stale one gets 412 and changes nothing.",
)


def sees_everything(request, model):
    """Curators (with the view permission) see drafts and rejected links; everyone else the public record."""
    user = request.user
    return user.is_authenticated and user.has_perm(f"literature.view_{model._meta.model_name}")


class ConditionalWriteMixin:
    """Optimistic locking: GET returns an ETag; PUT, PATCH and DELETE with an If-Match that no longer
    matches get 412 Precondition Failed and change nothing."""

    @staticmethod
    def etag_of(data):
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]
        return f'"{digest}"'

    def etag(self, instance):
        return self.etag_of(self.get_serializer(instance).data)

    def check_if_match(self, instance):
        header = self.request.headers.get("If-Match")
        if not header or header.strip() == "*":
            return
        offered = {tag.strip().removeprefix("W/") for tag in header.split(",")}
        if self.etag(instance) not in offered:
            raise PreconditionFailed()

    def get_object(self):
        obj = super().get_object()
        if self.request.method not in permissions.SAFE_METHODS:
            self.check_if_match(obj)
        return obj

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = self.etag_of(response.data)
        return response

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().update(request, *args, **kwargs)
        response["ETag"] = self.etag_of(response.data)
        return response

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def get_queryset(self):
        queryset = self.base_queryset()
        if self.request.method not in permissions.SAFE_METHODS:
            # Read and written under one row lock, so two writers cannot both pass the If-Match check.
            queryset = queryset.select_for_update(of=("self",))
        return queryset


class PortalViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]


ETAG_DOCS = {
    "update": extend_schema(parameters=[IF_MATCH]),
    "partial_update": extend_schema(parameters=[IF_MATCH]),
    "destroy": extend_schema(parameters=[IF_MATCH]),
}


@extend_schema_view(
    list=extend_schema(description="Articles, filtered with the same parameters as the search page."), **ETAG_DOCS
)
class ArticleViewSet(PortalViewSet):
    serializer_class = serializers.ArticleSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ArticleFilterSet

    def base_queryset(self):
        everything = sees_everything(self.request, Article)
        articles = Article.objects.all() if everything else Article.objects.public()
        links = ArticleDrug.objects.select_related("drug").order_by("drug__name")
        if not everything:
            links = links.filter(status=LinkStatus.CONFIRMED)
        return articles.for_listing().prefetch_related(
            "keywords",
            "subject_areas",
            "publication_states",
            Prefetch("drug_links", queryset=links, to_attr="api_drug_links"),
        )


@extend_schema_view(**ETAG_DOCS)
class JournalViewSet(PortalViewSet):
    serializer_class = serializers.JournalSerializer

    def base_queryset(self):
        return Journal.objects.order_by("title", "pk")


@extend_schema_view(**ETAG_DOCS)
class PersonViewSet(PortalViewSet):
    serializer_class = serializers.PersonSerializer

    def base_queryset(self):
        return Person.objects.order_by("family_name", "given_names", "collective_name", "pk")


@extend_schema_view(**ETAG_DOCS)
class KeywordViewSet(PortalViewSet):
    serializer_class = serializers.KeywordSerializer
    lookup_field = "slug"

    def base_queryset(self):
        return Keyword.objects.order_by("name", "pk")


@extend_schema_view(**ETAG_DOCS)
class DrugViewSet(PortalViewSet):
    serializer_class = serializers.DrugSerializer
    lookup_field = "slug"

    def base_queryset(self):
        return Drug.objects.prefetch_related("names").order_by("name", "pk")


class SubjectAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The ASJC classification: reference data, read-only."""

    serializer_class = serializers.SubjectAreaSerializer
    lookup_field = "code"
    throttle_classes = [AnonRateThrottle, UserRateThrottle]
    queryset = SubjectArea.objects.select_related("parent").order_by("code")


@extend_schema_view(**ETAG_DOCS)
class ArticleDrugViewSet(PortalViewSet):
    serializer_class = serializers.ArticleDrugSerializer

    def base_queryset(self):
        links = ArticleDrug.objects.select_related("drug").order_by("pk")
        if sees_everything(self.request, ArticleDrug):
            return links
        return links.filter(Q(status=LinkStatus.CONFIRMED) & Q(article__curation_state=CurationState.APPROVED))
