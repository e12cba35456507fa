"""A PDF conformance check on substance: what a file claims, held to what it contains.

A PDF that says it is PDF/X or PDF/UA in its metadata promises a print shop
or a screen reader things a string cannot show; this check reads the file
with pypdf and looks for the things themselves. It is no validator (none
such as veraPDF can be installed here): it covers the parts of the
standards the project's outputs can get wrong, listed below, and
``check_pdf`` returns one ``Finding`` per fault, each with a short stable
rule name.

**PDF/X** (ISO 15930-7, PDF/X-4), checked when the XMP metadata has
``pdfxid:GTS_PDFXVersion`` or the Info dictionary has ``/GTS_PDFXVersion``:

- ``pdfx-output-intent``: the catalog's ``/OutputIntents`` holds a ``/S
  /GTS_PDFX`` intent with an ``/OutputConditionIdentifier`` and a
  ``/DestOutputProfile`` ICC stream of ``/N 4`` (CMYK). The profile's bytes
  are not parsed.
- ``pdfx-rgb-content``: no RGB anywhere it can be painted from: ``rg``/``RG``
  operators; ``cs``/``CS`` selecting DeviceRGB, CalRGB, an ICCBased space of
  ``/N 3``, or an Indexed, Separation, DeviceN or Pattern space built on one;
  images (XObjects and inline) in such a space; transparency groups whose
  ``/CS`` is one; shadings and patterns; in page contents, form XObjects
  (recursively, soft-mask groups included), Type 3 glyphs and annotation
  appearance streams. This is stricter than ISO 15930-7, which admits
  ICC-based RGB: the project's print files are CMYK only.
- ``pdfx-page-boxes``: every page has a TrimBox or an ArtBox, not both; it
  lies within the BleedBox if there is one, which lies within the MediaBox
  (or within the MediaBox when there is no BleedBox, and within the CropBox
  if there is one).
- ``pdfx-trapped``: Info ``/Trapped`` is ``/True`` or ``/False``.
- ``pdfx-title``: Info ``/Title`` is not empty.
- ``pdfx-id``: the trailer has a document ``/ID`` of two strings.
- ``pdfx-version``: a PDF/X-4 file is a PDF 1.6 file: a declared version
  later than 1.6 is a finding.
- ``pdfx-encryption``: the file is not encrypted.

Not covered for PDF/X: the ICC profile's contents (header, class, version)
and ``/Info`` of the intent; the XMP's own schema requirements (version
identifier's value, ``xmp:CreateDate``, ``xmpMM`` keys, the XMP ``pdf:Trapped``
matching the Info dictionary); fonts being embedded; Separation and DeviceN
names and their alternates' consistency; overprint modes; Lab and
CalGray spaces; the colour space inside JPEG 2000 images that declare none;
optional-content configuration rules; annotation types and their placement
(PrinterMark, TrapNet); external references (``/Ref``, OPI, ``/F`` file
specifications); actions and JavaScript; the ``/Version`` key inside the
metadata; PDF/X-4p and X-5 variants.

**PDF/UA** (ISO 14289-1, PDF/UA-1, with the numbers of the Matterhorn
protocol's checkpoints), checked when the XMP metadata has ``pdfuaid:part``:

- ``pdfua-marked`` (01-001, 01-002): ``/MarkInfo`` has ``/Marked true`` and
  no ``/Suspects true``.
- ``pdfua-structure`` (01-006 in part): the catalog has a
  ``/StructTreeRoot``.
- ``pdfua-untagged-content`` (01-005): every painting operator of a page's
  content stream (text, path painting, ``Do``, ``sh``, inline images) lies
  inside marked content, tagged or ``/Artifact``; form XObjects inherit
  the marked content they are drawn in.
- ``pdfua-language`` (11-001 for the document): the catalog has a non-empty
  ``/Lang``.
- ``pdfua-title`` (06-004, 07-001): the XMP has a non-empty ``dc:title`` and
  ``/ViewerPreferences`` has ``/DisplayDocTitle true``.
- ``pdfua-role-map`` (02-001, 02-004): every structure type is a standard
  one or is role-mapped to one, and no standard type is remapped.
- ``pdfua-figure-alt`` (13-004): every ``Figure`` element (after the role
  map) has a non-empty ``/Alt`` or ``/ActualText``.
- ``pdfua-header-scope`` (15-003): every ``TH`` element (after the role map)
  has a ``/Scope`` among its Table attributes (``/A`` or through
  ``/C`` and the ``/ClassMap``). Stricter than the checkpoint, which lets a
  table do without when its cells name their headers with ``/Headers``.

Not covered for PDF/UA: the semantic checkpoints a person must judge (most
of 01, 13, 14, 15 and 28: is the tagging right, is the alt text meaningful,
are headings nested, reading order); structure-tree consistency beyond
the above (parent tree, MCIDs pointing at existing elements, 09 nesting
rules for lists, tables, TOCs); natural language of individual elements,
alt text and outlines (11-002 to 11-007); fonts (31: embedding, ToUnicode,
``.notdef``); annotations and forms (28); links (28-011); optional content
(20); embedded files (21); XObjects' ``/Ref`` (30); document ``/Security``
(26); the PDF/A-like metadata rules of 06 other than the title; the other
``/ViewerPreferences``; tab order (``/Tabs /S``); ``/Note`` IDs (19).

**Crop marks** (``crop-marks``), on any page with a BleedBox and a
TrimBox: a heuristic on stroked straight lines outside the trim box. The
page's content and its form XObjects are followed with their coordinate
transformations (``cm``, ``q``/``Q``, a form's ``/Matrix``); a segment built
with ``m``/``l``/``h``/``re`` and stroked (``S``, ``s``, ``B``, ``B*``,
``b``, ``b*``) that does not enter the TrimBox is a mark, and a mark with
any point strictly inside the BleedBox and outside the TrimBox is a
finding: marks belong outside the bleed. Curves, line widths, line caps,
text, clipping and marks drawn as annotations are not considered.

**PDF version** (``pdf-version``): the version the file declares (its
header, or the catalog's ``/Version`` when that is later) is at least that
of every feature it uses: 1.4 for transparency (a soft mask ``/SMask`` in an
image or graphics state, ``/CA`` or ``/ca`` below 1, a blend mode other than
Normal, a ``/Group`` of ``/S /Transparency``) and JBIG2 images; 1.5 for
object streams, a cross-reference stream, optional content
(``/OCProperties``), JPEG 2000 images and crypt filters (``/V 4``); 1.6
for OpenType font files (``/FontFile3`` of ``/Subtype /OpenType``) and
AES-128 encryption; 1.7 (with Adobe's extension level 3) for AES-256. Other
features of later versions (3D, XFA, rich media, …) are not looked for.

A file pypdf cannot read gives one ``pdf-unreadable`` finding; an XMP packet
that is not XML gives ``xmp-unreadable`` (and then no claim is seen in it).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

Matrix = tuple[float, float, float, float, float, float]
Segment = tuple[float, float, float, float]
"""A straight line from (x0, y0) to (x1, y1), in the page's default user space."""
Box = tuple[float, float, float, float]
"""A rectangle as (left, bottom, right, top)."""

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
EPSILON = 1e-3
"""How far, in points, a mark may reach past a box's edge before it counts as inside."""
MAX_DEPTH = 32
"""How deep forms within forms, and role maps, are followed."""
PDFX_MAX_VERSION = (1, 6)
"""PDF/X-4 is built on PDF 1.6."""

NS_PDFX = "http://www.npes.org/pdfx/ns/id/"
NS_PDFUA = "http://www.aiim.org/pdfua/ns/id/"
NS_DC = "http://purl.org/dc/elements/1.1/"

RGB_NAMES = {"/DeviceRGB", "/RGB", "/CalRGB"}
STANDARD_TYPES = frozenset(
    re.findall(
        r"\w+",
        "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
        "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
        "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
        "Figure Formula Form",
    )
)
"""The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4), on which PDF/UA-1 builds."""
STROKING = {"S", "s", "B", "B*", "b", "b*"}
CLOSING = {"s", "b", "b*"}
PATH_ENDS = STROKING | {"f", "F", "f*", "n"}
PAINTING = (PATH_ENDS - {"n"}) | {"Tj", "TJ", "'", '"', "sh", "INLINE IMAGE"}
"""Operators that paint, other than ``Do`` (an image paints; a form's own operators are read)."""


@dataclass(frozen=True)
class Finding:
    """One way a PDF falls short of what it claims or of the version it declares."""

    rule: str
    """A short stable name of the rule, e.g. ``pdfx-output-intent``."""
    page: int | None
    """The page it is on, counted from 1, or None for the whole document."""
    detail: str
    """What is wrong, and where."""


@dataclass
class _Scan:
    """What the content of one page paints: its RGB, its stroked lines, its untagged paint."""

    rgb: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    untagged: list[str] = field(default_factory=list)


def check_pdf(data: bytes, name: str = "") -> list[Finding]:
    """Return every finding on the PDF ``data``, in a stable order, without repeats.

    ``name`` labels the file in the finding of a file that cannot be read.
    """
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        findings = _check(reader, data)
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, NotImplementedError) as e:
        label = f"{name}: " if name else ""
        return [Finding("pdf-unreadable", None, f"{label}pypdf cannot read the file: {e}")]
    unique: dict[Finding, None] = dict.fromkeys(findings)
    return list(unique)


def _check(reader: PdfReader, data: bytes) -> list[Finding]:
    """Run every rule on an opened file."""
    findings: list[Finding] = []
    catalog = _res(reader.trailer["/Root"])
    info = _res(reader.trailer.get("/Info"))
    info = info if isinstance(info, DictionaryObject) else DictionaryObject()
    xmp = _xmp(catalog, findings)
    scans = [_scan_page(page) for page in reader.pages]
    pdfx = _xmp_values(xmp, NS_PDFX, "GTS_PDFXVersion") if xmp is not None else []
    if "/GTS_PDFXVersion" in info:
        pdfx.append(str(info["/GTS_PDFXVersion"]))
    if pdfx:
        findings += _check_pdfx(reader, catalog, info, scans, pdfx)
    if xmp is not None and _xmp_values(xmp, NS_PDFUA, "part"):
        findings += _check_pdfua(reader, catalog, xmp, scans)
    findings += _check_crop_marks(reader, scans)
    findings += _check_version(reader, catalog, data)
    return findings


# ---------------------------------------------------------------- PDF/X


def _check_pdfx(
    reader: PdfReader,
    catalog: DictionaryObject,
    info: DictionaryObject,
    scans: list[_Scan],
    claims: list[str],
) -> list[Finding]:
    """Hold a file that claims PDF/X to an output intent, CMYK colour, boxes and metadata."""
    found: list[Finding] = []
    claim = claims[0].strip()
    intents = [_res(i) for i in _array(catalog.get("/OutputIntents"))]
    pdfx_intents = [
        i for i in intents if isinstance(i, DictionaryObject) and i.get("/S") == "/GTS_PDFX"
    ]
    if not pdfx_intents:
        found.append(
            Finding(
                "pdfx-output-intent", None, f"claims {claim} but has no /GTS_PDFX output intent"
            )
        )
    for intent in pdfx_intents:
        profile = _res(intent.get("/DestOutputProfile"))
        if not isinstance(profile, StreamObject):
            found.append(
                Finding(
                    "pdfx-output-intent",
                    None,
                    "the output intent has no /DestOutputProfile ICC stream",
                )
            )
        elif profile.get("/N") != 4:
            found.append(
                Finding(
                    "pdfx-output-intent",
                    None,
                    f"the output intent's profile has /N {profile.get('/N')}, not 4 (CMYK)",
                )
            )
        if not _text(intent.get("/OutputConditionIdentifier")):
            found.append(
                Finding(
                    "pdfx-output-intent",
                    None,
                    "the output intent has no /OutputConditionIdentifier",
                )
            )
    for number, (page, scan) in enumerate(zip(reader.pages, scans, strict=True), start=1):
        found += [Finding("pdfx-rgb-content", number, what) for what in scan.rgb]
        found += [Finding("pdfx-page-boxes", number, what) for what in _box_faults(page)]
    trapped = info.get("/Trapped")
    if trapped not in ("/True", "/False"):
        what = f"is {trapped}" if trapped is not None else "is missing"
        found.append(
            Finding("pdfx-trapped", None, f"Info /Trapped {what}: it must be /True or /False")
        )
    if not _text(info.get("/Title")):
        found.append(Finding("pdfx-title", None, "the Info dictionary has no /Title"))
    ids = _array(reader.trailer.get("/ID"))
    if len(ids) != 2:
        found.append(Finding("pdfx-id", None, "the trailer has no document /ID of two strings"))
    version = _declared_version(reader, catalog)
    if "X-4" in claim and version is not None and version > PDFX_MAX_VERSION:
        found.append(
            Finding(
                "pdfx-version",
                None,
                f"claims {claim}, built on PDF 1.6, but declares PDF {_v(version)}",
            )
        )
    if "/Encrypt" in reader.trailer:
        found.append(Finding("pdfx-encryption", None, "the file is encrypted"))
    return found


def _box_faults(page: Any) -> list[str]:
    """Return what is wrong with one page's boxes for PDF/X."""
    faults: list[str] = []
    media = _box(page.mediabox)
    trim = _box(page["/TrimBox"]) if "/TrimBox" in page else None
    art = _box(page["/ArtBox"]) if "/ArtBox" in page else None
    bleed = _box(page["/BleedBox"]) if "/BleedBox" in page else None
    crop = _box(page["/CropBox"]) if "/CropBox" in page else None
    if trim is None and art is None:
        faults.append("the page has neither a TrimBox nor an ArtBox")
    if trim is not None and art is not None:
        faults.append("the page has both a TrimBox and an ArtBox")
    for label, box in (("TrimBox", trim), ("ArtBox", art)):
        if box is None:
            continue
        outer, outer_label = (bleed, "BleedBox") if bleed is not None else (media, "MediaBox")
        if not _within(box, outer):
            faults.append(
                f"the {label} {_fmt_box(box)} is not within the {outer_label} {_fmt_box(outer)}"
            )
        if crop is not None and not _within(box, crop):
            faults.append(f"the {label} {_fmt_box(box)} is not within the CropBox {_fmt_box(crop)}")
    if bleed is not None and not _within(bleed, media):
        faults.append(
            f"the BleedBox {_fmt_box(bleed)} is not within the MediaBox {_fmt_box(media)}"
        )
    return faults


# ---------------------------------------------------------------- PDF/UA


def _check_pdfua(
    reader: PdfReader, catalog: DictionaryObject, xmp: ET.Element, scans: list[_Scan]
) -> list[Finding]:
    """Hold a file that claims PDF/UA to its tagging, language, title, alt texts and headers."""
    found: list[Finding] = []
    mark_info = _res(catalog.get("/MarkInfo"))
    mark_info = mark_info if isinstance(mark_info, DictionaryObject) else DictionaryObject()
    if not _true(mark_info.get("/Marked")):
        found.append(Finding("pdfua-marked", None, "the catalog's /MarkInfo has no /Marked true"))
    if _true(mark_info.get("/Suspects")):
        found.append(Finding("pdfua-marked", None, "the catalog's /MarkInfo has /Suspects true"))
    if not _text(catalog.get("/Lang")):
        found.append(Finding("pdfua-language", None, "the catalog has no /Lang"))
    if not any(t.strip() for t in _xmp_values(xmp, NS_DC, "title")):
        found.append(Finding("pdfua-title", None, "the XMP metadata has no dc:title"))
    preferences = _res(catalog.get("/ViewerPreferences"))
    if not isinstance(preferences, DictionaryObject) or not _true(
        preferences.get("/DisplayDocTitle")
    ):
        found.append(
            Finding("pdfua-title", None, "/ViewerPreferences has no /DisplayDocTitle true")
        )
    for number, scan in enumerate(scans, start=1):
        found += [Finding("pdfua-untagged-content", number, what) for what in scan.untagged]
    root = _res(catalog.get("/StructTreeRoot"))
    if not isinstance(root, DictionaryObject):
        found.append(Finding("pdfua-structure", None, "the catalog has no /StructTreeRoot"))
        return found
    pages = {
        page.indirect_reference.idnum: number
        for number, page in enumerate(reader.pages, start=1)
        if page.indirect_reference is not None
    }
    role_map = _dict(root, "/RoleMap")
    class_map = _dict(root, "/ClassMap")
    for key in role_map:
        if key[1:] in STANDARD_TYPES:
            found.append(Finding("pdfua-role-map", None, f"the standard type {key} is role-mapped"))
    for element in _elements(root):
        tag = str(element.get("/S"))
        page = _page_of(element, pages)
        standard = _standard_type(tag, role_map)
        if standard is None:
            found.append(
                Finding(
                    "pdfua-role-map",
                    page,
                    f"{tag} is neither standard nor mapped to a standard type",
                )
            )
        elif standard == "Figure":
            if not (_text(element.get("/Alt")) or _text(element.get("/ActualText"))):
                found.append(Finding("pdfua-figure-alt", page, f"a {tag} element has no /Alt text"))
        elif standard == "TH" and not _has_scope(element, class_map):
            found.append(
                Finding(
                    "pdfua-header-scope", page, f"a {tag} element has no Table /Scope attribute"
                )
            )
    return found


def _elements(root: DictionaryObject) -> Iterator[DictionaryObject]:
    """Yield every structure element under the structure tree root, each once."""
    seen: set[int] = set()
    stack: list[Any] = list(reversed(_array_or_one(root.get("/K"))))
    while stack:
        raw = stack.pop()
        if isinstance(raw, IndirectObject):
            if raw.idnum in seen:
                continue
            seen.add(raw.idnum)
        kid = _res(raw)
        if not isinstance(kid, DictionaryObject) or "/S" not in kid:
            continue  # a marked-content ID, a marked-content or object reference
        yield kid
        stack.extend(reversed(_array_or_one(kid.raw_get("/K") if "/K" in kid else None)))


def _standard_type(tag: str, role_map: DictionaryObject) -> str | None:
    """Return the standard type ``tag`` is or maps to, or None."""
    for _ in range(MAX_DEPTH):
        if tag[1:] in STANDARD_TYPES:
            return tag[1:]
        mapped = role_map.get(tag)
        if not isinstance(mapped, NameObject):
            return None
        tag = str(mapped)
    return None


def _has_scope(element: DictionaryObject, class_map: DictionaryObject) -> bool:
    """Tell whether a structure element has a ``/Scope`` among its Table attributes."""
    owners = [_res(a) for a in _array_or_one(element.get("/A"))]
    for name in _array_or_one(element.get("/C")):
        owners += [_res(a) for a in _array_or_one(class_map.get(str(_res(name))))]
    return any(
        isinstance(a, DictionaryObject) and a.get("/O") == "/Table" and "/Scope" in a
        for a in owners
    )


def _page_of(element: DictionaryObject, pages: dict[int, int]) -> int | None:
    """Return the page number of a structure element's ``/Pg``, if it has one."""
    raw = element.raw_get("/Pg") if "/Pg" in element else None
    return pages.get(raw.idnum) if isinstance(raw, IndirectObject) else None


# ---------------------------------------------------------------- crop marks


def _check_crop_marks(reader: PdfReader, scans: list[_Scan]) -> list[Finding]:
    """Report stroked lines outside the trim box that reach into the bleed."""
    found: list[Finding] = []
    for number, (page, scan) in enumerate(zip(reader.pages, scans, strict=True), start=1):
        if "/TrimBox" not in page or "/BleedBox" not in page:
            continue
        trim, bleed = _box(page["/TrimBox"]), _box(page["/BleedBox"])
        for segment in scan.segments:
            if _clip(segment, _grow(trim, -EPSILON)) is not None:
                continue  # it enters the trimmed page: content, not a mark
            inside_bleed = _clip(segment, _grow(bleed, -EPSILON))
            if inside_bleed is None:
                continue
            on_trim = _clip(segment, _grow(trim, EPSILON))
            if on_trim is None or inside_bleed[0] < on_trim[0] or inside_bleed[1] > on_trim[1]:
                x0, y0, x1, y1 = segment
                found.append(
                    Finding(
                        "crop-marks",
                        number,
                        f"a stroked line from ({x0:.2f}, {y0:.2f}) to ({x1:.2f}, {y1:.2f}) lies "
                        f"between the TrimBox {_fmt_box(trim)} and the BleedBox {_fmt_box(bleed)}",
                    )
                )
    return found


def _clip(segment: Segment, box: Box) -> tuple[float, float] | None:
    """Return the part of ``segment`` inside the closed ``box``, as a parameter range, or None."""
    x0, y0, x1, y1 = segment
    left, bottom, right, top = box
    if left > right or bottom > top:
        return None
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - bottom), (dy, top - y0)):
        if p == 0:
            if q < 0:
                return None
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    return (t0, t1) if t0 <= t1 else None


# ---------------------------------------------------------------- PDF version


def _check_version(reader: PdfReader, catalog: DictionaryObject, data: bytes) -> list[Finding]:
    """Report each feature the file uses that is later than the version it declares."""
    version = _declared_version(reader, catalog)
    if version is None:
        return [Finding("pdf-version", None, "the file has no %PDF-n.m header")]
    features: dict[str, tuple[int, int]] = {}
    if reader.xref_objStm:
        features["object streams"] = (1, 5)
    if _xref_is_stream(data):
        features["a cross-reference stream"] = (1, 5)
    if "/OCProperties" in catalog:
        features["optional content (/OCProperties)"] = (1, 5)
    encrypt = _res(reader.trailer.get("/Encrypt"))
    if isinstance(encrypt, DictionaryObject):
        features.update(_encryption_features(encrypt))
    for obj in _all_dicts(reader):
        features.update(_object_features(obj))
    return [
        Finding(
            "pdf-version",
            None,
            f"declares PDF {_v(version)} but uses {what}, which needs PDF {_v(needs)}",
        )
        for what, needs in features.items()
        if needs > version
    ]


def _object_features(obj: DictionaryObject) -> dict[str, tuple[int, int]]:
    """Return the version-bound features one dictionary uses."""
    features: dict[str, tuple[int, int]] = {}
    smask = obj.get("/SMask")
    if smask is not None and smask != "/None":
        features["transparency (a soft mask, /SMask)"] = (1, 4)
    for key in ("/CA", "/ca"):
        alpha = obj.get(key)
        if isinstance(alpha, int | float) and not isinstance(alpha, bool) and alpha < 1:
            features[f"transparency ({key} below 1)"] = (1, 4)
    blend = obj.get("/BM")
    blends = [str(_res(b)) for b in _array_or_one(blend)]
    if blend is not None and not set(blends) <= {"/Normal", "/Compatible"}:
        features["transparency (a blend mode)"] = (1, 4)
    group = _res(obj.get("/Group"))
    if isinstance(group, DictionaryObject) and group.get("/S") == "/Transparency":
        features["a transparency group"] = (1, 4)
    font_file = _res(obj.get("/FontFile3"))
    if isinstance(font_file, StreamObject) and font_file.get("/Subtype") == "/OpenType":
        features["an OpenType font file (/FontFile3 /OpenType)"] = (1, 6)
    if isinstance(obj, StreamObject):
        filters = {str(_res(f)) for f in _array_or_one(obj.get("/Filter"))}
        if "/JBIG2Decode" in filters:
            features["JBIG2 images"] = (1, 4)
        if "/JPXDecode" in filters:
            features["JPEG 2000 images"] = (1, 5)
    return features


def _encryption_features(encrypt: DictionaryObject) -> dict[str, tuple[int, int]]:
    """Return the version-bound features of the encryption dictionary."""
    features: dict[str, tuple[int, int]] = {}
    v = encrypt.get("/V", 0)
    filters = [_res(f) for f in dict.values(_dict(encrypt, "/CF"))]
    methods = {str(f.get("/CFM")) for f in filters if isinstance(f, DictionaryObject)}
    if v == 4:
        features["crypt filters (/V 4)"] = (1, 5)
    if "/AESV2" in methods:
        features["AES-128 encryption"] = (1, 6)
    if v == 5 or "/AESV3" in methods:
        features["AES-256 encryption"] = (1, 7)
    return features


def _declared_version(reader: PdfReader, catalog: DictionaryObject) -> tuple[int, int] | None:
    """Return the version the header declares, or the catalog's ``/Version`` if that is later."""
    header = _parse_version(reader.pdf_header.removeprefix("%PDF-"))
    override = catalog.get("/Version")
    later = _parse_version(str(override)[1:]) if isinstance(override, NameObject) else None
    if header is None:
        return later
    return max(header, later) if later is not None else header


def _parse_version(text: str) -> tuple[int, int] | None:
    """Read ``1.7`` as (1, 7)."""
    match = re.fullmatch(r"(\d+)\.(\d+)", text.strip())
    return (int(match[1]), int(match[2])) if match else None


def _xref_is_stream(data: bytes) -> bool:
    """Tell whether the file's last cross-reference section is a stream, not a table."""
    starts = list(re.finditer(rb"startxref\s+(\d+)", data[-4096:]))
    if not starts:
        return False
    offset = int(starts[-1][1])
    return bool(re.match(rb"\s*\d+\s+\d+\s+obj", data[offset : offset + 64]))


def _all_dicts(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Yield every dictionary (streams' included) reachable from the trailer, each once."""
    seen: set[int] = set()
    stack: list[Any] = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))


# ---------------------------------------------------------------- content


def _scan_page(page: Any) -> _Scan:
    """Follow a page's content, its forms and its annotations' appearances."""
    scan = _Scan()
    resources = _dict(page, "/Resources")
    group = _res(page.get("/Group"))
    if isinstance(group, DictionaryObject) and (rgb := _rgb_space(group.get("/CS"), resources)):
        scan.rgb.append(f"the page's transparency group has the colour space {rgb}")
    contents = page.get_contents()
    if contents is not None:
        _Interpreter(scan, "page content", IDENTITY, marks=True, tagged=False).run(
            contents, resources
        )
    for annotation in map(_res, _array(page.get("/Annots"))):
        if not isinstance(annotation, DictionaryObject):
            continue
        for state, appearance in _dict(annotation, "/AP").items():
            streams = (
                [appearance]
                if isinstance(_res(appearance), StreamObject)
                else _dict_values(appearance)
            )
            for stream in map(_res, streams):
                if isinstance(stream, StreamObject):
                    where = f"a {annotation.get('/Subtype')} annotation's {state} appearance"
                    _Interpreter(scan, where, IDENTITY, marks=False, tagged=True).form(
                        stream, resources, 0
                    )
    return scan


class _Interpreter:
    """Read a content stream for its colours, its stroked lines and its untagged painting."""

    def __init__(self, scan: _Scan, where: str, ctm: Matrix, *, marks: bool, tagged: bool) -> None:
        self.scan = scan
        self.where = where
        self.ctm = ctm
        self.marks = marks
        """Collect stroked lines (only for what is drawn on the page itself)."""
        self.tagged = tagged
        """Whether this content is already inside marked content (or needs none)."""
        self.visiting: set[int] = set()

    def run(self, content: Any, resources: DictionaryObject, depth: int = 0) -> None:
        """Interpret the operators of ``content`` with ``resources``."""
        operations = content.operations if isinstance(content, ContentStream) else None
        if operations is None:
            operations = ContentStream(content, None).operations
        stack: list[Matrix] = []
        path: list[Segment] = []
        current = start = (0.0, 0.0)
        marked = 0
        for operands, raw_operator in operations:
            op = raw_operator.decode("latin-1")
            if op in PAINTING and not marked and not self.tagged:
                self.scan.untagged.append(f"{self.where}: '{op}' outside marked content")
            if op == "INLINE IMAGE":  # pypdf gives the image's settings and data, not a list
                settings = _res(operands.get("settings")) if isinstance(operands, dict) else None
                space = settings.get("/CS", settings.get("/ColorSpace")) if settings else None
                if space is not None and (rgb := _rgb_space(space, resources)):
                    self.scan.rgb.append(f"{self.where}: an inline image in {rgb}")
            elif op == "q":
                stack.append(self.ctm)
            elif op == "Q" and stack:
                self.ctm = stack.pop()
            elif op == "cm" and len(operands) == 6:
                self.ctm = _multiply(_matrix(operands), self.ctm)
            elif op in ("BDC", "BMC"):
                marked += 1
            elif op == "EMC" and marked:
                marked -= 1
            elif op == "m" and len(operands) == 2:
                current = start = self._point(operands[0], operands[1])
            elif op == "l" and len(operands) == 2:
                point = self._point(operands[0], operands[1])
                path.append((*current, *point))
                current = point
            elif op in ("c", "v", "y") and len(operands) >= 4:
                current = self._point(operands[-2], operands[-1])
            elif op == "re" and len(operands) == 4:
                x, y, w, h = (float(o) for o in operands)
                corners = [self._point(x, y), self._point(x + w, y)]
                corners += [self._point(x + w, y + h), self._point(x, y + h)]
                path += [(*a, *b) for a, b in zip(corners, corners[1:] + corners[:1], strict=True)]
                current = start = corners[0]
            elif op == "h":
                path.append((*current, *start))
                current = start
            elif op in PATH_ENDS:
                if op in CLOSING:
                    path.append((*current, *start))
                if op in STROKING and self.marks:
                    self.scan.segments += [s for s in path if s[:2] != s[2:]]
                path = []
            elif op in ("rg", "RG"):
                self.scan.rgb.append(f"{self.where}: a '{op}' operator sets an RGB colour")
            elif op in ("cs", "CS") and operands:
                if rgb := _rgb_space(operands[0], resources):
                    self.scan.rgb.append(f"{self.where}: '{operands[0]} {op}' selects {rgb}")
            elif op in ("scn", "SCN") and operands and isinstance(operands[-1], NameObject):
                self._pattern(_dict(resources, "/Pattern").get(operands[-1]), resources, depth)
            elif op == "sh" and operands:
                shading = _dict(resources, "/Shading").get(operands[0])
                self._shading(shading, resources, f"the shading {operands[0]}")
            elif op == "Do" and operands:
                self._xobject(operands[0], resources, depth, tagged=self.tagged or marked > 0)
            elif op == "gs" and operands:
                state = _dict(_dict(resources, "/ExtGState"), str(operands[0]))
                smask = _res(state.get("/SMask"))
                if isinstance(smask, DictionaryObject) and isinstance(
                    _res(smask.get("/G")), StreamObject
                ):
                    self._nested(f"{self.where}, soft mask {operands[0]}", False).form(
                        _res(smask["/G"]), resources, depth + 1
                    )
            elif op == "Tf" and operands:
                self._type3(_dict(_dict(resources, "/Font"), str(operands[0])), resources, depth)

    def _point(self, x: Any, y: Any) -> tuple[float, float]:
        """Map a point of user space to the page's default user space."""
        a, b, c, d, e, f = self.ctm
        x, y = float(x), float(y)
        return (a * x + c * y + e, b * x + d * y + f)

    def _nested(self, where: str, marks: bool, tagged: bool = True) -> _Interpreter:
        """Return an interpreter for content nested in this one, sharing what is found."""
        nested = _Interpreter(self.scan, where, self.ctm, marks=marks and self.marks, tagged=tagged)
        nested.visiting = self.visiting
        return nested

    def form(self, stream: StreamObject, resources: DictionaryObject, depth: int) -> None:
        """Interpret a form XObject (or appearance stream, or soft-mask group) once per path."""
        key = stream.indirect_reference.idnum if stream.indirect_reference else id(stream)
        if key in self.visiting or depth > MAX_DEPTH:
            return
        own = _res(stream.get("/Resources"))
        own = own if isinstance(own, DictionaryObject) else resources
        group = _res(stream.get("/Group"))
        if isinstance(group, DictionaryObject) and (rgb := _rgb_space(group.get("/CS"), own)):
            self.scan.rgb.append(f"{self.where}: a transparency group in {rgb}")
        if "/Matrix" in stream and len(_array(stream["/Matrix"])) == 6:
            self.ctm = _multiply(_matrix(list(_array(stream["/Matrix"]))), self.ctm)
        self.visiting.add(key)
        try:
            self.run(stream, own, depth + 1)
        finally:
            self.visiting.discard(key)

    def _xobject(self, name: Any, resources: DictionaryObject, depth: int, *, tagged: bool) -> None:
        """Follow a ``Do``: an image's colour space, or a form's content."""
        xobject = _res(_dict(resources, "/XObject").get(name))
        if not isinstance(xobject, StreamObject):
            return
        if xobject.get("/Subtype") == "/Image":
            if not tagged:
                self.scan.untagged.append(f"{self.where}: the image {name} outside marked content")
            if not _true(xobject.get("/ImageMask")) and (
                rgb := _rgb_space(xobject.get("/ColorSpace"), resources)
            ):
                self.scan.rgb.append(f"{self.where}: the image {name} is in {rgb}")
        elif xobject.get("/Subtype") == "/Form":
            self._nested(f"{self.where}, form {name}", True, tagged).form(
                xobject, resources, depth + 1
            )

    def _pattern(self, pattern: Any, resources: DictionaryObject, depth: int) -> None:
        """Follow a pattern: a coloured tiling pattern's content, or a shading pattern's shading."""
        pattern = _res(pattern)
        if not isinstance(pattern, DictionaryObject):
            return
        if pattern.get("/PatternType") == 2:
            self._shading(pattern.get("/Shading"), resources, "a shading pattern")
        elif isinstance(pattern, StreamObject) and pattern.get("/PaintType") == 1:
            self._nested(f"{self.where}, a tiling pattern", False).form(
                pattern, resources, depth + 1
            )

    def _shading(self, shading: Any, resources: DictionaryObject, label: str) -> None:
        """Check a shading's colour space."""
        shading = _res(shading)
        if isinstance(shading, DictionaryObject) and (
            rgb := _rgb_space(shading.get("/ColorSpace"), resources)
        ):
            self.scan.rgb.append(f"{self.where}: {label} is in {rgb}")

    def _type3(self, font: DictionaryObject, resources: DictionaryObject, depth: int) -> None:
        """Follow the glyph procedures of a Type 3 font."""
        if font.get("/Subtype") != "/Type3":
            return
        own = _res(font.get("/Resources"))
        own = own if isinstance(own, DictionaryObject) else resources
        for glyph, procedure in _dict(font, "/CharProcs").items():
            procedure = _res(procedure)
            if isinstance(procedure, StreamObject):
                self._nested(f"{self.where}, Type 3 glyph {glyph}", False).form(
                    procedure, own, depth + 1
                )


def _rgb_space(space: Any, resources: DictionaryObject, depth: int = 0) -> str | None:
    """Name the RGB colour space ``space`` is or is built on, or None."""
    space = _res(space)
    if depth > MAX_DEPTH or space is None:
        return None
    if isinstance(space, NameObject):
        if space in RGB_NAMES:
            return str(space)[1:]
        named = _dict(resources, "/ColorSpace").get(space)
        return _rgb_space(named, resources, depth + 1) if named is not None else None
    if not isinstance(space, ArrayObject) or not space:
        return None
    family = str(_res(space[0]))
    if family in RGB_NAMES:
        return family[1:]
    if family == "/ICCBased" and len(space) > 1:
        profile = _res(space[1])
        return (
            "ICCBased RGB (/N 3)"
            if isinstance(profile, StreamObject) and profile.get("/N") == 3
            else None
        )
    base = {"/Indexed": 1, "/I": 1, "/Pattern": 1, "/Separation": 2, "/DeviceN": 2}.get(family)
    if base is not None and len(space) > base:
        inner = _rgb_space(space[base], resources, depth + 1)
        return f"{family[1:]} on {inner}" if inner else None
    return None


# ---------------------------------------------------------------- XMP


def _xmp(catalog: DictionaryObject, findings: list[Finding]) -> ET.Element | None:
    """Return the parsed XMP packet of the catalog's ``/Metadata``, if there is one."""
    stream = _res(catalog.get("/Metadata"))
    if not isinstance(stream, StreamObject):
        return None
    try:
        return ET.fromstring(stream.get_data())
    except ET.ParseError as e:
        findings.append(Finding("xmp-unreadable", None, f"the XMP metadata is not XML: {e}"))
        return None


def _xmp_values(root: ET.Element, namespace: str, local: str) -> list[str]:
    """Return the text of every XMP property ``namespace:local``, as element or attribute."""
    name = f"{{{namespace}}}{local}"
    values = ["".join(e.itertext()).strip() for e in root.iter(name)]
    values += [e.attrib[name].strip() for e in root.iter() if name in e.attrib]
    return values


# ---------------------------------------------------------------- small helpers


def _res(obj: Any) -> Any:
    """Resolve an indirect reference."""
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _dict(obj: Any, key: str) -> DictionaryObject:
    """Return the dictionary at ``key`` of ``obj``, or an empty one."""
    obj = _res(obj)
    value = _res(obj.get(key)) if isinstance(obj, DictionaryObject) else None
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _dict_values(obj: Any) -> list[Any]:
    """Return the values of a dictionary, or nothing."""
    obj = _res(obj)
    return list(obj.values()) if isinstance(obj, DictionaryObject) else []


def _array(obj: Any) -> list[Any]:
    """Return an array's items, or nothing."""
    obj = _res(obj)
    return list(list.__iter__(obj)) if isinstance(obj, ArrayObject) else []


def _array_or_one(obj: Any) -> list[Any]:
    """Return an array's items, a single object as a list of one, or nothing."""
    resolved = _res(obj)
    if isinstance(resolved, ArrayObject):
        return list(list.__iter__(resolved))
    return [] if obj is None else [obj]


def _text(obj: Any) -> str:
    """Return a string object's text, stripped; anything else gives ''."""
    obj = _res(obj)
    if isinstance(obj, bytes):
        return obj.decode("latin-1").strip()
    return str(obj).strip() if isinstance(obj, str) and not isinstance(obj, NameObject) else ""


def _true(obj: Any) -> bool:
    """Tell whether ``obj`` is the PDF boolean true."""
    obj = _res(obj)
    return obj is True or (isinstance(obj, BooleanObject) and bool(obj.value))


def _matrix(operands: list[Any]) -> Matrix:
    """Read six numbers as a matrix."""
    a, b, c, d, e, f = (float(_res(o)) for o in operands)
    return (a, b, c, d, e, f)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """Return ``m`` × ``n``: first ``m``, then ``n``."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _box(obj: Any) -> Box:
    """Read a rectangle as (left, bottom, right, top), whatever corners it was given."""
    values = [float(_res(v)) for v in _array(obj)]
    if len(values) != 4:
        return (0.0, 0.0, 0.0, 0.0)
    x0, y0, x1, y1 = values
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _grow(box: Box, by: float) -> Box:
    """Return ``box`` grown by ``by`` on every side (shrunk if negative)."""
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _within(inner: Box, outer: Box) -> bool:
    """Tell whether ``inner`` lies within ``outer`` (to a thousandth of a point)."""
    left, bottom, right, top = _grow(outer, EPSILON)
    return left <= inner[0] and bottom <= inner[1] and inner[2] <= right and inner[3] <= top


def _fmt_box(box: Box) -> str:
    """Write a box as [l b r t]."""
    return "[" + " ".join(f"{v:g}" for v in box) + "]"


def _v(version: tuple[int, int]) -> str:
    """Write a version as 1.7."""
    return f"{version[0]}.{version[1]}"
