"""Snapshots: the whole public record in one download, for harvesters and data scientists who would
otherwise walk the API a hundred articles at a time (a 100,000-article corpus is 1,000 requests).

A snapshot is a folder of gzipped JSON Lines and a manifest:
- articles.jsonl.gz: every approved article, each line the document the API gives anyone
  (`/api/v1/articles/{id}/`, the same function writes both): authors, identifiers, keywords, subject
  areas, publication history, confirmed drug links with their evidence, the Fingerprint;
- drug-links.jsonl.gz and drug-links.csv.gz: the confirmed drug-article links of those articles with
  their evidence, and (JSON Lines) the history of each decision, a dataset no other system offers;
- manifest.json: format, when, counts, and the size and SHA-256 of each file.

It is read in one transaction (one moment of the record) and written under a hidden name that becomes
the snapshot's only when complete, so the site (`/snapshots/latest/`) never serves half of one.
"""

import csv
import gzip
import hashlib
import io
import json
import shutil
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from literature.api.flat import Links, article_document
from literature.archive import read_at_one_moment
from literature.citations.exports import batches
from literature.importers.pipeline import chunks
from literature.models import Article, ArticleDrug, attach_cited_by_counts

FORMAT = "literature-portal-snapshot/1"
BATCH = 1000
# Column of the drug-link dataset: the field it is read from.
LINK_COLUMNS = {
    "article_id": "article_id",
    "doi": "article__doi",
    "pmid": "article__pmid",
    "title": "article__title",
    "drug_id": "drug_id",
    "drug_slug": "drug__slug",
    "drug_name": "drug__name",
    "status": "status",
    "source": "source",
    "evidence": "evidence",
    "mention_count": "mention_count",
    "created": "created",
    "modified": "modified",
}


class BaseUrl:
    """Absolute links under the portal's public address, as the API would write them for a reader."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def build_absolute_uri(self, path):
        return self.base_url + path


def snapshot_root():
    return Path(settings.SNAPSHOT_ROOT)


def latest_snapshot(root=None):
    """The folder of the newest complete snapshot, or None."""
    root = Path(root or snapshot_root())
    done = (
        sorted(path for path in root.glob("snapshot-*") if (path / "manifest.json").is_file()) if root.is_dir() else []
    )
    return done[-1] if done else None


def write_snapshot(base_url, root=None, keep=3):
    """Write a new snapshot under `root` (SNAPSHOT_ROOT); returns its manifest. Older snapshots beyond the
    `keep` newest are removed."""
    root = Path(root or snapshot_root())
    root.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    name = f"snapshot-{created:%Y%m%dT%H%M%S%fZ}"
    partial = root / f".{name}.partial"
    partial.mkdir()
    try:
        with read_at_one_moment():
            counts = {
                "articles": _write_articles(partial / "articles.jsonl.gz", Links(BaseUrl(base_url))),
                "drug_links": _write_links(partial / "drug-links.jsonl.gz", partial / "drug-links.csv.gz"),
            }
        manifest = {
            "format": FORMAT,
            "created": created.isoformat(),
            "base_url": base_url,
            "counts": counts,
            "files": {path.name: describe(path) for path in sorted(partial.iterdir())},
        }
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=1))
        partial.rename(root / name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in sorted(path for path in root.glob("snapshot-*") if path.is_dir())[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return {**manifest, "name": name}


def _lines(handle):
    return io.TextIOWrapper(handle, encoding="utf-8", newline="\n")


def _write_articles(path, links):
    count = 0
    with gzip.open(path, "wb") as raw, _lines(raw) as out:
        for batch in batches(Article.objects.public(), load=lambda rows: rows.for_api()):
            for article in attach_cited_by_counts(batch):
                out.write(json.dumps(article_document(article, links), cls=DjangoJSONEncoder) + "\n")
                count += 1
    return count


def _history(link_ids):
    """{link id: [its decisions]} for these links (who decided is left out: the dataset is public)."""
    history = {}
    for row in (
        ArticleDrug.history.filter(id__in=link_ids)
        .order_by("history_date", "history_id")
        .values("id", "history_date", "history_type", "status", "history_change_reason")
    ):
        history.setdefault(row["id"], []).append(
            {
                "date": row["history_date"],
                "change": {"+": "created", "~": "changed", "-": "deleted"}[row["history_type"]],
                "status": row["status"],
                "reason": row["history_change_reason"] or "",
            }
        )
    return history


def _write_links(jsonl_path, csv_path):
    links = (
        ArticleDrug.objects.confirmed()
        .filter(article__in=Article.objects.public())
        .order_by("article_id", "drug__name", "pk")
        .values("pk", *LINK_COLUMNS.values())
    )
    count = 0
    with (
        gzip.open(jsonl_path, "wb") as raw_jsonl,
        _lines(raw_jsonl) as jsonl,
        gzip.open(csv_path, "wb") as raw_csv,
        _lines(raw_csv) as text,
    ):
        table = csv.writer(text)
        table.writerow(LINK_COLUMNS)
        for batch in chunks(links.iterator(chunk_size=BATCH), BATCH):
            history = _history([row["pk"] for row in batch])
            for row in batch:
                record = {column: row[field] for column, field in LINK_COLUMNS.items()}
                table.writerow(["" if record[column] is None else record[column] for column in LINK_COLUMNS])
                record["history"] = history.get(row["pk"], [])
                jsonl.write(json.dumps(record, cls=DjangoJSONEncoder) + "\n")
                count += 1
    return count


def describe(path):
    """Size and SHA-256 of a snapshot file, as the manifest lists them."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(2**20):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}
