"""API tokens: stored as digests, revocable."""

import hashlib
import logging
import secrets

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# API tokens ----------------------------------------------------------------------------------------


class ApiTokenQuerySet(models.QuerySet):
    def revoke(self):
        """Revoke these tokens (those not revoked already: a revocation keeps its first date); returns how many."""
        return self.filter(revoked__isnull=True).update(revoked=timezone.now())

    def active(self):
        return self.filter(revoked__isnull=True)


class ApiToken(models.Model):
    """A curator's key for writing through the API. Only a SHA-256 digest of the key is stored (the
    key is 256 random bits, so no slow hash is needed), so a leaked database holds no usable key."""

    PREFIX = "lit_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'nightly PubMed sync'.")
    key_prefix = models.CharField(max_length=12, editable=False, help_text="The first characters, to recognise it.")
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def digest(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name):
        """A new token and its key, which is shown this once and never stored."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_prefix=key[:12], key_digest=cls.digest(key))
        return token, key

    @classmethod
    def authenticate(cls, key):
        token = cls.objects.active().select_related("user").filter(key_digest=cls.digest(key)).first()
        if token and token.user.is_active:
            now = timezone.now()
            # Written at most once a minute, so that busy scripts do not write on every request, and
            # never at the cost of the request: a read must not fail because a writer holds the lock.
            if token.last_used is None or (now - token.last_used).total_seconds() > 60:
                try:
                    with transaction.atomic():
                        cls.objects.filter(pk=token.pk).update(last_used=now)
                except DatabaseError as error:
                    logger.warning("Token %s: last use not recorded (%s)", token.key_prefix, error)
            return token
        return None

    def revoke(self):
        type(self).objects.filter(pk=self.pk).revoke()
        self.refresh_from_db(fields=["revoked"])
