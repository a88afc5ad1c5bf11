"""Merging duplicates without losing anything: keywords (case and spelling variants) into one, and
two records of the same article into one. Links move to the record kept, the old addresses redirect
to it, and each merge is recorded in the history."""

from django.db import transaction

from literature.curation.articles import save_article
from literature.derived import collecting, refresh_derived
from literature.models import (
    Accession,
    Article,
    ArticleConcept,
    ArticleRedirect,
    ArticleSource,
    ImportedRecord,
    Keyword,
    KeywordRedirect,
    LinkStatus,
)


@transaction.atomic
def merge_keywords(kept, others):
    """Move the articles of `others` to `kept`, redirect their slugs to it and delete them. Returns the
    number of articles that gained the kept keyword."""
    through = Article.keywords.through
    others = [other for other in others if other.pk != kept.pk]
    affected = set(through.objects.filter(keyword__in=others).values_list("article_id", flat=True))
    already = set(through.objects.filter(keyword=kept, article_id__in=affected).values_list("article_id", flat=True))
    through.objects.bulk_create([through(article_id=pk, keyword_id=kept.pk) for pk in sorted(affected - already)])
    for other in others:
        KeywordRedirect.objects.filter(keyword=other).update(keyword=kept)
        KeywordRedirect.objects.update_or_create(old_slug=other.slug, defaults={"keyword": kept})
        if other.mesh_id and not kept.mesh_id:
            kept.mesh_id = other.mesh_id
    names = ", ".join(f"“{other.name}”" for other in others)
    for other in others:
        other._change_reason = f"Merged into “{kept.name}”."
        other.delete()
    kept._change_reason = f"Merged {names} into this keyword."
    kept.save()
    # At once, not after commit: the merge's own page shows the articles with their new Fingerprints.
    refresh_derived(affected, mine_now=True)
    return len(affected - already)


def keyword_for_slug(slug):
    """The keyword with this slug, or the one a merged keyword's slug now redirects to, or None."""
    return Keyword.objects.filter(slug=slug).first() or Keyword.objects.filter(redirects__old_slug=slug).first()


# Fields a merge fills in on the kept article when it lacks them (identifiers included).
FILLED_FIELDS = [
    "subtitle", "abstract", "language", "journal", "volume", "issue", "first_page", "last_page",
    "article_number", "page_count", "doi", "pmid", "pmcid",
]  # fmt: skip
STATUS_STRENGTH = {LinkStatus.SUGGESTED: 0, LinkStatus.REJECTED: 1, LinkStatus.CONFIRMED: 2}


# Fields a curator may take from the merged article whatever the kept one has (the side-by-side view):
# the filled fields, the title and the classification; "authors" takes its author list whole.
CHOOSABLE_FIELDS = ["title", *FILLED_FIELDS, "category", "output_type", "peer_reviewed"]


# Lists a curator may take from either record or join (the default): keywords and subject areas.
JOINABLE_LISTS = {"keywords": Article.keywords, "subject_areas": Article.subject_areas}
LIST_CHOICES = ("both", "kept", "other")


@transaction.atomic
def merge_articles(kept, other, take=(), lists=None):
    """Merge `other` into `kept`: empty fields filled, authors, references, MeSH headings and publication
    types (each if kept has none),
    keywords, subject areas, drug links (a curator's decision beats a suggestion), publication history
    and provenance moved; other's page redirects to kept's; other deleted. Both steps are in the history.
    `take`: names of CHOOSABLE_FIELDS (and "authors") whose value comes from `other` even where kept has one.
    `lists`: {"keywords" or "subject_areas": "both" (joined, the default), "kept" (kept's only) or "other"
    (other's only)}."""
    unknown = set(take) - {*CHOOSABLE_FIELDS, "authors"}
    if unknown:
        raise ValueError(f"Not fields a merge can take: {', '.join(sorted(unknown))}.")
    lists = dict.fromkeys(JOINABLE_LISTS, "both") | dict(lists or {})
    wrong = {name for name, choice in lists.items() if name not in JOINABLE_LISTS or choice not in LIST_CHOICES}
    if wrong:
        raise ValueError(
            f"Lists a merge joins or takes from one side: {', '.join(JOINABLE_LISTS)}; "
            f"each 'both', 'kept' or 'other', not {', '.join(sorted(wrong))}."
        )
    kept = Article.objects.select_for_update().get(pk=kept.pk)
    other = Article.objects.select_for_update().get(pk=other.pk)
    filled = {
        name: getattr(other, name)
        for name in FILLED_FIELDS
        if _empty(getattr(kept, name)) and not _empty(getattr(other, name))
    }
    taken = {
        name: getattr(other, name) for name in take if name != "authors" and getattr(other, name) != getattr(kept, name)
    }
    filled.update(taken)

    if "authors" in take and other.authorships.exists():
        kept.authorships.all().delete()
        other.authorships.update(article=kept)
        filled["authors"] = None
    elif not kept.authorships.exists():
        other.authorships.update(article=kept)
    # A reference list, MeSH indexing, list of publication types or of relations (errata, retractions) is
    # taken whole, as an import takes it.
    for whole_list in ("references", "mesh_headings", "publication_types", "relations"):
        if not getattr(kept, whole_list).exists():
            getattr(other, whole_list).update(article=kept)
    for name, relation in JOINABLE_LISTS.items():
        through = relation.through
        column = "keyword_id" if relation is Article.keywords else "subjectarea_id"
        if lists[name] == "kept":
            continue
        if lists[name] == "other":
            through.objects.filter(article_id=kept.pk).delete()
            filled[name] = None
        have = set(through.objects.filter(article_id=kept.pk).values_list(column, flat=True))
        moved = through.objects.filter(article_id=other.pk).exclude(**{f"{column}__in": have})
        through.objects.bulk_create(
            [through(article_id=kept.pk, **{column: value}) for value in moved.values_list(column, flat=True)]
        )
    links = {link.drug_id: link for link in kept.drug_links.all()}
    for link in other.drug_links.all():
        mine = links.get(link.drug_id)
        if mine is None:
            link.article = kept
            link._change_reason = f"Moved from merged article {other.pk}."
            link.save()
        elif STATUS_STRENGTH[link.status] > STATUS_STRENGTH[mine.status]:
            mine.status, mine.source, mine.evidence = link.status, link.source, link.evidence or mine.evidence
            mine._change_reason = f"Decision taken from merged article {other.pk}."
            mine.save()
    statuses = set(kept.publication_states.values_list("status", flat=True))
    other.publication_states.exclude(status__in=statuses).update(article=kept)
    if not hasattr(kept, "import_source") and hasattr(other, "import_source"):
        ArticleSource.objects.filter(article=other).update(article=kept)
    # The records read into either are the kept one now: read again, they find it (as by identifier).
    ImportedRecord.objects.filter(article=other).update(article=kept)
    Accession.objects.filter(article=other).update(article=kept)
    ArticleConcept.objects.filter(article=other, hidden=True).exclude(
        concept__in=kept.concepts.values("concept")
    ).update(article=kept)
    ArticleRedirect.objects.filter(article=other).update(article=kept)
    ArticleRedirect.objects.create(old_id=other.pk, article=kept)

    other_id = other.pk
    other._change_reason = f"Merged into article {kept.pk}."
    other.delete()  # after its identifiers, which kept may take, are gone
    for name, value in filled.items():
        if name not in ("authors", *JOINABLE_LISTS):
            setattr(kept, name, value)
    kept._change_reason = (
        f"Merged article {other_id} into this one" + (f" (taken from it: {', '.join(filled)})" if filled else "") + "."
    )
    with collecting():
        save_article(kept)
        refresh_derived([kept.pk], mine_now=True)
    return kept


def _empty(value):
    return value in ("", None)


def article_for_id(pk):
    """The article with this id, or the one an article merged away now redirects to, or None."""
    return Article.objects.filter(pk=pk).first() or Article.objects.filter(redirects__old_id=pk).first()
