"""Drugs and their links to articles: saving a drug with its names; deciding which drugs an article
discusses: a curator confirms or rejects suggested links (one by one or in bulk, with history), or
writes a link through the API. A rejected link is never suggested again;
a confirmed one stays whatever the detector finds later (mining/mentions.py keeps to both).

Names the detector got wrong go on the kill list (`suppress_drug_name`): never suggested again.

A decision changes the article's public record (its drugs, its sets for harvesters), so each one also
moves the article's `modified`: the datestamp OAI-PMH harvesters ask for changes since."""

import html

from django.db import transaction
from django.utils import timezone

from literature.derived import refresh_derived
from literature.models import Article, ArticleDrug, DrugName, LinkSource, LinkStatus

from .governance import check_link_change, require_reason
from .history import set_with_history


def decide_drug_links(links, status, user, reason=None):
    """Set these links (an ArticleDrug queryset) to `status`, those not in it already; returns them.
    A rejection needs a reason (governance.py); it is kept in each link's history."""
    status = LinkStatus(status)
    reason = require_reason(status, reason) or f"Link status set to {status.label}."
    with transaction.atomic():
        changed = set_with_history(links, user, reason, lambda link: link.article_id, status=status)
        _record_changed({link.article_id for link in changed})
    return changed


@transaction.atomic
def save_drug_link(link, reason=None):
    """A link written whole (the API's create and update): validated by the caller, saved with history
    and the reason given (required to reject it)."""
    reason = check_link_change(link, reason)
    if reason:
        link._change_reason = reason
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


@transaction.atomic
def suppress_drug_name(entry):
    """Save a kill-list entry (a SuppressedDrugName) and run the detector again at once on the articles
    whose open suggestions came from that name, so that they go now rather than at the next change of
    each article. Returns how many open suggestions went."""
    entry.save()
    marked = f"<mark>{html.escape(entry.name)}</mark>"  # the evidence of a suggestion marks the name it matched
    from_name = ArticleDrug.objects.suggested().filter(source=LinkSource.TEXT_MINING, evidence__icontains=marked)
    article_ids = set(from_name.values_list("article_id", flat=True))
    if not article_ids:
        return 0
    open_suggestions = ArticleDrug.objects.suggested().filter(article_id__in=article_ids)
    before = open_suggestions.count()
    refresh_derived(article_ids, index=False, mining=True, mine_now=True)
    return before - open_suggestions.count()
