"""Serving stored files (scans, annexes, materials). Nothing under MEDIA_ROOT is
public: each app's view finds the record within the viewer's scope first, then
hands its file here."""

from django.http import FileResponse, Http404

from .uploads import sniff


def serve(stored):
    """The stored file, never rendered as part of our origin.

    Its Content-Type comes from its content, not its name. A PDF or an image that
    passed the upload check may open in the browser (its viewer); anything else (a
    file stored before the check existed) is a download. ``nosniff`` stops the
    browser guessing HTML, and ``CSP: sandbox`` gives even an inline file an opaque
    origin, so a script in it cannot act with the viewer's session.
    """
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    kind = sniff(handle)
    inline = kind is not None and kind.inline
    response = FileResponse(
        handle,
        filename=stored.name.rsplit("/", 1)[-1],
        as_attachment=not inline,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
