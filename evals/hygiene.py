"""What a reader sees as a defect in an answer, whatever a metric says: checked on every answered reply.

- ``heading``: a line of the answer that is only a heading of the sections it cites (a heading
  passed off as a sentence);
- ``dangling``: the answer opens with a sentence that points back to one it does not give
  ("Hiermee …", "Op basis hiervan …"), or its last line announces what does not follow (ends in ":");
- ``duplicate``: the same sentence twice;
- ``cut``: a word cut at a line end ("programma-") or a quoted sentence that starts in its middle
  (a lower-case word, in a line that is no list item).

The answer's English framing line (an English reply's first line, which names the documents and
cites nothing) is not quoted text and is not checked.
"""

from __future__ import annotations

import re

from rag.schema import SECTION_SEP, Reply

_MARKERS = re.compile(r"\s*\[\d+\]")
_ITEM = re.compile(r"^\s*(?:[-•]|\d{1,2}[.)]|[a-z][.)]|\([a-z0-9]\))\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Openings that refer back to a sentence before them; an answer cannot start with one.
_POINTS_BACK = re.compile(
    r"^(?:hiermee|hierdoor|hiervoor|hierbij|hierin|daarmee|daardoor|daarvoor|daarbij|daarin|"
    r"op basis hiervan|op basis daarvan|om dit te|om dat te|dit doen we|dit doet|zo ook)\b",
    re.I,
)
_CUT_END = re.compile(r"\w-$")
_ENDS = re.compile(r"[.!?]$")  # a quoted sentence, as opposed to a composed label line


def defects(reply: Reply) -> list[str]:
    """The defects of an answered reply, each as ``kind: text``; none for other replies."""
    if reply.status != "answered":
        return []
    lines = [_MARKERS.sub("", line).strip() for line in reply.answer.splitlines()]
    if reply.language == "en" and lines and "[" not in reply.answer.splitlines()[0]:
        lines = lines[1:]
    lines = [line for line in lines if line]
    headings = {h.strip().casefold() for c in reply.citations for h in c.section.split(SECTION_SEP.strip())}
    found: list[str] = []
    for at, line in enumerate(lines):
        text = _ITEM.sub("", line)
        last = at + 1 == len(lines)
        if line.endswith(":") and last:  # "… zijn hieronder weergegeven:" and nothing follows
            found.append(f"dangling: {text}")
        elif not line.endswith(":") and {line.casefold().rstrip("."), text.casefold().rstrip(".")} & headings:
            found.append(f"heading: {text}")  # a label ending in ':' introduces what follows it
        if _CUT_END.search(text) or (text[:1].islower() and not _ITEM.match(line) and _ENDS.search(text)):
            found.append(f"cut: {text}")
    if lines and _POINTS_BACK.match(_ITEM.sub("", lines[0])):
        found.append(f"dangling: {lines[0]}")
    sentences = [s.strip().casefold() for line in lines for s in _SENTENCE.split(_ITEM.sub("", line))]
    seen: set[str] = set()
    for sentence in sentences:
        if len(sentence) > 20 and sentence in seen:
            found.append(f"duplicate: {sentence}")
        seen.add(sentence)
    return found
