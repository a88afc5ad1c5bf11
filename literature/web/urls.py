"""Public URLs of the reader site."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import require_safe

from literature.web import feeds, snapshots, views
from literature.web.sitemaps import SITEMAPS

app_name = "literature"

# Feeds, sitemaps and robots.txt are read-only: anything but GET and HEAD is a 405 (the class-based
# pages answer so by themselves).

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleSearchView.as_view(), name="article-list"),
    path("articles/export/<slug:format>/", views.ArticleExportView.as_view(), name="article-export"),
    path("articles/feed/", require_safe(feeds.SearchFeed()), name="search-feed"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<int:pk>/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<int:pk>/cite/<slug:format>", views.CitationView.as_view(), name="article-cite"),
    path("journals/<int:pk>/", views.JournalDetailView.as_view(), name="journal-detail"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("keywords/<slug:slug>/", views.KeywordDetailView.as_view(), name="keyword-detail"),
    path("drugs/", views.DrugListView.as_view(), name="drug-list"),
    path("drugs/<slug:slug>/", views.DrugDetailView.as_view(), name="drug-detail"),
    path("subjects/", views.SubjectListView.as_view(), name="subject-list"),
    path("subjects/<int:code>/", views.SubjectDetailView.as_view(), name="subject-detail"),
    path("feeds/articles/", require_safe(feeds.NewestArticlesFeed()), name="article-feed"),
    path("drugs/<slug:slug>/feed/", require_safe(feeds.DrugFeed()), name="drug-feed"),
    path("keywords/<slug:slug>/feed/", require_safe(feeds.KeywordFeed()), name="keyword-feed"),
    path("robots.txt", require_safe(views.robots_txt), name="robots-txt"),
    path("favicon.ico", require_safe(views.favicon), name="favicon"),
    path("snapshots/latest/", snapshots.latest_manifest, name="snapshot"),
    path("snapshots/latest/<str:name>", snapshots.latest_file, name="snapshot-file"),
    path(
        "sitemap.xml",
        require_safe(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "literature:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", require_safe(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap-section"),
]
