"""The rules a curation decision keeps, checked inside the write functions so that the admin, the API,
the importers and the commands all keep them (as curated knowledge bases run their curation):

- a reason is required to reject a drug link or to withdraw an article, and it is kept in the history;
- with PORTAL_APPROVAL_BY_ANOTHER_CURATOR on, an article is approved by a curator other than the one
  who last edited it. Writes without a user (commands, the demo loader) are the operator's own and are
  not held to it.

A refused decision raises DecisionRefused (a ValidationError) naming the rule, and nothing is written.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery

from literature.models import Article, CurationState, LinkStatus

REASON_REQUIRED = {
    LinkStatus.REJECTED: "A reason is required to reject a drug link: say why the article does not discuss the drug.",
    CurationState.WITHDRAWN: "A reason is required to withdraw an article: say why it leaves the public record.",
}


class DecisionRefused(ValidationError):
    pass


def clean_reason(reason):
    return " ".join((reason or "").split())


def require_reason(decision, reason):
    """The reason, tidied; refused where `decision` (a link status or curation state) needs one and has none."""
    reason = clean_reason(reason)
    if not reason and decision in REASON_REQUIRED:
        raise DecisionRefused(REASON_REQUIRED[decision], code="reason_required")
    return reason


def check_approvals(articles, user):
    """Refuse approving `articles` (a queryset) where `user` edited them last and the four-eyes rule is on."""
    if not settings.PORTAL_APPROVAL_BY_ANOTHER_CURATOR or user is None:
        return
    last_editor = Subquery(
        Article.history.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id").values("history_user_id")[:1]
    )
    own = sorted(
        Article.objects.filter(pk__in=articles.values("pk"))
        .annotate(last_editor=last_editor)
        .filter(last_editor=user.pk)
        .values_list("pk", flat=True)
    )
    if own:
        listed = ", ".join(str(pk) for pk in own[:10]) + (" …" if len(own) > 10 else "")
        raise DecisionRefused(
            f"Another curator must approve what you edited last (article {listed}): "
            "approval by a second curator is required here (PORTAL_APPROVAL_BY_ANOTHER_CURATOR).",
            code="approval_by_another_curator",
        )


def check_state_decision(article_pk, before, after, reason, user, edits=lambda: False):
    """The rules for one article moved from state `before` to `after` in a save of the whole record (a
    form, the API): a withdrawal needs a reason, an approval the four-eyes rule; a save that keeps the
    state (or creates the article) is no decision. `edits()`: whether the same save changes the record
    too, which makes its user the last editor, so that they cannot approve in it what they edit (asked
    only when the rule applies). Returns the reason, tidied."""
    if article_pk is None or before is None or before == after:
        return clean_reason(reason)
    reason = require_reason(after, reason)
    if after == CurationState.APPROVED:
        check_approvals(Article.objects.filter(pk=article_pk), user)
        if settings.PORTAL_APPROVAL_BY_ANOTHER_CURATOR and user is not None and edits():
            raise DecisionRefused(
                f"Another curator must approve what you edit (article {article_pk}): save your changes, then "
                "let a second curator approve them (PORTAL_APPROVAL_BY_ANOTHER_CURATOR).",
                code="approval_by_another_curator",
            )
    return reason


# What a save of the record may change besides its state: every field a curator edits.
NOT_EDITS = {"id", "curation_state", "created", "modified"}


def edits_beyond_state(article):
    """Whether the unsaved `article` differs from its stored row in anything but its curation state."""
    names = [f.attname for f in Article._meta.concrete_fields if f.attname not in NOT_EDITS]
    stored = Article.objects.filter(pk=article.pk).values(*names).first()
    return stored is not None and any(stored[name] != getattr(article, name) for name in names)


def check_state_change(article, reason, user):
    """check_state_decision for an article in hand, against the state it was read with."""
    return check_state_decision(
        article.pk,
        article.loaded_value("curation_state"),
        article.curation_state,
        reason,
        user,
        edits=lambda: edits_beyond_state(article),
    )


def check_link_change(link, reason):
    """A link saved whole (the API): rejecting it, or writing it rejected, needs a reason."""
    if link.status == LinkStatus.REJECTED and link.loaded_value("status") != LinkStatus.REJECTED:
        return require_reason(LinkStatus.REJECTED, reason)
    return clean_reason(reason)
