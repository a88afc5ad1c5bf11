"""What a parsed record's fields mean, whatever tool wrote them: one rule per kind of case, for every
format. Placeholders that exporters write where they have nothing ("NA", "N.PAG", "[No abstract
available]") are no data and are left empty; HTML entities in titles and abstracts are the characters
they stand for."""

import html
import re

# Compared lowercased, without surrounding spaces, brackets or a final full stop.
PLACEHOLDERS = {
    "na",
    "n/a",
    "n.a",
    "n. a",
    "nan",
    "none",
    "null",
    "n.pag",
    "npag",
    "np",
    "no pagination",
    "no specified",
    "not specified",
    "no-specified",
    "unspecified",
    "not available",
    "no abstract",
    "no abstract available",
    "abstract not available",
    "abstract available from the publisher",
    "-",
    "--",
    "?",
}
# Entities but the three that stand for markup characters: &lt;i&gt; must not become a tag.
ENTITY = re.compile(r"&(?!(?:lt|gt|amp);)(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
CLEANED_FIELDS = ["title", "abstract", "journal_title", "journal_abbreviation", "publisher", "volume", "issue"]


def is_placeholder(text):
    return (text or "").strip().strip("[]()").strip().rstrip(".").lower() in PLACEHOLDERS


def meaningful(text):
    """`text`, or '' when it is an exporter's placeholder for nothing."""
    return "" if is_placeholder(text) else text


def decode_entities(text):
    """'Crohn&#x27;s&nbsp;disease' -> "Crohn's disease" (a no-break space is a space in a title)."""
    if "&" not in (text or ""):
        return text
    return ENTITY.sub(lambda match: html.unescape(match.group(0)), text).replace("\xa0", " ")


# A role written after a name ("Takada, Mitsuo eds", "Smith, J. (Ed.)", "Müller, K. Hrsg."): not a part
# of it. Only after another word, so that a given name Ed stays.
ROLE_AFTER_NAME = re.compile(
    r"(?<=\S)[\s,]+(\((?:eds?|editors?|hrsg|comps?)\.?\)|eds?\.?|editors?|hrsg\.?)$", re.IGNORECASE
)
# "50(2)", "12 (Suppl 3)": a volume with its issue in one field (RIS VL, BibTeX volume).
VOLUME_WITH_ISSUE = re.compile(r"^([^()\s]+)\s*\(\s*([^()]+?)\s*\)$")


def _without_role(record, author):
    for part in ("given", "family"):
        found = ROLE_AFTER_NAME.search(getattr(author, part))
        if found and (part == "given" or not author.given):
            setattr(author, part, getattr(author, part)[: found.start()].strip())
            record.notes.append(("author", f"the role {found.group(1)!r} after an author's name left out"))
            return


def clean_record(record):
    """The record with its placeholders emptied, its entities decoded, a volume's issue and an author's
    role apart, in place; returns it."""
    for name in CLEANED_FIELDS:
        setattr(record, name, decode_entities(meaningful(getattr(record, name))))
    if is_placeholder(record.article_number):
        record.article_number = ""
    if (together := VOLUME_WITH_ISSUE.match(record.volume)) and record.issue in ("", together.group(2)):
        record.volume, record.issue = together.groups()
    for author in record.authors:
        _without_role(record, author)
    return record
