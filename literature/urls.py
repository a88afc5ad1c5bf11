"""Public URLs of the reader site."""

from django.urls import path

from . import views

app_name = "literature"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleSearchView.as_view(), name="article-list"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<int:pk>/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("journals/<int:pk>/", views.JournalDetailView.as_view(), name="journal-detail"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("keywords/<slug:slug>/", views.KeywordDetailView.as_view(), name="keyword-detail"),
    path("drugs/", views.DrugListView.as_view(), name="drug-list"),
    path("drugs/<slug:slug>/", views.DrugDetailView.as_view(), name="drug-detail"),
    path("subjects/", views.SubjectListView.as_view(), name="subject-list"),
    path("subjects/<int:code>/", views.SubjectDetailView.as_view(), name="subject-detail"),
]
