"""What the portal's OAI-PMH repository holds, in the protocol's terms: records, their identifiers and
datestamps, and sets.

- A record is an approved article; a withdrawn one stays as a deleted record, so that harvesters learn
  to drop it. Drafts and articles in review are not in the repository at all (nothing unapproved is
  public). The repository keeps deletions "transient": an article merged into another is gone from it.
- A record's datestamp is the article's `modified`, which every change of its public record moves (an
  edit, a curation state, a drug link decision: curation/drugs.py), so `from` finds every change.
- Sets: `drug:<slug>` (confirmed links), `keyword:<slug>`, `subject:<ASJC code>`, and above each kind a
  set of its own (`drug` holds every record with a confirmed drug), as OAI's set hierarchy requires.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Q

from literature.models import Article, ArticleDrug, CurationState, Drug, Keyword, LinkStatus, SubjectArea

IN_REPOSITORY = [CurationState.APPROVED, CurationState.WITHDRAWN]


def oai_identifier(article_id):
    return f"oai:{settings.PORTAL_OAI_NAMESPACE}:{article_id}"


def article_id_of(identifier):
    """The article an OAI identifier names, or None when it is not one of this repository's."""
    prefix = f"oai:{settings.PORTAL_OAI_NAMESPACE}:"
    local = identifier.removeprefix(prefix)
    if local == identifier or not (local.isascii() and local.isdecimal()) or len(local) > 18:
        return None
    return int(local)


def records():
    return Article.objects.filter(curation_state__in=IN_REPOSITORY)


def is_deleted(article):
    return article.curation_state != CurationState.APPROVED


def earliest_datestamp():
    return records().aggregate(earliest=Min("modified"))["earliest"]


def record(identifier):
    """The article behind an OAI identifier with all its record shows, or None."""
    article_id = article_id_of(identifier)
    if article_id is None:
        return None
    return records().for_detail().filter(pk=article_id).first()


def records_page(*, start=None, end=None, set_spec=None, after=None, size):
    """Up to `size` records in datestamp order, with one more to tell whether the list goes on.
    after: (modified, id) of the last record given, where the previous response stopped."""
    queryset = records()
    if start is not None:
        queryset = queryset.filter(modified__gte=start)
    if end is not None:
        queryset = queryset.filter(modified__lt=end)
    if set_spec is not None:
        queryset = queryset.filter(in_set(set_spec))
    if after is not None:
        modified, article_id = after
        queryset = queryset.filter(Q(modified__gt=modified) | Q(modified=modified, pk__gt=article_id))
    return list(queryset.for_detail().order_by("modified", "pk")[: size + 1])


@dataclass(frozen=True)
class SetKind:
    """One kind of set: `drug`, `keyword` or `subject`, and how its members are named and found."""

    spec: str
    name: str
    description: str

    def members(self):
        """The sets of this kind that hold an approved article, in a stable order, as (key, spec, name)."""
        if self.spec == "drug":
            return Drug.objects.public().order_by("pk").values_list("pk", "slug", "name")
        if self.spec == "keyword":
            return Keyword.objects.public().order_by("pk").values_list("pk", "slug", "name")
        return SubjectArea.objects.public().order_by("code").values_list("code", "code", "name")

    def condition(self, member=None):
        """The condition on articles "in this set" (any of its kind when `member` is None)."""
        if self.spec == "drug":
            links = ArticleDrug.objects.filter(article=OuterRef("pk"), status=LinkStatus.CONFIRMED)
            return Exists(links if member is None else links.filter(drug__slug=member))
        if self.spec == "keyword":
            through = Article.keywords.through.objects.filter(article=OuterRef("pk"))
            return Exists(through if member is None else through.filter(keyword__slug=member))
        through = Article.subject_areas.through.objects.filter(article=OuterRef("pk"))
        if member is None:
            return Exists(through)
        known = member.isascii() and member.isdecimal() and len(member) <= 4
        return Exists(through.filter(subjectarea__code=int(member))) if known else Q(pk__in=[])


SET_KINDS = [
    SetKind("drug", "Drugs", "Articles a curator confirmed as discussing a drug, one set per drug."),
    SetKind("keyword", "Keywords", "Articles by keyword, one set per keyword."),
    SetKind("subject", "ASJC subject areas", "Articles by ASJC subject area code, one set per code."),
]
KIND_OF = {kind.spec: kind for kind in SET_KINDS}


def in_set(set_spec):
    """The condition for records in a set; an unknown set holds none (so the list reports noRecordsMatch)."""
    spec, _, member = set_spec.partition(":")
    kind = KIND_OF.get(spec)
    if kind is None or (member == "" and ":" in set_spec) or ":" in member:
        return Q(pk__in=[])
    return kind.condition(member or None)


def set_specs(article):
    """The sets an article (read with for_detail()) is in, the kinds themselves included."""
    specs = []
    for kind, members in (
        ("drug", [link.drug.slug for link in article.confirmed_drug_links]),
        ("keyword", [keyword.slug for keyword in article.keywords.all()]),
        ("subject", [str(area.code) for area in article.subject_areas.all()]),
    ):
        if members:
            specs += [kind, *(f"{kind}:{member}" for member in sorted(members))]
    return specs


def sets_page(*, start=None, size):
    """Up to `size` sets, the kinds first, then each kind's members; `start` is where the previous
    response stopped, (kind index, last key given or None). Returns the page and where the next one
    starts, or None at the end."""
    page = []
    if start is None:
        page += [(kind.spec, kind.name, kind.description) for kind in SET_KINDS]
        start = (0, None)
    first_index, after = start
    for index in range(first_index, len(SET_KINDS)):
        kind = SET_KINDS[index]
        last_key = after if index == first_index else None
        members = kind.members()
        if last_key is not None:
            members = members.filter(**{"code__gt" if kind.spec == "subject" else "pk__gt": last_key})
        for key, member, name in members[: size + 1]:
            if len(page) >= size:
                return page, (index, last_key)
            page.append((f"{kind.spec}:{member}", name, None))
            last_key = key
    return page, None
