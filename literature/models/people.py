"""Authors (people and collectives) and their ordered authorship of articles."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from literature.values import identifiers
from literature.values.fields import IdentifierField

from .base import TimestampedModel
from .visibility import public_article_model

# People and authorship -----------------------------------------------------------------------------


def inverted_name(family_name, given_names, collective_name):
    """'Castelli, Roberto' (Person.inverted_name), from the three fields, for rows read without models."""
    if collective_name:
        return collective_name
    return f"{family_name}, {given_names}" if given_names else family_name


def display_name(family_name, given_names, collective_name):
    """'Roberto Castelli' (Person.display_name), or the collective's name, from the three fields."""
    if collective_name:
        return collective_name
    return f"{given_names} {family_name}".strip()


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People who are authors of a public article."""
        return self.filter(Exists(Authorship.objects.filter(person=OuterRef("pk"), article__in=public_article_model())))

    def coauthors_of(self, person):
        """The people who wrote public articles with `person`, with the number they `shared`, most first."""
        shared = public_article_model().filter(authorships__person=person).values("pk")
        return (
            self.filter(authorships__article__in=shared)
            .exclude(pk=person.pk)
            .annotate(shared=Count("authorships__article", distinct=True))
            .order_by("-shared", "family_name")
        )


class Person(TimestampedModel):
    """An author: a person (family and given names) or a collective such as a study group."""

    family_name = models.CharField(max_length=200, blank=True)
    given_names = models.CharField(max_length=200, blank=True)
    collective_name = models.CharField(
        max_length=500,
        blank=True,
        help_text="For a group author (e.g. a trial's investigators); leave the names empty.",
    )
    orcid = IdentifierField(
        "ORCID iD",
        max_length=19,
        blank=True,
        normalizer=identifiers.normalize_orcid,
        validators=[identifiers.validate_orcid],
    )

    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["family_name", "given_names", "collective_name"]
        indexes = [
            # Admin and site search by name, and the ordering above.
            models.Index(fields=["family_name", "given_names", "collective_name"], name="person_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(family_name="") & Q(collective_name=""))
                | (Q(family_name="") & Q(given_names="") & ~Q(collective_name="")),
                name="person_is_a_person_or_a_collective",
                violation_error_message=(
                    "An author is either a person (family name, optionally given names) "
                    "or a collective (collective name only)."
                ),
            ),
            models.UniqueConstraint(fields=["orcid"], condition=~Q(orcid=""), name="person_unique_orcid"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("literature:person-detail", kwargs={"pk": self.pk})

    @property
    def is_collective(self):
        return bool(self.collective_name)

    @property
    def display_name(self):
        """'Roberto Castelli', or the collective's name."""
        return display_name(self.family_name, self.given_names, self.collective_name)

    @property
    def inverted_name(self):
        """'Castelli, Roberto', as research portals list authors."""
        return inverted_name(self.family_name, self.given_names, self.collective_name)

    @property
    def initials(self):
        """'Roberto' -> 'R'; 'Jean-Pierre' -> 'JP'; 'J. R. R.' -> 'JRR'."""
        parts = self.given_names.replace("-", " ").replace(".", " ").split()
        return "".join(part[0].upper() for part in parts)


class Authorship(models.Model):
    # Both looked up through the composite indexes that begin with their columns (unique pairs or
    # Meta.indexes): indexes of their own would only slow every insert.
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="authorships", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships", db_index=False)
    position = models.PositiveIntegerField(help_text="1 for the first author.")
    affiliation = models.TextField(blank=True)
    is_corresponding = models.BooleanField("corresponding author", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            # Also the index for "the authors of these articles, in order".
            models.UniqueConstraint(fields=["article", "position"], name="authorship_unique_position"),
            models.UniqueConstraint(fields=["article", "person"], name="authorship_unique_person"),
            models.CheckConstraint(condition=Q(position__gte=1), name="authorship_position_from_one"),
        ]
        indexes = [
            # A person's page: their articles (person_id = ?).
            models.Index(fields=["person", "article"], name="authorship_person_idx"),
        ]

    def __str__(self):
        return f"{self.position}. {self.person}"
