"""Drug synonyms in a search: a word of the query that is a name of a drug in the vocabulary (its
name, a brand, a synonym, a code: "Revlimid") also searches the drug's other names ("lenalidomide",
"CC-5013"), as PubMed's automatic term mapping does. The query is rewritten in its own language,
`Revlimid` -> `Revlimid or lenalidomide or "CC-5013"`, so both engines read it unchanged and the word's
place among the other words and `or` groups keeps its meaning. A quoted word ("Revlimid") is searched
as written; so is a prefix or an excluded word. Names on the kill list are never expanded."""

import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from literature.models import Drug, DrugName, SuppressedDrugName
from literature.search.query import TOKEN

MAX_NAMES = 6  # other names searched for one word, the drug's own name and its brands first
PLAIN_NAME = re.compile(r"^[\w][\w -]{1,39}$")  # a name the query language can hold as a phrase


@dataclass
class Expanded:
    text: str
    also: list = field(default_factory=list)  # [(word as typed, [other names searched])]


def _bare_words(text):
    """The words of a query that may be expanded: not quoted, not a prefix, not excluded."""
    return [match for match in TOKEN.finditer(text) if match.group(4) and not match.group(3) and not match.group(5)]


def _suppressed(name_column):
    """Whether the name in `name_column` is on the kill list (in any case)."""
    kill_list = SuppressedDrugName.objects.annotate(lowered=Lower("name"))
    return Exists(kill_list.filter(lowered=Lower(OuterRef(name_column))))


def _other_names(words):
    """{lowered word: [other names]} for the words naming a drug: one query (the drugs these words
    name, as a name or a drug's own name), and one more for those drugs' names when there are any."""
    # Unordered: SQLite refuses an ORDER BY (the models' default ordering) inside a UNION.
    named = DrugName.objects.annotate(lowered=Lower("name")).filter(lowered__in=words).order_by()
    own = Drug.objects.annotate(lowered=Lower("name")).filter(lowered__in=words).order_by()
    drugs = dict(named.values_list("lowered", "drug").union(own.values_list("lowered", "pk")))
    if not drugs:
        return {}
    rows = (
        DrugName.objects.filter(drug__in=set(drugs.values()))
        .annotate(killed=_suppressed("name"), drug_killed=_suppressed("drug__name"))
        .values_list("drug", "drug__name", "drug_killed", "name", "is_brand", "killed")
    )
    names, killed = {}, set()
    for drug, drug_name, drug_killed, name, is_brand, name_killed in rows:
        names.setdefault(drug, {drug_name: (0, len(drug_name))})[name] = (1 if is_brand else 2, len(name))
        killed |= {drug_name.lower()} if drug_killed else set()
        killed |= {name.lower()} if name_killed else set()
    found = {}
    for word, drug in drugs.items():
        if word in killed:  # the kill list: a name the detector must never take for the drug
            continue
        ranked = sorted(names.get(drug, {}).items(), key=lambda item: item[1])
        others = [name for name, _ in ranked if name.lower() != word and PLAIN_NAME.match(name)]
        if others:
            found[word] = others[:MAX_NAMES]
    return found


def expand_drug_names(text):
    """The query with each bare word that names a drug followed by `or` and the drug's other names."""
    matches = _bare_words(text)
    words = {match.group(4).lower() for match in matches}
    expansions = _other_names(words) if words else {}
    if not expansions:
        return Expanded(text)
    parts, position, also, seen = [], 0, [], set()
    for match in matches:
        word = match.group(4)
        others = expansions.get(word.lower())
        if not others:
            continue
        quoted = " or ".join(f'"{name}"' for name in others)
        parts += [text[position : match.end()], f" or {quoted}"]
        position = match.end()
        if word.lower() not in seen:
            seen.add(word.lower())
            also.append((word, others))
    parts.append(text[position:])
    return Expanded("".join(parts), also)
