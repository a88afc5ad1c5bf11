"""Loads Elsevier's All Science Journal Classification (ASJC): the 27 two-digit subject areas and the
four-digit codes under them, from literature/data/asjc.csv."""

import csv
from pathlib import Path

from django.db import migrations

ASJC_FILE = Path(__file__).resolve().parent.parent / "data" / "asjc.csv"


def load_asjc(apps, schema_editor):
    SubjectArea = apps.get_model("literature", "SubjectArea")
    with ASJC_FILE.open(encoding="utf-8", newline="") as handle:
        rows = [(int(row["code"]), row["name"], row["branch"]) for row in csv.DictReader(handle)]
    areas = {
        code: SubjectArea.objects.update_or_create(code=code, defaults={"name": name, "branch": branch})[0]
        for code, name, branch in rows
        if code < 100
    }
    for code, name, branch in rows:
        if code >= 100:
            SubjectArea.objects.update_or_create(
                code=code, defaults={"name": name, "branch": branch, "parent": areas[code // 100]}
            )


def unload_asjc(apps, schema_editor):
    SubjectArea = apps.get_model("literature", "SubjectArea")
    SubjectArea.objects.filter(parent__isnull=False).delete()
    SubjectArea.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("literature", "0001_initial")]

    operations = [migrations.RunPython(load_asjc, unload_asjc)]
