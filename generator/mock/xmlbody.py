"""XML request bodies read into JSON data by the schema's `xml` hints (names, wrapped arrays), DTDs refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from . import params

MAX_DEPTH = 64


class XmlError(ValueError):
    """A body that is not acceptable XML."""


def load(raw: bytes, schema: Any, resolve: Any) -> Any:
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise XmlError("XML with a DTD or entities is refused")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise XmlError(f"invalid XML: {exc}") from None
    return _value(root, resolve(schema) or {}, resolve, 0)


def _name(schema: Any, default: str) -> str:
    xml = schema.get("xml") if isinstance(schema, dict) else None
    return str(xml.get("name")) if isinstance(xml, dict) and xml.get("name") else default


def _value(node: ET.Element, schema: Any, resolve: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise XmlError(f"XML nested more than {MAX_DEPTH} levels deep")
    schema = resolve(schema) or {}
    kinds = params._types(schema)
    if "object" in kinds and not len(node) and (node.text or "").strip():
        return params.coerce(node.text or "", {"type": ["integer", "number", "boolean"]}, resolve)
    if "object" in kinds:
        out: dict[str, Any] = {}
        for prop_name, prop in (schema.get("properties") or {}).items():
            prop = resolve(prop) or {}
            tag = _name(prop, prop_name)
            found_xml = prop.get("xml")
            xml: dict[str, Any] = found_xml if isinstance(found_xml, dict) else {}
            if xml.get("attribute"):
                if tag in node.attrib:
                    out[prop_name] = params.coerce(node.attrib[tag], prop, resolve)
                continue
            if "array" in params._types(prop):
                items = resolve(prop.get("items")) or {}
                item_tag = _name(items, tag)
                holder = node.find(tag) if xml.get("wrapped") else node
                if holder is None:
                    continue
                found = holder.findall(item_tag)
                if not xml.get("wrapped") and not found:
                    continue
                out[prop_name] = [_value(child, items, resolve, depth + 1) for child in found]
                continue
            child = node.find(tag)
            if child is not None:
                out[prop_name] = _value(child, prop, resolve, depth + 1)
        for child in node:
            known = {_name(resolve(p) or {}, n) for n, p in (schema.get("properties") or {}).items()}
            if child.tag not in known:
                out[child.tag] = child.text or ""
        return out
    if "array" in kinds:
        items = resolve(schema.get("items")) or {}
        return [_value(child, items, resolve, depth + 1) for child in node]
    return params.coerce(node.text or "", schema, resolve)
