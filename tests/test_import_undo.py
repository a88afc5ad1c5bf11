"""A file is all or nothing although its chunks commit one by one: a record refused while the file
is written (without --skip-invalid), a record that clashes, an error or a killed process undoes the
chunks written before it, without reverting what a curator changed meanwhile; the rest of the file is
still read, so the report names every bad record."""

import pytest

from literature.archive import record_digests
from literature.importers import batches, run
from literature.importers.run import import_file
from literature.models import Article, ImportBatch, ImportJob, ImportStatus, Journal, Person
from tests.factories import ArticleFactory


def record_digest():
    """The digest of the whole record but the uploads' own rows (an upload's status is meant to change)."""
    return {label: digest for label, digest in record_digests()[1].items() if label != "literature.ImportJob"}


def pubmed_record(pmid, title, doi=None, journal="Journal of Chunked Imports", author="Chunk"):
    location = f"<ELocationID EIdType='doi'>{doi}</ELocationID>" if doi else ""
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><Title>{journal}</Title>"
        f"<JournalIssue><PubDate><Year>2012</Year></PubDate></JournalIssue></Journal>"
        f"<ArticleTitle>{title}</ArticleTitle>{location}"
        f"<AuthorList><Author><LastName>{author}</LastName><ForeName>Ann</ForeName></Author></AuthorList>"
        f"</Article></MedlineCitation></PubmedArticle>"
    )


def write_pubmed(path, records):
    path.write_text(f"<PubmedArticleSet>{''.join(records)}</PubmedArticleSet>", encoding="utf-8")
    return path


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(run, "CHUNK_SIZE", 2)


@pytest.fixture
def clashing_pair():
    """Two articles here: a record with the DOI of one and the PMID of the other fails only on writing."""
    ArticleFactory(doi="10.1000/one", authors=1)
    ArticleFactory(pmid=999, authors=1)


@pytest.mark.django_db
def test_a_file_that_fails_while_writing_is_undone_whole_though_its_first_chunks_were_committed(
    tmp_path, small_chunks, clashing_pair
):
    before = record_digest()
    records = [pubmed_record(100 + n, f"Good record {n}.", author=f"Newperson{n}") for n in range(5)]
    records.append(pubmed_record(999, "Clash.", doi="10.1000/one"))
    report = import_file(write_pubmed(tmp_path / "late-clash.xml", records))
    assert not report.imported
    (error,) = report.errors
    assert "late-clash.xml, record 6 (PMID 999), identifiers: clashes with another article" in str(error)
    assert (report.created, report.updated, report.rejected) == (0, 0, 1)
    assert record_digest() == before  # the five committed records, their people and journal: gone
    assert not Journal.objects.filter(title="Journal of Chunked Imports").exists()
    assert not Person.objects.filter(family_name__startswith="Newperson").exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_bad_record_undoes_the_chunks_before_it_and_the_report_names_every_bad_record(tmp_path, small_chunks):
    no_title = "<PubmedArticle><MedlineCitation><PMID>{}</PMID><Article></Article></MedlineCitation></PubmedArticle>"
    records = [pubmed_record(100 + n, f"Good record {n}.") for n in range(5)]
    records.insert(2, no_title.format(7))  # record 3, in the second chunk of two
    records.append(no_title.format(8))  # record 7, in a chunk read after the writing stopped
    report = import_file(write_pubmed(tmp_path / "no-title.xml", records))
    assert not report.imported
    assert [str(error).split(": ", 1)[0] for error in report.errors] == [
        f"{tmp_path / 'no-title.xml'}, record 3 (PMID 7), ArticleTitle",
        f"{tmp_path / 'no-title.xml'}, record 7 (PMID 8), ArticleTitle",
    ]
    assert (report.created, report.rejected) == (0, 2)
    assert not Article.objects.exists()  # the first chunk was written, then undone
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_undoing_reverts_an_updated_article_but_keeps_what_a_curator_changed_meanwhile(tmp_path, small_chunks):
    write_pubmed(tmp_path / "v1.xml", [pubmed_record(10, "First title."), pubmed_record(11, "Other first title.")])
    import_file(tmp_path / "v1.xml")
    first, other = Article.objects.get(pmid=10), Article.objects.get(pmid=11)
    records = [
        pubmed_record(10, "Second title.", author="Renamed"),
        pubmed_record(11, "Other second title."),
        pubmed_record(12, "New record."),
        pubmed_record(13, "Another new record."),
        pubmed_record(999, "Clash.", doi="10.1000/one"),
    ]
    ArticleFactory(doi="10.1000/one", authors=1)
    ArticleFactory(pmid=999, authors=1)

    def curator_edits_while_the_import_runs(count):
        if count and Article.objects.get(pk=other.pk).title == "Other second title":
            Article.objects.filter(pk=other.pk).update(title="A curator's own title")

    report = import_file(write_pubmed(tmp_path / "v2.xml", records), progress=curator_edits_while_the_import_runs)
    assert not report.imported
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.title == "First title"
    assert [a.person.family_name for a in first.ordered_authorships] == ["Chunk"]
    assert other.title == "A curator's own title"  # changed after the import wrote it: kept
    assert not Article.objects.filter(pmid__in=[12, 13]).exists()
    # The provenance is as before too: importing v2 without its bad record updates both again.
    write_pubmed(tmp_path / "v2-good.xml", records[:4])
    assert import_file(tmp_path / "v2-good.xml").updated == 1  # the curator's title stays the curator's


@pytest.mark.django_db
def test_an_import_whose_process_is_gone_is_undone_and_its_upload_marked_failed(tmp_path, small_chunks, monkeypatch):
    before = record_digest()
    job = ImportJob.objects.create(original_name="killed.xml", status=ImportStatus.RUNNING, runner="ghost:1")

    class Killed(BaseException):
        pass

    def killed_after_the_first_chunk(count):
        raise Killed

    # A process killed part-way never runs its undo: simulated by stopping the undo, then the process.
    monkeypatch.setattr(batches, "undo", lambda batch: None)
    records = [pubmed_record(100 + n, f"Record {n}.") for n in range(6)]
    with pytest.raises(Killed):
        import_file(write_pubmed(tmp_path / "killed.xml", records), progress=killed_after_the_first_chunk, job=job)
    assert Article.objects.filter(pmid__in=[100, 101]).count() == 2
    monkeypatch.undo()
    gone = f"{batches.socket.gethostname()}:{2**22 + 1}"  # above Linux's highest process id
    ImportBatch.objects.update(runner=gone)
    ImportJob.objects.filter(pk=job.pk).update(runner=gone)
    assert batches.undo_abandoned() == 1
    assert record_digest() == before
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "its process ended before the file was in" in job.errors[0]


@pytest.mark.django_db
def test_a_running_import_of_this_machine_or_another_is_left_alone():
    ImportBatch.objects.create(source="running.xml", runner=batches.this_runner())
    ImportBatch.objects.create(source="elsewhere.xml", runner="another-host:1")
    assert batches.undo_abandoned() == 0
    assert ImportBatch.objects.count() == 2
