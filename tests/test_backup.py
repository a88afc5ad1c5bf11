"""`backup` and `restore`: the whole record in a portable archive, loaded into an empty database of
either kind, all or nothing, with the derived data rebuilt; a digest of the record proves the trip."""

import json
import os
import uuid
import zipfile

import pytest
from django.conf import settings

from literature.archive import ArchiveError, read_manifest, record_digest, restore_archive, unarchived_tables
from literature.models import Article, ArticleConcept, ArticleSearchEntry, SubjectArea
from tests import processes

BUILD = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from literature.curation.articles import save_article
from literature.devdata.corpus import generate_corpus
from literature.devdata.demo import load_demo
from literature.mining.fingerprint import compute_fingerprints
from literature.models import ApiToken, ArticleConcept
article, _ = load_demo()
generate_corpus(150, seed=7, batch_size=50)
curator = get_user_model().objects.create_user("curator", password="a-long-test-password", is_staff=True)
curator.groups.add(Group.objects.get(name="Curators"))
ApiToken.issue(curator, "scripts")
article.volume = "35"
article._change_reason = "volume checked against the journal"
save_article(article)
compute_fingerprints()
hidden = ArticleConcept.objects.filter(article=article).order_by("-weight").first()
hidden.hidden = True
hidden.save()
"""


def manage(*args, database_url, check=True):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url,
    }
    return processes.manage(*args, env=env, check=check)


def postgres_database(server_url):
    import psycopg

    name = f"restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def rewritten(archive, path, name, change):
    """A copy of `archive` at `path` with the file `name` inside it passed through `change`."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, change(data) if item.filename == name else data)
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An archive of the demo record, 150 generated articles, a curator with a token, an edit with its
    history and a concept a curator hid, written by `manage.py backup` from a SQLite database."""
    directory = tmp_path_factory.mktemp("backup")
    source = f"sqlite:///{directory / 'source.sqlite3'}"
    manage("migrate", "--noinput", database_url=source)
    manage("shell", "-c", BUILD, database_url=source)
    path = directory / "record.zip"
    manage("backup", str(path), database_url=source)
    return path


def test_the_archive_leaves_out_only_what_is_rebuilt_or_made_by_migrate():
    assert unarchived_tables() == [
        "auth.Group_permissions",  # inside auth.Group, by the permissions' natural keys
        "auth.Permission",
        "auth.User_groups",  # inside auth.User
        "auth.User_user_permissions",
        "axes.AccessAttempt",
        "axes.AccessAttemptExpiration",
        "axes.AccessFailureLog",
        "axes.AccessLog",
        "contenttypes.ContentType",
        "django_tasks_database.DBTaskResult",
        "literature.ArticleSearchEntry",
        "literature.DataVersion",
        "literature.ImportBatch",  # an import while it writes: a backup waits for it to finish
        "literature.ImportBatchArticle",
        "literature.SourceLoad",
        "sessions.Session",
    ]


@pytest.mark.django_db
def test_restore_loads_the_record_checks_its_digest_and_rebuilds_what_is_derived(archive):
    manifest = read_manifest(archive)
    report = restore_archive(archive)
    assert report.digest == manifest["digest"] == record_digest()
    assert report.counts == manifest["counts"]
    assert Article.objects.count() == 151
    assert ArticleSearchEntry.objects.count() == 151, "the search index, rebuilt"
    assert Article.objects.get(doi__startswith="10.3109").volume == "35"
    assert Article.objects.get(doi__startswith="10.3109").history.first().history_change_reason.startswith("volume")
    assert ArticleConcept.objects.filter(hidden=True).count() == 1, "a curator's decision survives"
    assert ArticleConcept.objects.filter(hidden=False).count() > 150, "the weights, recomputed"


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(archive, seed_article):
    with pytest.raises(ArchiveError, match="restore needs an empty database: this one has 1 articles"):
        restore_archive(archive)


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_naming_file_and_line_and_nothing_is_written(archive, tmp_path):
    def cut_line_ten(data):
        lines = data.decode().splitlines()
        lines[9] = lines[9][:40]
        return ("\n".join(lines) + "\n").encode()

    damaged = rewritten(archive, tmp_path / "damaged.zip", "literature.Authorship.jsonl", cut_line_ten)
    areas = SubjectArea.objects.count()
    with pytest.raises(ArchiveError, match=r"damaged.zip: literature.Authorship.jsonl, line 10: "):
        restore_archive(damaged)
    assert Article.objects.count() == 0
    assert SubjectArea.objects.count() == areas, "the rows made by migrations are back too"


@pytest.mark.django_db
def test_an_archive_of_another_schema_release_is_refused(archive, tmp_path):
    def one_more_migration(data):
        manifest = json.loads(data)
        manifest["migrations"].append("literature.0099_from_the_future")
        return json.dumps(manifest).encode()

    other = rewritten(archive, tmp_path / "other.zip", "manifest.json", one_more_migration)
    with pytest.raises(ArchiveError, match=r"another release of the schema \(1 migration\(s\) it has"):
        restore_archive(other)
    assert Article.objects.count() == 0


def test_the_record_moves_between_sqlite_and_postgresql_and_back_unchanged(archive, tmp_path):
    # On the SQLite run: into PostgreSQL (the server scripts/test.sh started); on the PostgreSQL run: into SQLite.
    manifest = read_manifest(archive)
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    elif os.environ.get("TEST_POSTGRES_URL"):
        target = postgres_database(os.environ["TEST_POSTGRES_URL"])
    else:
        pytest.skip("no PostgreSQL server to restore into (scripts/test.sh sets TEST_POSTGRES_URL)")
    manage("migrate", "--noinput", database_url=target)
    restored = manage("restore", str(archive), database_url=target).stdout
    assert f"digest {manifest['digest'][:16]}" in restored
    again = tmp_path / "again.zip"
    manage("backup", str(again), database_url=target)
    assert read_manifest(again)["digest"] == manifest["digest"]
    assert read_manifest(again)["counts"] == manifest["counts"]
    refused = manage("restore", str(archive), database_url=target, check=False)
    assert refused.returncode == 1
    assert "restore needs an empty database: this one has 151 articles and 1 users" in refused.stderr


@pytest.mark.django_db
def test_times_travel_to_the_microsecond(tmp_path):
    import datetime

    from literature.archive import write_archive
    from literature.models import Keyword

    moment = datetime.datetime(2026, 12, 2, 12, 0, 0, 500, tzinfo=datetime.UTC)
    Keyword.objects.create(name="Aprepitant")
    Keyword.objects.update(modified=moment)
    write_archive(tmp_path / "one.zip")
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        line = json.loads(archive.read("literature.Keyword.jsonl").decode().splitlines()[0])
    assert line["fields"]["modified"] == "2026-12-02T12:00:00.000500Z"
