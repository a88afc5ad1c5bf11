"""The domain, one module per subsystem; everything is re-exported here, so `from literature.models
import Article` works wherever a model is needed.

- articles: the research output (Article, its publication history, its search entry, redirects) and
  the reading verbs of every page (`Article.objects.public().for_listing()`)
- journals, people (and authorship), subjects (keywords, ASJC subject areas), drugs (and links),
  references (the works an article cites, resolved to articles by identifier when read), relations
  (errata, retractions, comments about an article, resolved the same way)
- indexing: MeSH headings (descriptor, qualifiers, major topics) and publication types, as indexers gave them
- fingerprint: concepts and their weights; curation: likely duplicates; imports: provenance and
  uploads; access: API tokens; derived: the versions of derived data
"""

from .access import *  # noqa: F403
from .articles import *  # noqa: F403
from .base import *  # noqa: F403
from .curation import *  # noqa: F403
from .derived import *  # noqa: F403
from .drugs import *  # noqa: F403
from .fingerprint import *  # noqa: F403
from .imports import *  # noqa: F403
from .indexing import *  # noqa: F403
from .journals import *  # noqa: F403
from .people import *  # noqa: F403
from .references import *  # noqa: F403
from .relations import *  # noqa: F403
from .subjects import *  # noqa: F403
from .visibility import *  # noqa: F403
