"""Serving stored files (scans, annexes, materials). Nothing under MEDIA_ROOT is
public: each app's view finds the record within the viewer's scope first, then
hands its file here."""

from django.http import FileResponse, Http404


def serve(stored):
    """The stored file inline (a browser shows a PDF or an image), or 404 if none."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, filename=stored.name.rsplit("/", 1)[-1])
