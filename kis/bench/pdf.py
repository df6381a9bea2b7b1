"""A minimal PDF writer for the synthetic site's reports: pages of text lines in Helvetica.

Enough of the format for pypdf to read text and font sizes (one Type1 font, one content stream per
page, positioned lines), and small enough that hundreds of 20–80-page reports are generated on the
fly without a PDF library in the runtime dependencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 595, 842, 56


@dataclass(frozen=True)
class Line:
    """A line of text at a font size; ``gap`` adds space above it (a new paragraph or heading)."""

    text: str
    size: float = 11.0
    gap: float = 0.0


def _escape(text: str) -> bytes:
    """A PDF string literal's body: WinAnsi bytes, with backslash and parentheses escaped."""
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: Sequence[Line]) -> bytes:
    """One page's content stream: each line placed below the one before."""
    out = [b"BT"]
    y = float(HEIGHT - MARGIN)
    for line in lines:
        y -= line.size * 1.3 + line.gap
        out.append(b"/F1 %.1f Tf 1 0 0 1 %d %.1f Tm (%s) Tj" % (line.size, MARGIN, y, _escape(line.text)))
    out.append(b"ET")
    return b"\n".join(out)


def write_pdf(pages: Sequence[Sequence[Line]], title: str, created: str) -> bytes:
    """A PDF whose pages hold ``pages``' lines; ``created`` is a PDF date (``D:20240105``)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the page objects' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (%s) /CreationDate (%s) >>" % (_escape(title), created.encode()),
    ]
    kids: list[int] = []
    for lines in pages:
        stream = _content(lines)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents %d 0 R >>" % (WIDTH, HEIGHT, len(objects))
        )
        kids.append(len(objects))
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(body)
