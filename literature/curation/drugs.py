"""Drugs and their links to articles: saving a drug with its names; deciding which drugs an article
discusses: a curator confirms or rejects suggested links (one by one or in bulk, with history), or
writes a link through the API. A rejected link is never suggested again;
a confirmed one stays whatever the detector finds later (mining/mentions.py keeps to both).

A decision changes the article's public record (its drugs, its sets for harvesters), so each one also
moves the article's `modified`: the datestamp OAI-PMH harvesters ask for changes since."""

from django.db import transaction
from django.utils import timezone

from literature.derived import refresh_derived
from literature.models import Article, DrugName, LinkStatus

from .history import set_with_history


def decide_drug_links(links, status, user, reason=None):
    """Set these links (an ArticleDrug queryset) to `status`, those not in it already; returns them."""
    status = LinkStatus(status)
    reason = reason or f"Link status set to {status.label} (bulk action)."
    with transaction.atomic():
        changed = set_with_history(links, user, reason, lambda link: link.article_id, status=status)
        _record_changed({link.article_id for link in changed})
    return changed


@transaction.atomic
def save_drug_link(link):
    """A link written whole (the API's create and update): validated by the caller, saved with history."""
    link.save()
    _record_changed([link.article_id])
    refresh_derived([link.article_id], index=False, mining=False)
    return link


@transaction.atomic
def delete_drug_link(link):
    link.delete()
    _record_changed([link.article_id])


def _record_changed(article_ids):
    if article_ids:
        Article.objects.filter(pk__in=article_ids).update(modified=timezone.now())


@transaction.atomic
def save_drug(drug, *, synonyms=None, brand_names=None):
    """Save `drug` and, where given, replace its synonyms or brand names (duplicates dropped, order kept)."""
    drug.save()
    for is_brand, names in ((False, synonyms), (True, brand_names)):
        if names is not None:
            drug.names.filter(is_brand=is_brand).delete()
            DrugName.objects.bulk_create(
                DrugName(drug=drug, name=name, is_brand=is_brand) for name in dict.fromkeys(names)
            )
    refresh_derived(index=False, mining=False)  # drug names are shown on facets and profiles
    return drug
