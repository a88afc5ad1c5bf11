"""Downloads of the newest snapshot (literature/snapshots.py): its manifest, with a link to each file,
and the files themselves, streamed."""

import json

from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from literature.snapshots import latest_snapshot

CONTENT_TYPES = {".gz": "application/gzip", ".json": "application/json"}


@require_safe
def latest_manifest(request):
    folder = latest_snapshot()
    if folder is None:
        raise Http404("No snapshot has been written yet (manage.py export_snapshot).")
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, described in manifest["files"].items():
        described["url"] = request.build_absolute_uri(reverse("literature:snapshot-file", args=[name]))
    return JsonResponse(manifest, json_dumps_params={"indent": 1})


@require_safe
def latest_file(request, name):
    folder = latest_snapshot()
    path = folder / name if folder else None
    # Only a file the manifest lists: the name never walks out of the folder.
    if path is None or name not in json.loads((folder / "manifest.json").read_text())["files"]:
        raise Http404("No such file in the latest snapshot.")
    # FileResponse closes the file when the download is done.
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=f"{folder.name}-{name}")  # noqa: SIM115
    response["Content-Type"] = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
    return response
