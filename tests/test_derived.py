"""The one derived-data path: what `refresh_derived` brings up to date, and when."""

import pytest
from django.db import connection

from literature.derived import collecting, refresh_derived
from literature.derived.refresh import current_version
from literature.models import Article, ArticleSearchEntry
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_search_index_follows_a_save_inside_the_same_transaction():
    article = ArticleFactory(title="Cereblon binding of lenalidomide")
    assert Article.objects.search("cereblon").get() == article
    article.title = "Ikaros degradation"
    article.save()
    assert not Article.objects.search("cereblon").exists()
    assert Article.objects.search("ikaros").get() == article


def test_the_corpus_version_moves_once_per_commit_however_many_writes(django_capture_on_commit_callbacks):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            ArticleFactory(title=f"Study {n}", authors=3)
    assert current_version() == before + 1


def test_nothing_moves_before_the_commit(django_capture_on_commit_callbacks):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory()
    assert current_version() == before
    assert callbacks  # the bump waits for the commit


def test_a_collecting_block_indexes_each_article_once_at_its_end(django_assert_num_queries):
    article = ArticleFactory(authors=0)
    # Names no stemmer changes: the index keeps names as they are ('simple' on PostgreSQL).
    people = [PersonFactory(family_name=name) for name in ("Okafor", "Nakamura", "Kowalczyk", "Zhang")]
    with collecting():
        for person in people:
            article.authorships.create(person=person, position=people.index(person) + 1)
        # Nothing indexed yet: the four authorships wait for the end of the block.
        assert not Article.objects.search(people[0].family_name).exists()
    assert Article.objects.search(people[3].family_name).get() == article


def test_refresh_without_index_or_mining_leaves_the_index_alone():
    article = ArticleFactory(title="Thalidomide teratogenicity")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM literature_article_fts WHERE rowid = %s", [article.pk])
    refresh_derived([article.pk], index=False, mining=False)
    assert not ArticleSearchEntry.objects.filter(article=article).exists()
    refresh_derived([article.pk], mining=False)
    assert Article.objects.search("teratogenicity").get() == article


def test_a_change_does_not_make_cached_aggregates_cold(
    client, settings, monkeypatch, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from literature.derived import cache as derived_cache

    settings.CACHE_STALE_SECONDS = 60
    refreshed = []
    monkeypatch.setattr(
        derived_cache, "start_in_background", lambda function, *args: refreshed.append((function, args))
    )
    ArticleFactory(title="Lenalidomide maintenance")
    client.get("/articles/")  # facets computed and cached
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Pomalidomide salvage")
    # Served at once from the entries of the previous version: the corpus version (read for the facets
    # and for the page's ids), the page's articles by id, their authorships; no facet query, no count, no
    # search. The refreshes are handed to a thread, once each: the facets and the page's ids.
    with django_assert_num_queries(4):
        stale = client.get("/articles/")
    assert sum(value.count for value in stale.context["facets"][0].values) == 1
    assert [article.title for article in stale.context["articles"]] == ["Lenalidomide maintenance"]
    assert [args[0].split(":")[0] for _, args in refreshed] == ["facets", "list-page"]
    for function, args in refreshed:
        function(*args)  # what the thread does
    refreshed.clear()
    fresh = client.get("/articles/")
    assert sum(value.count for value in fresh.context["facets"][0].values) == 2
    assert [article.title for article in fresh.context["articles"]] == [
        "Pomalidomide salvage",
        "Lenalidomide maintenance",
    ]
    assert not refreshed


def test_nothing_stale_is_served_once_the_entry_is_older_than_the_limit(client, settings, monkeypatch):
    from literature.derived import cache as derived_cache
    from literature.derived.refresh import bump_version

    settings.CACHE_STALE_SECONDS = 60
    monkeypatch.setattr(derived_cache, "start_in_background", lambda *args: pytest.fail("no refresh expected"))
    ArticleFactory()
    client.get("/articles/")
    ArticleFactory()
    bump_version()  # as the commit of that article would
    later = derived_cache.time.time() + 61
    monkeypatch.setattr(derived_cache.time, "time", lambda: later)
    facets = client.get("/articles/").context["facets"]
    assert sum(value.count for value in facets[0].values) == 2


def test_derived_work_failing_after_commit_never_fails_the_saved_write_and_goes_to_the_worker(
    curator_api, seed_article, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResult

    from literature.derived import refresh

    def locked(article_ids):
        raise OperationalError("database is locked")

    monkeypatch.setattr(refresh, "mine", locked)
    url = f"/api/v1/articles/{seed_article.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_api.patch(url, {"volume": "36"}, format="json", HTTP_IF_MATCH=curator_api.get(url)["ETag"])
    assert response.status_code == 200
    assert Article.objects.get(pk=seed_article.pk).volume == "36"
    (queued,) = DBTaskResult.objects.filter(task_path="literature.derived.tasks.refresh_in_background")
    assert seed_article.pk in queued.args_kwargs["args"][0]  # with any still pending from earlier writes


def test_while_writes_keep_coming_an_aggregate_is_recomputed_at_most_once_per_refresh_interval(
    client, settings, monkeypatch
):
    from literature.derived import cache as derived_cache
    from literature.derived.refresh import bump_version

    settings.CACHE_STALE_SECONDS, settings.CACHE_REFRESH_SECONDS = 60, 10
    refreshed = []
    monkeypatch.setattr(derived_cache, "start_in_background", lambda function, *args: refreshed.append(args))
    ArticleFactory()
    client.get("/articles/")  # facets computed and cached at t0
    computed = derived_cache.time.time()
    ArticleFactory()
    bump_version()
    monkeypatch.setattr(derived_cache.time, "time", lambda: computed + 5)
    soon = client.get("/articles/").context["facets"]
    assert sum(value.count for value in soon[0].values) == 1  # served as it was
    assert not refreshed  # and not recomputed: it is younger than the refresh interval
    monkeypatch.setattr(derived_cache.time, "time", lambda: computed + 11)
    client.get("/articles/")
    # older: recomputed, in a thread (the facets and the page's ids, each once)
    assert [key.split(":")[0] for key, _ in refreshed] == ["facets", "list-page"]
