"""What machines read from an article page: Highwire Press `citation_*` meta tags (Google Scholar,
Zotero) and schema.org ScholarlyArticle JSON-LD."""

import json

from literature.values.markup import plain_text


def highwire_tags(article):
    """[(name, content)] in the order Google Scholar's inclusion guidelines list them."""
    tags = [("citation_title", plain_text(article.full_title))]
    tags += [("citation_author", person.inverted_name) for person in article.authors]
    if article.publication_date:
        tags.append(("citation_publication_date", article.publication_date.isoformat().replace("-", "/")))
    if article.journal:
        tags.append(("citation_journal_title", article.journal.title))
        if article.journal.iso_abbreviation:
            tags.append(("citation_journal_abbrev", article.journal.iso_abbreviation))
        for issn in (article.journal.issn_print, article.journal.issn_electronic):
            if issn:
                tags.append(("citation_issn", issn))
        if article.journal.publisher:
            tags.append(("citation_publisher", article.journal.publisher))
    for name, value in (("citation_volume", article.volume), ("citation_issue", article.issue)):
        if value:
            tags.append((name, value))
    if article.first_page is not None:
        tags.append(("citation_firstpage", str(article.first_page)))
    if article.last_page is not None:
        tags.append(("citation_lastpage", str(article.last_page)))
    if article.doi:
        tags.append(("citation_doi", article.doi))
    if article.pmid:
        tags.append(("citation_pmid", str(article.pmid)))
    if article.language:
        tags.append(("citation_language", article.language))
    keywords = [keyword.name for keyword in article.keywords.all()]
    if keywords:
        tags.append(("citation_keywords", "; ".join(keywords)))
    return tags


def scholarly_article(article, page_url):
    """A schema.org ScholarlyArticle, as a dict ready for json.dumps."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": page_url,
        "url": page_url,
        "headline": plain_text(article.full_title)[:110],
        "name": plain_text(article.full_title),
        "author": [_person(person) for person in article.authors],
    }
    if article.abstract:
        data["abstract"] = plain_text(article.abstract)
    if article.publication_date:
        data["datePublished"] = article.publication_date.isoformat()
    if article.language:
        data["inLanguage"] = article.language
    if article.first_page is not None:
        data["pageStart"] = str(article.first_page)
    if article.last_page is not None:
        data["pageEnd"] = str(article.last_page)
    if article.number_of_pages:
        data["numberOfPages"] = article.number_of_pages
    if article.doi:
        data["sameAs"] = f"https://doi.org/{article.doi}"
        data["identifier"] = [{"@type": "PropertyValue", "propertyID": "DOI", "value": article.doi}]
    if article.pmid:
        data.setdefault("identifier", []).append(
            {"@type": "PropertyValue", "propertyID": "PMID", "value": str(article.pmid)}
        )
    keywords = [keyword.name for keyword in article.keywords.all()]
    if keywords:
        data["keywords"] = keywords
    drugs = [link.drug for link in getattr(article, "confirmed_drug_links", [])]
    if drugs:
        data["about"] = [{"@type": "Drug", "name": drug.name} for drug in drugs]
    if article.journal:
        container = {"@type": "Periodical", "name": article.journal.title}
        issns = [i for i in (article.journal.issn_print, article.journal.issn_electronic) if i]
        if issns:
            container["issn"] = issns
        if article.journal.publisher:
            container["publisher"] = {"@type": "Organization", "name": article.journal.publisher}
        if article.volume:
            container = {"@type": "PublicationVolume", "volumeNumber": article.volume, "isPartOf": container}
        if article.issue:
            container = {"@type": "PublicationIssue", "issueNumber": article.issue, "isPartOf": container}
        data["isPartOf"] = container
    return data


def _person(person):
    if person.is_collective:
        return {"@type": "Organization", "name": person.collective_name}
    data = {"@type": "Person", "name": person.display_name, "familyName": person.family_name}
    if person.given_names:
        data["givenName"] = person.given_names
    if person.orcid:
        data["identifier"] = f"https://orcid.org/{person.orcid}"
    return data


def json_for_script(data):
    """JSON safe inside a <script> element: no '</script>' or HTML comment can be smuggled in."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
