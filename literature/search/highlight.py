"""Where a search matched: the words of the query marked in an abstract, and the passage of it that
matches best, as a search engine's result snippet.

A word is marked when the engine would have matched it: the same stem by the stemmer of the search
index (PostgreSQL's `english` configuration is the Snowball English stemmer, SQLite's FTS5 `porter`
tokenizer the Porter stemmer), diacritics and case folded as the index folds them, or, for a
`prefix*`, any word that begins with it. Excluded words (`-word`) are never marked; words of a phrase
are marked wherever they stand (the phrase matched somewhere, and its words are what a reader scans for).
"""

import html
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.utils.safestring import mark_safe

from .query import parse

WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET_CHARS = 240  # about two lines of a result row
SNIPPET_LEAD = 40  # of them before the first match, for context
OPENING = 3  # letters of a stem a word must begin with to be stemmed and compared at all
# Words too common to be worth marking (websearch_to_tsquery drops them from the query on PostgreSQL).
UNMARKED = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were with".split()  # noqa: SIM905
)


_stemmers = threading.local()  # a stemmer keeps state between calls: one per thread and vendor


def _stemmer(vendor):
    algorithm = "english" if vendor == "postgresql" else "porter"
    if getattr(_stemmers, algorithm, None) is None:
        setattr(_stemmers, algorithm, snowballstemmer.stemmer(algorithm))
    return getattr(_stemmers, algorithm)


def folded(word):
    """The word as the index compares it: lower case, diacritics removed ("Cannavò" as "cannavo")."""
    word = word.casefold()
    if word.isascii():
        return word
    return "".join(char for char in unicodedata.normalize("NFKD", word) if not unicodedata.combining(char))


@dataclass(frozen=True)
class Terms:
    """What to mark: stems of whole words, and prefixes."""

    stems: frozenset
    prefixes: tuple

    def __bool__(self):
        return bool(self.stems or self.prefixes)

    def marks(self, word):
        word = folded(word)
        if self.prefixes and word.startswith(self.prefixes):
            return True
        return word[:OPENING] in self._openings and stem(word) in self.stems

    def __post_init__(self):
        # The first letters of every stem: a word that starts otherwise is not stemmed at all (a stem keeps
        # the start of its word; stemming each word of 25 abstracts would cost more than the page).
        object.__setattr__(self, "_openings", frozenset(stem_[:OPENING] for stem_ in self.stems))
        starts = sorted({re.escape(start) for start in (*self._openings, *self.prefixes)}, key=len, reverse=True)
        # Words that may match, found by the regex engine (an abstract is ~300 words, a page 25 of them);
        # a word whose opening only folds to a stem's ("Ödem") is matched by the second, slower part.
        pattern = rf"\b(?:{'|'.join(starts)})\w*|\b\w*[^\x00-\x7f]\w*" if starts else r"(?!)"
        object.__setattr__(self, "candidates", re.compile(pattern, re.IGNORECASE | re.UNICODE))


def stem(folded_word):
    return _stem(connection.vendor, folded_word)


@lru_cache(maxsize=65536)
def _stem(vendor, folded_word):
    return _stemmer(vendor).stemWord(folded_word)


def terms_of(text):
    """The Terms of a full-text query (the search language of query.py)."""
    groups, _excluded = parse(text)
    stems, prefixes = set(), []
    for group in groups:
        for words, _is_phrase, is_prefix in group:
            found = [folded(word) for word in WORD.findall(words)]
            if is_prefix and found:
                prefixes.append(found.pop())
            stems.update(stem(word) for word in found if word not in UNMARKED)
    return Terms(frozenset(stems), tuple(prefixes))


def _marked(text, terms):
    """Plain `text` as HTML, its matching words in <mark>."""
    parts, end = [], 0
    for match in WORD.finditer(text):
        if terms.marks(match.group()):
            parts += [html.escape(text[end : match.start()]), "<mark>", html.escape(match.group()), "</mark>"]
            end = match.end()
    parts.append(html.escape(text[end:]))
    return "".join(parts)


def snippet(plain_abstract, terms, length=SNIPPET_CHARS, lead=SNIPPET_LEAD):
    """About `length` characters of the abstract holding the most of the query's different words (then
    the most matches, then the earliest), starting a few words before the first of them, as HTML with
    the matches marked and "…" where the passage is cut; the opening words when nothing matches; ""
    for no abstract."""
    text = plain_abstract or ""
    if not text.strip():
        return ""
    found = [(match.start(), match.group()) for match in terms.candidates.finditer(text) if terms.marks(match.group())]
    found = [(start, stem(folded(word))) for start, word in found]
    best, best_score = 0, (0, 0)
    for index, (start, _) in enumerate(found):
        window = [key for position, key in found[index:] if position < start + length - lead]
        score = (len(set(window)), len(window))
        if score > best_score:
            best, best_score = max(0, start - lead), score
    if best:  # begin on a word
        space = text.rfind(" ", 0, best + 1)
        best = space + 1 if space >= 0 else 0
    end = best + length
    if end < len(text):
        space = text.rfind(" ", best, end)
        end = space if space > best else end
    else:
        end = len(text)
    passage = text[best:end].strip()
    before = "… " if best > 0 else ""
    after = " …" if end < len(text.rstrip()) else ""
    return mark_safe(before + _marked(passage, terms) + after)


TAG = re.compile(r"(<[^>]*>|&#?\w+;)")


def highlighted_html(sanitized_html, terms):
    """Sanitised HTML (an abstract, a title) with the matching words of its text marked; tags and
    character references are left as they are."""
    if not terms:
        return mark_safe(sanitized_html)
    pieces = TAG.split(sanitized_html)
    for index in range(0, len(pieces), 2):  # text between tags: already escaped, so marked as it is
        pieces[index] = WORD.sub(
            lambda match: f"<mark>{match.group()}</mark>" if terms.marks(match.group()) else match.group(),
            pieces[index],
        )
    return mark_safe("".join(pieces))
