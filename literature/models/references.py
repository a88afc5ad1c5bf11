"""Citation links: the works an article cites, as its source record lists them (PubMed's ReferenceList).

A reference names the cited work by PMID, DOI or PMC id; it is resolved to an article of the portal
when it is read, by those identifiers, never stored as a link: so a reference imported before the
work it cites is found the moment that work arrives, and nothing has to be kept in step."""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Lower

from .visibility import public_article_model


def attach_cited_by_counts(articles):
    """Set each article's `cited_by_count` (see citing_counts); returns the articles, as a list."""
    articles = list(articles)
    counts = Reference.objects.citing_counts(articles) if articles else {}
    for article in articles:
        article.cited_by_count = counts[article.pk]
    return articles


class ReferenceQuerySet(models.QuerySet):
    def with_cited_article(self):
        """Each reference's `cited_article_id`: the public article of the portal it names, or None."""
        articles = public_article_model().annotate(doi_lower=Lower("doi"))
        cited = articles.filter(Q(pmid=OuterRef("pmid")) | Q(doi_lower=OuterRef("doi"), doi_lower__gt=""))
        return self.annotate(cited_article_id=Subquery(cited.order_by("pk").values("pk")[:1]))

    def naming(self, articles):
        """References that cite any of `articles` (model instances), by their PMID or DOI."""
        pmids = {article.pmid for article in articles if article.pmid}
        dois = {article.doi.lower() for article in articles if article.doi}
        if not pmids and not dois:
            return self.none()
        # `doi <> ''` spelled as the DOI index's own condition, so that SQLite may use that partial index
        # (it cannot prove `doi IN (...)` implies it) and search both indexes, not scan every reference.
        return self.filter(Q(pmid__in=pmids) | (Q(doi__in=dois) & ~Q(doi="")))

    def from_public_articles(self):
        # A correlated EXISTS, not a join: with a join SQLite may drive from the articles and probe the
        # references of every public one (180 ms at 1M for a page's counts, most pages citing nothing);
        # this way the PMID and DOI indexes drive and each reference found checks its own article.
        return self.filter(Exists(public_article_model().filter(pk=OuterRef("article_id"))))

    def citing_counts(self, articles):
        """{article id: how many other public articles cite it} for these articles, in one query.
        Counted per page of results, not annotated on the query: a subquery per row would be run for
        every match of a search before it is sorted and cut to a page."""
        by_pmid = {article.pmid: article.pk for article in articles if article.pmid}
        by_doi = {article.doi.lower(): article.pk for article in articles if article.doi}
        citing = {article.pk: set() for article in articles}
        for citing_id, pmid, doi in (
            self.from_public_articles().naming(articles).order_by().values_list("article_id", "pmid", "doi")
        ):
            for cited in {by_pmid.get(pmid), by_doi.get(doi)} - {None, citing_id}:
                citing[cited].add(citing_id)
        return {pk: len(ids) for pk, ids in citing.items()}


class Reference(models.Model):
    # Looked up through the composite index that begins with this column (a unique one or Meta.indexes):
    # an index of its own would only slow every insert.
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="references", db_index=False)
    position = models.PositiveIntegerField(help_text="1 for the first reference of the list.")
    citation = models.TextField(blank=True, help_text="The reference as the source gives it.")
    pmid = models.PositiveIntegerField("PubMed id", null=True, blank=True)
    doi = models.CharField("DOI", max_length=255, blank=True, help_text="Lower-cased: DOIs ignore case.")
    pmcid = models.CharField("PMC id", max_length=20, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="reference_unique_position"),
            models.CheckConstraint(condition=Q(doi=Lower("doi")), name="reference_doi_lower_case"),
        ]
        indexes = [
            # "Cited by": the references naming an article's PMID or DOI.
            models.Index(fields=["pmid"], name="reference_pmid_idx", condition=Q(pmid__isnull=False)),
            models.Index(fields=["doi"], name="reference_doi_idx", condition=~Q(doi="")),
        ]

    def __str__(self):
        return self.citation or self.doi or f"PMID {self.pmid}"
