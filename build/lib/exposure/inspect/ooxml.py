"""Office Open XML containers (xlsx, docx): bounded, hostile-safe access to parts, relationships and properties."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from ..errors import InspectError
from .model import Finding, Inspection, Limits

NS = {
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}
# Default values written by libraries and templates: not a person.
GENERATOR_NAMES = {"", "openpyxl", "python-docx", "microsoft office user", "author", "user", "unknown",
                   "anonymous", "reportlab pdf library - www.reportlab.com", "administrator"}
PERSON_PROPERTIES = ("creator", "last_modified_by")


def _parser() -> etree.XMLParser:
    # No entities, no network, no DTD: a hostile document cannot expand or fetch anything.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Package:
    """An opened OOXML zip. Parts are read with a size cap; XML is parsed without entity expansion."""

    def __init__(self, fh: IO[bytes], limits: Limits) -> None:
        try:
            self.zip = zipfile.ZipFile(fh)
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InspectError(f"not a readable Office file (damaged zip: {exc})") from None
        self.limits = limits

    def has(self, name: str) -> bool:
        return name in self.names

    def _check(self, name: str) -> zipfile.ZipInfo:
        if name not in self.names:
            raise InspectError(f"damaged Office file: part {name} is missing")
        info = self.zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise InspectError(f"{name} is encrypted inside the zip")
        return info

    def read(self, name: str) -> bytes:
        info = self._check(name)
        if info.file_size > self.limits.max_part_bytes:
            raise InspectError(f"part {name} is {info.file_size} bytes uncompressed, over the limit of "
                               f"{self.limits.max_part_bytes} (a zip bomb or a huge file)")
        try:
            with self.zip.open(name) as part:
                data = part.read(self.limits.max_part_bytes + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise InspectError(f"damaged Office file: cannot read {name} ({exc})") from None
        if len(data) > self.limits.max_part_bytes:
            raise InspectError(f"part {name} expands beyond {self.limits.max_part_bytes} bytes")
        return data

    def xml(self, name: str) -> Any:
        try:
            return etree.fromstring(self.read(name), _parser())
        except etree.XMLSyntaxError as exc:
            raise InspectError(f"damaged Office file: {name} is not well-formed XML ({exc})") from None

    def iterparse(self, name: str, tags: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        """Stream a (large) part: yields (event, element) for start/end of the given tags."""
        self._check(name)
        try:
            with self.zip.open(name) as part:
                yield from etree.iterparse(part, events=("start", "end"), tag=tags,
                                           resolve_entities=False, no_network=True, load_dtd=False)
        except etree.XMLSyntaxError as exc:
            raise InspectError(f"damaged Office file: {name} is not well-formed XML ({exc})") from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InspectError(f"damaged Office file: cannot read {name} ({exc})") from None

    def rels(self, part: str) -> dict[str, tuple[str, str, str]]:
        """Relationships of a part: id -> (type suffix, target resolved in the package, target mode)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_name):
            return {}
        out = {}
        for rel in self.xml(rels_name).findall("pr:Relationship", NS):
            target = rel.get("Target", "")
            mode = rel.get("TargetMode", "Internal")
            if mode != "External":
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, mode)
        return out

    def properties(self) -> dict[str, str]:
        """Core and extended document properties (creator, last modified by, dates, application, company)."""
        out: dict[str, str] = {}
        if self.has("docProps/core.xml"):
            core = self.xml("docProps/core.xml")
            for key, path in (("title", "dc:title"), ("subject", "dc:subject"), ("creator", "dc:creator"),
                              ("last_modified_by", "cp:lastModifiedBy"), ("created", "dcterms:created"),
                              ("modified", "dcterms:modified"), ("last_printed", "cp:lastPrinted"),
                              ("keywords", "cp:keywords"), ("description", "dc:description"),
                              ("revision", "cp:revision")):
                el = core.find(path, NS)
                if el is not None and (el.text or "").strip():
                    out[key] = el.text.strip()
        if self.has("docProps/app.xml"):
            app = self.xml("docProps/app.xml")
            for key, tag in (("application", "ep:Application"), ("company", "ep:Company"),
                             ("manager", "ep:Manager"), ("template", "ep:Template")):
                el = app.find(tag, NS)
                if el is not None and (el.text or "").strip():
                    out[key] = el.text.strip()
        return out


def record_properties(pkg: Package, insp: Inspection) -> None:
    """Store the package's document properties on the inspection; people named in them are a finding."""
    insp.properties = pkg.properties()
    people = people_in_properties(insp.properties)
    if people:
        insp.findings.append(Finding("document_properties", "docProps/core.xml",
                                     "document properties name the people who created or last saved the file",
                                     cells=len(people), unit="properties",
                                     samples=[f"{k}: {insp.sample(v)}" for k, v in people.items()]))


def people_in_properties(props: dict[str, str]) -> dict[str, str]:
    """Properties that name a person (creator, last modified by), leaving out library defaults."""
    return {k: props[k] for k in PERSON_PROPERTIES
            if k in props and props[k].strip().lower() not in GENERATOR_NAMES}
