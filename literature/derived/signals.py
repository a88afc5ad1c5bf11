"""Plain ORM saves (a ModelForm of a keyword, a factory in a test, the shell) reach the derived data
through these receivers, each one call into `refresh_derived`. The write functions of
`literature.curation` and the importers call it themselves; inside their `collecting()` blocks these
calls only add to what the block refreshes once at its end."""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from literature.models import (
    Article,
    ArticleConcept,
    ArticleDrug,
    Authorship,
    Drug,
    DrugName,
    Journal,
    Keyword,
    MeshHeading,
    Person,
    PublicationState,
    PublicationType,
)
from literature.search.index import refresh_planner_statistics

from .refresh import refresh_derived


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def article_written(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_derived([instance.pk])


@receiver(post_save, sender=Authorship)
@receiver(post_delete, sender=Authorship)
def authorship_written(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_derived([instance.article_id], mining=False)


@receiver(post_save, sender=MeshHeading)
@receiver(post_delete, sender=MeshHeading)
@receiver(post_save, sender=PublicationType)
@receiver(post_delete, sender=PublicationType)
def indexing_written(sender, instance, raw=False, **kwargs):
    """MeSH descriptors are searched and read by the mention detector and the Fingerprint."""
    if not raw:
        refresh_derived([instance.article_id])


@receiver(m2m_changed, sender=Article.keywords.through)
def keywords_linked(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear", "post_clear"}:
        return
    if not reverse:
        refresh_derived([instance.pk])
    elif action == "pre_clear":  # the keyword's articles are unknown once cleared
        refresh_derived(instance.articles.values_list("pk", flat=True))
    elif pk_set:
        refresh_derived(pk_set)


@receiver(m2m_changed, sender=Article.subject_areas.through)
def subject_areas_linked(sender, action, **kwargs):
    if action.startswith("post_"):
        refresh_derived(index=False, mining=False)


@receiver(post_save, sender=Keyword)
def keyword_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        refresh_derived(instance.articles.values_list("pk", flat=True))


@receiver(post_save, sender=Person)
def person_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        refresh_derived(instance.authorships.values_list("article_id", flat=True), mining=False)


@receiver(post_save, sender=ArticleDrug)
@receiver(post_delete, sender=ArticleDrug)
@receiver(post_save, sender=ArticleConcept)
@receiver(post_save, sender=PublicationState)
@receiver(post_delete, sender=PublicationState)
def counted_link_written(sender, instance, raw=False, **kwargs):
    """Link decisions, hidden concepts and publication dates change what aggregates count, not the text."""
    if not raw:
        refresh_derived(index=False, mining=False)


@receiver(post_save, sender=Journal)
@receiver(post_delete, sender=Journal)
@receiver(post_save, sender=Drug)
@receiver(post_delete, sender=Drug)
@receiver(post_save, sender=DrugName)
@receiver(post_delete, sender=DrugName)
@receiver(post_delete, sender=Keyword)
def named_thing_written(sender, raw=False, **kwargs):
    """Facets and profiles show journal, drug and keyword names."""
    if not raw:
        refresh_derived(index=False, mining=False)


@receiver(post_migrate)
def analyze_after_migrate(sender, using, **kwargs):
    if sender.name == "literature":
        refresh_planner_statistics(using)
