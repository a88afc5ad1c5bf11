"""JSON shapes of the API. Reads nest what a script needs (an article's authors in order, journal,
keywords, subject areas, drug links); writes take ids and run the models' own validation (full_clean),
exactly as the admin does."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from literature.api.flat import Links, article_document
from literature.curation.articles import save_article
from literature.curation.drugs import save_drug, save_drug_link
from literature.curation.governance import DecisionRefused
from literature.models import (
    Article,
    ArticleDrug,
    ArticleRelation,
    Drug,
    Journal,
    Keyword,
    Person,
    PublicationState,
    PublicationStatus,
    Reference,
    SubjectArea,
    attach_cited_by_counts,
)
from literature.values.limits import check_author_count


class ModelValidationMixin:
    """Runs Model.full_clean on the instance as it would be saved, so the API refuses exactly what
    the admin refuses (constraints included), with the same messages, per field."""

    model_validation_exclude = ()

    def build_standard_field(self, field_name, model_field):
        # The model's own validators run in full_clean, after the field has normalised the value
        # (a DOI given as https://doi.org/... is valid); run here, they would see the raw input.
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        own = set(map(id, model_field.validators)) - set(map(id, type(model_field).default_validators))
        if "validators" in field_kwargs:
            field_kwargs["validators"] = [v for v in field_kwargs["validators"] if id(v) not in own]
        return field_class, field_kwargs

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = (
            model(**{f.attname: getattr(self.instance, f.attname) for f in model._meta.concrete_fields})
            if self.instance
            else model()
        )
        instance._state.adding = self.instance is None
        for name, value in attrs.items():
            field = next((f for f in model._meta.concrete_fields if f.name == name), None)
            if field is not None:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=list(self.model_validation_exclude))
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {("non_field_errors" if k == "__all__" else k): v for k, v in error.message_dict.items()}
            ) from None
        return attrs


@contextmanager
def refused_as_error(field):
    """A decision the governance rules refuse (nothing written) as a 400 naming the field to fill."""
    try:
        yield
    except DecisionRefused as refused:
        raise serializers.ValidationError({field: refused.messages}) from None


class LinkedSerializer(serializers.ModelSerializer):
    html_url = serializers.SerializerMethodField(help_text="The record's public page.")

    def get_html_url(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


# Summaries, nested in other resources ----------------------------------------------------------------


class JournalSummarySerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = Journal
        fields = ["id", "url", "title", "issn_print", "issn_electronic"]
        extra_kwargs = {"url": {"view_name": "api:journal-detail"}}


class SimilarArticleSerializer(LinkedSerializer):
    """An article whose Fingerprint overlaps most with another's (the article page's "Similar articles")."""

    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    full_title = serializers.CharField(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "url", "html_url", "full_title", "publication_year"]


class PersonSummarySerializer(serializers.HyperlinkedModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "url", "name", "family_name", "given_names", "collective_name", "orcid"]
        extra_kwargs = {"url": {"view_name": "api:person-detail"}}


class KeywordSummarySerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = Keyword
        fields = ["id", "url", "name", "slug", "mesh_id"]
        extra_kwargs = {"url": {"view_name": "api:keyword-detail", "lookup_field": "slug"}}


class SubjectAreaSummarySerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = SubjectArea
        fields = ["code", "url", "name"]
        extra_kwargs = {"url": {"view_name": "api:subjectarea-detail", "lookup_field": "code"}}


class DrugSummarySerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = Drug
        fields = ["id", "url", "name", "slug"]
        extra_kwargs = {"url": {"view_name": "api:drug-detail", "lookup_field": "slug"}}


class MentionSerializer(serializers.Serializer):
    """One drug name found in the article's text, with the drug it names and that drug's link to the
    article (for readers only a confirmed one: suggestions and rejections are the curators')."""

    field = serializers.ChoiceField(choices=["title", "abstract"], help_text="The passage the name stands in.")
    start = serializers.IntegerField(help_text="Offset of its first character in the passage's text.")
    end = serializers.IntegerField(help_text="Offset just past its last character.")
    text = serializers.CharField(help_text="The name as written: passage[start:end].")
    drug = DrugSummarySerializer()
    link_status = serializers.CharField(
        allow_null=True, help_text="confirmed, suggested or rejected; null when the article has no link to the drug."
    )


class MentionsSerializer(serializers.Serializer):
    passages = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text="The plain text of the title and of the abstract, as the mention detector reads them.",
    )
    mentions = MentionSerializer(many=True)


class AuthorshipSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True)
    person = PersonSummarySerializer(read_only=True)
    affiliation = serializers.CharField(read_only=True)
    is_corresponding = serializers.BooleanField(read_only=True)


class PublicationStateSerializer(serializers.ModelSerializer):
    date = serializers.SerializerMethodField(help_text="ISO 8601 at the precision known: 2012, 2012-10, 2012-03-09.")

    class Meta:
        model = PublicationState
        fields = ["status", "year", "month", "day", "as_given", "date"]

    def get_date(self, state) -> str | None:
        return state.date.isoformat() if state.date else None

    def validate(self, attrs):
        PublicationState(**attrs).clean()
        return attrs


class ArticleDrugInArticleSerializer(serializers.HyperlinkedModelSerializer):
    drug = DrugSummarySerializer(read_only=True)

    class Meta:
        model = ArticleDrug
        fields = ["id", "url", "drug", "status", "source", "evidence", "mention_count"]
        extra_kwargs = {"url": {"view_name": "api:articledrug-detail"}}


class ReferenceSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    citation = serializers.CharField(help_text="The reference as the source record gives it.")
    pmid = serializers.IntegerField(allow_null=True)
    doi = serializers.CharField(help_text="Lower-cased.")
    pmcid = serializers.CharField()
    article = serializers.SerializerMethodField(help_text="The cited work when it is an article of this portal.")

    def get_article(self, reference) -> str | None:
        if reference.cited_article_id is None:
            return None
        return reverse("api:article-detail", args=[reference.cited_article_id], request=self.context.get("request"))


class MeshQualifierSerializer(serializers.Serializer):
    name = serializers.CharField()
    ui = serializers.CharField(help_text="Q000188; empty where the source gave none (MEDLINE text).")
    major_topic = serializers.BooleanField()


class MeshHeadingSerializer(serializers.Serializer):
    descriptor = serializers.CharField()
    descriptor_ui = serializers.CharField(help_text="D009101; empty where the source gave none (MEDLINE text).")
    major_topic = serializers.BooleanField(help_text="The descriptor or one of its qualifiers is a main point.")
    qualifiers = MeshQualifierSerializer(many=True)


class PublicationTypeSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="As PubMed names it: Review, Randomized Controlled Trial…")
    ui = serializers.CharField()


class ArticleRelationSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="PubMed's RefType: RetractionIn, ErratumIn, CommentOn…")
    kind_label = serializers.CharField(source="get_kind_display", help_text="e.g. Retraction in")
    citation = serializers.CharField(help_text="The other article as the source names it.")
    pmid = serializers.IntegerField(allow_null=True, help_text="The other article's PubMed id.")
    article = serializers.SerializerMethodField(help_text="The other article when it is an article of this portal.")

    def get_article(self, relation) -> str | None:
        if relation.related_article_id is None:
            return None
        return reverse("api:article-detail", args=[relation.related_article_id], request=self.context.get("request"))


class FingerprintConceptSerializer(serializers.Serializer):
    concept = serializers.IntegerField(source="concept_id", help_text="Filter articles by it: ?concept=ID.")
    name = serializers.CharField(source="concept.name")
    category = serializers.CharField(source="concept.get_kind_display")
    weight = serializers.FloatField(help_text="0-100: the article's top concept is 100.")


# Resources ----------------------------------------------------------------------------------------------


class ArticleListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        # How often each article is cited, counted for the whole page at once.
        return super().to_representation(attach_cited_by_counts(data))


class ArticleSerializer(ModelValidationMixin, LinkedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    full_title = serializers.CharField(read_only=True)
    output_line = serializers.CharField(
        read_only=True, help_text="e.g. Contribution to journal > Article > peer-review"
    )
    language_name = serializers.CharField(read_only=True)
    number_of_pages = serializers.IntegerField(read_only=True, allow_null=True)
    publication_date = serializers.SerializerMethodField(help_text="ISO 8601 at the precision known.")
    change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Why the change is made, kept in the article's history; required to withdraw the article.",
    )
    publication_status = serializers.ChoiceField(
        choices=PublicationStatus.choices,
        allow_blank=True,
        read_only=True,
        help_text="The latest status of the publication history; empty while the article has none.",
    )
    publication_status_line = serializers.CharField(read_only=True, help_text="e.g. Published - Oct 2012")

    journal = JournalSummarySerializer(read_only=True, allow_null=True)
    authors = AuthorshipSerializer(many=True, read_only=True, source="ordered_authorships")
    keywords = KeywordSummarySerializer(many=True, read_only=True)
    subject_areas = SubjectAreaSummarySerializer(many=True, read_only=True)
    drug_links = serializers.SerializerMethodField()
    publication_history = PublicationStateSerializer(many=True, required=False, source="publication_states")
    fingerprint = serializers.SerializerMethodField(help_text="Weighted research concepts, best first.")
    references = ReferenceSerializer(many=True, read_only=True, help_text="The works it cites, in order.")
    mesh_headings = MeshHeadingSerializer(many=True, read_only=True, help_text="NLM's MeSH indexing, in order.")
    publication_types = PublicationTypeSerializer(many=True, read_only=True, help_text="PubMed's, in order.")
    relations = ArticleRelationSerializer(
        many=True, read_only=True, help_text="Errata, retractions, expressions of concern and comments, both ways."
    )
    cited_by_count = serializers.IntegerField(read_only=True, help_text="Public articles of the portal citing it.")
    cited_by_url = serializers.SerializerMethodField(help_text="Those articles: the list filtered by ?cites=.")

    journal_id = serializers.PrimaryKeyRelatedField(
        source="journal", queryset=Journal.objects.all(), write_only=True, required=False, allow_null=True
    )
    author_ids = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, write_only=True, required=False, help_text="People, in author order."
    )
    keyword_ids = serializers.PrimaryKeyRelatedField(
        source="keywords", queryset=Keyword.objects.all(), many=True, write_only=True, required=False
    )
    subject_area_codes = serializers.SlugRelatedField(
        source="subject_areas",
        slug_field="code",
        queryset=SubjectArea.objects.fields(),
        many=True,
        write_only=True,
        required=False,
        help_text="Four-digit ASJC codes.",
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "html_url",
            "title",
            "subtitle",
            "full_title",
            "abstract",
            "category",
            "output_type",
            "peer_reviewed",
            "output_line",
            "language",
            "language_name",
            "journal",
            "journal_id",
            "volume",
            "issue",
            "first_page",
            "last_page",
            "article_number",
            "page_count",
            "number_of_pages",
            "publication_status",
            "publication_date",
            "publication_status_line",
            "publication_history",
            "doi",
            "pmid",
            "pmcid",
            "authors",
            "author_ids",
            "keywords",
            "keyword_ids",
            "subject_areas",
            "subject_area_codes",
            "drug_links",
            "fingerprint",
            "references",
            "mesh_headings",
            "publication_types",
            "relations",
            "cited_by_count",
            "cited_by_url",
            "curation_state",
            "change_reason",
            "created",
            "modified",
        ]
        read_only_fields = ["publication_status", "created", "modified"]
        list_serializer_class = ArticleListSerializer

    def to_representation(self, article):
        if not hasattr(article, "cited_by_count"):  # one article, not a page of them
            attach_cited_by_counts([article])
        # Written out flat (api/flat.py): the declared fields below document the shape and the schema.
        links = self.context.setdefault("flat_links", Links(self.context.get("request")))
        return article_document(article, links)

    def declared_representation(self, article, all_links=False):
        """The document as the declared fields make it, from model instances read one relation at a time
        (tests compare it with the flat one)."""
        prefetch_related_objects(
            [article],
            Prefetch("references", queryset=Reference.objects.with_cited_article().order_by("position")),
            Prefetch("relations", queryset=ArticleRelation.objects.with_related_article().order_by("position")),
            Prefetch("publication_states", queryset=PublicationState.objects.order_by("pk")),
        )
        links = ArticleDrug.objects.filter(article=article).select_related("drug").order_by("drug__name", "pk")
        article.declared_drug_links = links if all_links else links.confirmed()
        article.declared_fingerprint = (
            article.concepts.shown().select_related("concept").order_by("-weight", "concept_id")
        )
        return super().to_representation(article)

    def get_publication_date(self, article) -> str | None:
        return article.publication_date.isoformat() if article.publication_date else None

    def get_cited_by_url(self, article) -> str:
        url = reverse("api:article-list", request=self.context.get("request"))
        return f"{url}?cites={article.pk}"

    @extend_schema_field(ArticleDrugInArticleSerializer(many=True))
    def get_drug_links(self, article):
        return ArticleDrugInArticleSerializer(article.declared_drug_links, many=True, context=self.context).data

    @extend_schema_field(FingerprintConceptSerializer(many=True))
    def get_fingerprint(self, article):
        return FingerprintConceptSerializer(article.declared_fingerprint, many=True).data

    def validate_author_ids(self, people):
        try:
            check_author_count(len(people))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return people

    def validate_publication_history(self, states):
        statuses = [state["status"] for state in states]
        if len(statuses) != len(set(statuses)):
            raise serializers.ValidationError("Each publication status may appear once.")
        return states

    def create(self, validated_data):
        return self._save(Article(), validated_data)

    def update(self, article, validated_data):
        return self._save(article, validated_data)

    def _save(self, article, data):
        parts = {
            "keywords": data.pop("keywords", None),
            "subject_areas": data.pop("subject_areas", None),
            "authors": data.pop("author_ids", None),
            "publication_history": data.pop("publication_states", None),
        }
        reason = data.pop("change_reason", None)
        for name, value in data.items():
            setattr(article, name, value)
        with refused_as_error("change_reason"):
            save_article(article, **parts, user=getattr(self.context.get("request"), "user", None), reason=reason)
        return Article.objects.for_api(all_links=True).get(pk=article.pk)  # only curators write


class JournalSerializer(ModelValidationMixin, LinkedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:journal-detail")

    class Meta:
        model = Journal
        fields = [
            "id",
            "url",
            "html_url",
            "title",
            "iso_abbreviation",
            "issn_print",
            "issn_electronic",
            "publisher",
            "created",
            "modified",
        ]


class PersonSerializer(ModelValidationMixin, LinkedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "family_name",
            "given_names",
            "collective_name",
            "orcid",
            "created",
            "modified",
        ]


class KeywordSerializer(ModelValidationMixin, LinkedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:keyword-detail", lookup_field="slug")

    class Meta:
        model = Keyword
        fields = ["id", "url", "html_url", "name", "slug", "mesh_id", "created", "modified"]
        extra_kwargs = {"slug": {"required": False}}


class SubjectAreaSerializer(LinkedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:subjectarea-detail", lookup_field="code")
    parent = SubjectAreaSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = SubjectArea
        fields = ["code", "url", "html_url", "name", "branch", "parent"]


class DrugSerializer(ModelValidationMixin, LinkedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:drug-detail", lookup_field="slug")
    synonyms = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    brand_names = serializers.ListField(child=serializers.CharField(max_length=300), required=False)

    class Meta:
        model = Drug
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "slug",
            "drug_class",
            "atc_codes",
            "drugbank_id",
            "mesh_id",
            "pubchem_cid",
            "chebi_id",
            "inchikey",
            "cas_number",
            "unii",
            "description",
            "synonyms",
            "brand_names",
            "created",
            "modified",
        ]
        extra_kwargs = {"slug": {"required": False}}

    def create(self, validated_data):
        return self._save(Drug(), validated_data)

    def update(self, drug, validated_data):
        return self._save(drug, validated_data)

    def _save(self, drug, data):
        names = {"synonyms": data.pop("synonyms", None), "brand_names": data.pop("brand_names", None)}
        for name, value in data.items():
            setattr(drug, name, value)
        save_drug(drug, **names)
        return Drug.objects.prefetch_related("names").get(pk=drug.pk)


class ArticleDrugSerializer(ModelValidationMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:articledrug-detail")
    article = serializers.HyperlinkedRelatedField(view_name="api:article-detail", read_only=True)
    article_id = serializers.PrimaryKeyRelatedField(source="article", queryset=Article.objects.all(), write_only=True)
    drug = DrugSummarySerializer(read_only=True)
    drug_id = serializers.PrimaryKeyRelatedField(source="drug", queryset=Drug.objects.all(), write_only=True)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Why the link is written, kept in its history; required to reject it.",
    )

    class Meta:
        model = ArticleDrug
        fields = [
            "id",
            "url",
            "article",
            "article_id",
            "drug",
            "drug_id",
            "status",
            "source",
            "evidence",
            "mention_count",
            "reason",
            "created",
            "modified",
        ]

    def create(self, validated_data):
        reason = validated_data.pop("reason", None)
        with refused_as_error("reason"):
            return save_drug_link(ArticleDrug(**validated_data), reason)

    def update(self, link, validated_data):
        reason = validated_data.pop("reason", None)
        for name, value in validated_data.items():
            setattr(link, name, value)
        with refused_as_error("reason"):
            return save_drug_link(link, reason)
