"""The API's endpoints: DRF viewsets on the same models, querysets and FilterSet as the reader site."""

import hashlib
import json

from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from literature.api import serializers
from literature.api.errors import PreconditionFailed, PreconditionRequired
from literature.api.renderers import EXPORT_RENDERERS, ExportRenderer
from literature.citations import csl
from literature.citations.exports import EXPORTS, batches, export_response
from literature.curation.drugs import delete_drug_link
from literature.mining.fingerprint import cached_similar_articles
from literature.mining.mentions import mentions_in
from literature.models import (
    Article,
    ArticleDrug,
    Drug,
    Journal,
    Keyword,
    LinkStatus,
    Person,
    SubjectArea,
)
from literature.search.facets import APPROXIMATE, FACET_NAMES, facet_counts
from literature.search.filters import ArticleFilterSet, with_identifier
from literature.search.ranking import in_rank_window

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as you read it (a stale one gets 412 and changes nothing; none gets 428). "
    "`*` writes over whatever is there.",
)


def _media_param(media_type, name):
    for part in (media_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip('"')
    return None


def sees_everything(request, model):
    """Curators (with the view permission) see drafts and rejected links; everyone else the public record."""
    user = request.user
    return user.is_authenticated and user.has_perm(f"literature.view_{model._meta.model_name}")


class ConditionalWriteMixin:
    """Optimistic locking: GET returns an ETag; PUT, PATCH and DELETE must send it back in If-Match
    (428 Precondition Required without one); one that no longer matches gets 412 Precondition Failed
    and changes nothing. A write without it would silently overwrite another curator's newer change."""

    @staticmethod
    def etag_of(data):
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]
        return f'"{digest}"'

    def etag(self, instance):
        return self.etag_of(self.get_serializer(instance).data)

    def check_if_match(self, instance):
        header = self.request.headers.get("If-Match", "").strip()
        if not header:
            raise PreconditionRequired()
        if header == "*":
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


PAGINATION_PARAMETERS = {"page", "page_size", "cursor"}
PUBLIC_MAX_AGE = 60  # seconds a shared cache may keep an anonymous read: as long as cached aggregates may be stale


class PortalBehaviour:
    """What every endpoint does the same way: query parameters it does not know are refused (400, with
    the accepted ones) instead of silently ignored (`?doi=` on a resource without that filter returned
    everything); list pages carry `Link` headers; public reads may be kept by shared caches, a
    curator's (drafts included) only by the curator's own client."""

    extra_parameters = {"list": set(), "retrieve": set()}

    def accepted_parameters(self):
        accepted = {"format"} | self.extra_parameters.get(self.action, set())
        if self.action == "list":
            accepted |= PAGINATION_PARAMETERS
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                accepted |= set(filterset_class.base_filters)
        return accepted

    def check_parameters(self, request):
        accepted = self.accepted_parameters()
        unknown = sorted(set(request.query_params) - accepted)
        if unknown:
            message = f"not a parameter of this operation; the accepted ones are: {', '.join(sorted(accepted))}."
            raise exceptions.ValidationError({name: [message] for name in unknown})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_parameters(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if isinstance(data, dict) and ("next" in data or "previous" in data):
            links = [
                f'<{data[key]}>; rel="{rel}"' for key, rel in (("next", "next"), ("previous", "prev")) if data.get(key)
            ]
            if links:
                response["Link"] = ", ".join(links)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            patch_vary_headers(response, ["Authorization", "Cookie"])
        return response


class PortalViewSet(PortalBehaviour, ConditionalWriteMixin, viewsets.ModelViewSet):
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:  # DRF's answer to a ?format= this resource does not offer: say so instead
            wanted = request.query_params.get("format", "")
            offered = ", ".join(sorted({renderer.format for renderer in self.get_renderers()}))
            raise exceptions.NotAcceptable(f"format={wanted} is not offered here: use one of {offered}.") from None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Decided before anything is written: a write answers in JSON only (an export format has no
        # room for the written record or its errors), so ?format=ris on a POST is refused, not applied.
        if request.method not in permissions.SAFE_METHODS and request.accepted_renderer.format != "json":
            raise exceptions.NotAcceptable(
                f"Writes answer in JSON only: drop format={request.accepted_renderer.format} (nothing was written)."
            )


ETAG_DOCS = {
    "update": extend_schema(parameters=[IF_MATCH]),
    "partial_update": extend_schema(parameters=[IF_MATCH]),
    "destroy": extend_schema(parameters=[IF_MATCH]),
}


@extend_schema_view(
    list=extend_schema(
        description="Articles, filtered with the same parameters as the search page. With a citation format "
        "(Accept: application/x-bibtex, application/x-research-info-systems, "
        "application/vnd.citationstyles.csl+json, text/csv, text/x-bibliography; style=NAME; or ?format=) "
        "every result of the filters is streamed, not one page.",
        parameters=[
            OpenApiParameter(
                "group_by",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=FACET_NAMES,
                description="Also count the results by this field, under every other filter (the numbers of "
                "the search page's facets): `group_by` in the response lists {key, key_display_name, count}, "
                "the most frequent first (years newest first; journals, drugs, keywords, subjects, MeSH headings, "
                "publication types and authors: the top 10).",
            )
        ],
    ),
    **ETAG_DOCS,
)
class ArticleViewSet(PortalViewSet):
    serializer_class = serializers.ArticleSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ArticleFilterSet
    renderer_classes = [JSONRenderer, *EXPORT_RENDERERS]
    extra_parameters = {"list": {"style", "group_by"}, "retrieve": {"style"}}
    # An article by id, or by an identifier as OpenAlex takes them: doi:10.3109/..., pmid:22443165, pmcid:PMC3531190.
    lookup_value_regex = r"\d+|doi:.+|pmid:\d+|pmcid:(?:PMC|pmc)?\d+"

    def get_object(self):
        scheme, _, value = self.kwargs["pk"].partition(":")
        if value:
            pk = with_identifier(self.base_queryset(), scheme, value).values_list("pk", flat=True).first()
            if pk is None:
                raise NotFound(f"No article with {scheme} {value}.")
            self.kwargs["pk"] = str(pk)
        return super().get_object()

    def list(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        if isinstance(renderer, ExportRenderer):
            articles = self.filter_queryset(self.base_queryset())
            if renderer.export == "bibliography":
                return self.bibliography(articles)
            return export_response(articles, EXPORTS[renderer.export], self.page_url)
        group_by = request.query_params.get("group_by")
        if group_by is not None and group_by not in FACET_NAMES:
            message = f"{group_by[:40]!r} cannot be grouped by: use one of {', '.join(FACET_NAMES)}."
            raise exceptions.ValidationError({"group_by": [message]})
        response = super().list(request, *args, **kwargs)
        if getattr(self, "rank_window", None):
            response.data["ranked_within"] = self.rank_window
        if group_by:
            response.data["group_by"], response.data["group_by_approximate"] = self.groups(group_by)
        return response

    def filter_queryset(self, queryset):
        # DjangoFilterBackend's work, with the filterset kept: the rank window below reads its search.
        backend = filters.DjangoFilterBackend()
        self.filterset = backend.get_filterset(self.request, queryset, self)
        if not self.filterset.is_valid():
            raise translate_validation(self.filterset.errors)
        return self.filterset.qs

    def paginate_queryset(self, queryset):
        """Numbered pages are read as the search page reads them: from the filterset's `listed()` (a drug
        or keyword in a large share of the corpus walked newest first), and a plain search by relevance
        ranked among its newest RANK_WINDOW matches (search/ranking.py: scoring 800,000 matches of a
        common word costs most of a second); the count is of every result (`queryset`). A cursor walks
        every result, in id order."""
        self.rank_window = None
        if self.action == "list" and "cursor" not in self.request.query_params:
            listed, self.rank_window = in_rank_window(self.filterset, self.filterset.listed())
            listed.counted_as = queryset  # what CachedCountPaginator counts
            # ...and its pages: ids cached per query and corpus version, the rows read again by id.
            listed.rows_of = lambda ids: self.base_queryset().filter(pk__in=ids)
            queryset = listed
        return super().paginate_queryset(queryset)

    @extend_schema(
        responses=serializers.SimilarArticleSerializer(many=True),
        description="The public articles whose Fingerprints overlap most with this one's (cosine of the concept "
        'weights; the article page\'s "Similar articles"), most similar first, at most five.',
    )
    @action(detail=True, renderer_classes=[JSONRenderer], pagination_class=None, filter_backends=[])
    def similar(self, request, pk=None):
        article = self.get_object()
        found = cached_similar_articles(article)
        return Response(serializers.SimilarArticleSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(
        responses=serializers.MentionsSerializer,
        description="Every drug name the mention detector finds in the article's title and abstract, with "
        "offsets into their plain text (given too), the drug each names and its link to the article: the "
        "evidence behind the drug links, as text-mining annotation services give it. Readers see a link's "
        "status only when it is confirmed.",
    )
    @action(detail=True, renderer_classes=[JSONRenderer], pagination_class=None, filter_backends=[])
    def mentions(self, request, pk=None):
        article = self.get_object()
        passages, mentions = mentions_in(article)
        named = {drug_id for mention in mentions for drug_id in mention.drug_ids}
        drugs = Drug.objects.in_bulk(named) if named else {}
        statuses = dict(article.drug_links.filter(drug_id__in=named).values_list("drug_id", "status")) if named else {}
        if not sees_everything(request, Article):
            statuses = {pk: status for pk, status in statuses.items() if status == LinkStatus.CONFIRMED}
        rows = [
            {
                "field": mention.field,
                "start": mention.start,
                "end": mention.end,
                "text": mention.text,
                "drug": drugs[drug_id],
                "link_status": statuses.get(drug_id),
            }
            for mention in mentions
            for drug_id in mention.drug_ids
        ]
        data = {"passages": passages, "mentions": rows}
        return Response(serializers.MentionsSerializer(data, context={"request": request}).data)

    def groups(self, name):
        """The counts of one field under every other filter (the numbers of the search page's facet), and
        whether they are estimates from a sample of more than 20,000 results (search/sampling.py)."""
        everything = sees_everything(self.request, Article)
        # The list's own filterset (filter_queryset): validated, its search worked out once.
        counts = facet_counts(self.filterset, self.filterset.queryset, audience="curators" if everything else "public")
        groups = [
            {"key": str(value), "key_display_name": str(label), "count": count} for value, label, count in counts[name]
        ]
        return groups, name in counts.get(APPROXIMATE, ())

    def retrieve(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        if isinstance(renderer, ExportRenderer):
            article = self.get_object()
            if renderer.export == "bibliography":
                return self.bibliography(Article.objects.filter(pk=article.pk))
            return export_response(
                Article.objects.filter(pk=article.pk),
                EXPORTS[renderer.export],
                self.page_url,
                filename=csl.citation_key(article),
            )
        return super().retrieve(request, *args, **kwargs)

    def page_url(self, article):
        return self.request.build_absolute_uri(article.get_absolute_url())

    def bibliography(self, articles):
        style = (
            self.request.query_params.get("style") or _media_param(self.request.accepted_media_type, "style") or "apa"
        )
        if not csl.style_exists(style):
            raise NotFound(
                f"No CSL style named {style[:80]!r}: use a file name of the Citation Style Language repository "
                "without .csl, e.g. apa, nature, chicago-author-date."
            )
        entries = (csl.render(a, style, html=False) for batch in batches(articles) for a in batch)
        response = StreamingHttpResponse(
            (entry + "\n" for entry in entries), content_type="text/x-bibliography; charset=utf-8"
        )
        return response

    def base_queryset(self):
        everything = sees_everything(self.request, Article)
        articles = Article.objects.all() if everything else Article.objects.public()
        if self.action == "similar":  # only its id and Fingerprint are read
            return articles.only("pk")
        if self.action == "mentions":  # only its text is read
            return articles.only("pk", "title", "subtitle", "abstract")
        return articles.for_api(all_links=everything)


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


class SubjectAreaViewSet(PortalBehaviour, viewsets.ReadOnlyModelViewSet):
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
        return links.public()

    def perform_destroy(self, link):
        delete_drug_link(link)
