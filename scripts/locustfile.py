"""The mixed traffic of `make loadtest` (run by scripts/loadtest.py, which starts the servers):
readers searching with common words, opening article and drug pages and reading the API, and a
trickle of curator writes through the API with a token. Names, ids and the token come from the
JSON file in LOADTEST_DATA, written by scripts/loadtest.py from the database under test."""

import json
import os
import random

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["LOADTEST_DATA"]).read())  # noqa: SIM115 - read once at start
COMMON_WORDS = ["patients", "treatment", "myeloma", "lenalidomide", "cancer", "response", "dose"]


class Reader(HttpUser):
    weight = 20
    wait_time = between(0.5, 2)

    @task(4)
    def search(self):
        word = random.choice(COMMON_WORDS)
        self.client.get(f"/articles/?q={word}", name="search ?q=<common word>")

    @task(1)
    def search_with_filters(self):
        drug = random.choice(DATA["drugs"])
        self.client.get(f"/articles/?q=patients&drug={drug}&year_from=2005", name="search + filters")

    @task(1)
    def browse_newest(self):
        self.client.get(f"/articles/?page={random.randint(1, 50)}", name="search, no query, page N")

    @task(4)
    def article(self):
        self.client.get(random.choice(DATA["articles"])["url"], name="article page")

    @task(2)
    def drug(self):
        self.client.get(f"/drugs/{random.choice(DATA['drugs'])}/", name="drug page")

    @task(2)
    def api_list(self):
        word = random.choice(COMMON_WORDS)
        self.client.get(f"/api/v1/articles/?q={word}", name="API list ?q=")

    @task(1)
    def api_by_drug(self):
        self.client.get(f"/api/v1/articles/?drug={random.choice(DATA['drugs'])}", name="API list ?drug=")


class Curator(HttpUser):
    """One edit every few seconds: each moves the corpus version that cached pages are keyed on."""

    weight = 1
    wait_time = between(3, 6)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {DATA['token']}"

    @task
    def edit_an_article(self):
        url = f"/api/v1/articles/{random.choice(DATA['articles'])['pk']}/"
        etag = self.client.get(url, name="API GET article (curator)").headers.get("ETag", "*")
        change = {"volume": str(random.randint(1, 99))}
        self.client.patch(url, json=change, headers={"If-Match": etag}, name="API PATCH article")
