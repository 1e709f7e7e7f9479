"""Wire formats: parameters by OpenAPI style/explode/allowReserved/content, form and multipart bodies by Encoding."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import quote, quote_plus

from pydantic import BaseModel, SecretBytes, SecretStr
from pydantic_core import to_jsonable_python

RESERVED = ":/?[]@!$&'()*+,;="  # RFC 3986 reserved characters but '#', which would end the URL
COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"  # RFC 6265 cookie-octets but '%' (and ',' which is a delimiter)
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class Param:
    """How one parameter is serialized: its OpenAPI style, explode, allowReserved, or a media type (`content`)."""

    style: str
    explode: bool
    allow_reserved: bool = False
    media_type: str | None = None


DEFAULTS = {
    "path": Param("simple", False),
    "query": Param("form", True),
    "header": Param("simple", False),
    "cookie": Param("form", True),
}


@dataclass(frozen=True)
class Encoding:
    """How one property of a form or multipart body is serialized (the OpenAPI Encoding Object)."""

    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    binary: bool = False


@dataclass(frozen=True)
class File:
    """A file part of a multipart body: its content, and the filename and content type sent with it."""

    content: bytes | IO[bytes]
    filename: str | None = None
    content_type: str | None = None


Quoter = Callable[[str], str]
Pairs = list[tuple[str, str]]


def reveal(value: Any) -> Any:
    """JSON-ready data with secrets revealed: what goes over the wire, never into a log."""
    if isinstance(value, BaseModel):
        return reveal(value.model_dump(by_alias=True, exclude_unset=True))
    if isinstance(value, SecretStr | SecretBytes):
        secret = value.get_secret_value()
        return secret.decode() if isinstance(secret, bytes) else secret
    if isinstance(value, Mapping):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [reveal(v) for v in value]
    return to_jsonable_python(value)


def dumps(value: Any) -> str:
    """Compact ASCII JSON of a value (secrets revealed), for `content` parameters (headers too) and JSON parts."""
    return json.dumps(reveal(value), separators=(",", ":"))


def atom(value: Any) -> str:
    """One primitive as text: booleans lower case, nested objects and arrays (undefined by OpenAPI) as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def quoter(allow_reserved: bool, *, plus: bool = False) -> Quoter:
    """Percent-encoding for a query (`plus`: a form body, space as '+'); allowReserved keeps reserved characters
    and existing %XX triples."""
    quote_fn = quote_plus if plus else quote
    if not allow_reserved:
        return lambda text: quote_fn(text, safe="")
    return lambda text: quote_fn(_LONE_PERCENT.sub("%25", text), safe=RESERVED + "%")


def cookie_quote(text: str) -> str:
    return quote(text, safe=COOKIE_SAFE)


def identity(text: str) -> str:
    return text


def _flat(data: Any) -> list[str] | None:
    """An array's items or an object's keys and values, in order; None for a primitive."""
    if isinstance(data, Mapping):
        return [x for k, v in data.items() if v is not None for x in (str(k), atom(v))]
    if isinstance(data, list):
        return [atom(v) for v in data if v is not None]
    return None


def joined(data: Any, explode: bool, enc: Quoter, sep: str) -> str:
    """simple (sep ',') and label (sep '.') expansion of a value, without the label's leading '.'."""
    if isinstance(data, Mapping) and explode:
        return sep.join(f"{enc(str(k))}={enc(atom(v))}" for k, v in data.items() if v is not None)
    flat = _flat(data)
    if flat is None:
        return enc(atom(data))
    return (sep if explode else ",").join(enc(x) for x in flat)


def deep(name: str, data: Any) -> list[tuple[str, str]]:
    """deepObject: name[key]=value, nested objects name[a][b], arrays indexed name[0] (as Stripe does)."""
    if isinstance(data, Mapping):
        items: Iterable[tuple[Any, Any]] = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return [(name, atom(data))]
    return [pair for k, v in items if v is not None for pair in deep(f"{name}[{k}]", v)]


def styled(name: str, data: Any, style: str, explode: bool, enc: Quoter) -> Pairs:
    """form, spaceDelimited, pipeDelimited and deepObject (query, cookie, form body): encoded (name, value) pairs;
    an empty array or object is left out (undefined in RFC 6570)."""
    if style == "deepObject":
        return [(enc(k), enc(v)) for k, v in deep(name, data)]
    if explode and isinstance(data, Mapping):
        return [(enc(str(k)), enc(atom(v))) for k, v in data.items() if v is not None]
    flat = _flat(data)
    if flat is None:
        return [(enc(name), enc(atom(data)))]
    if explode:
        return [(enc(name), enc(x)) for x in flat]
    if not flat:
        return []
    sep = {"spaceDelimited": enc(" "), "pipeDelimited": enc("|")}.get(style, ",")
    return [(enc(name), sep.join(enc(x) for x in flat))]


def path_value(name: str, value: Any, param: Param) -> str:
    """A path parameter by style (simple, label, matrix), every character that is not a delimiter
    percent-encoded, so that it stays inside its segment."""
    enc = quoter(False)
    if param.media_type is not None:
        return enc(dumps(value))
    data = reveal(value)
    if param.style == "label":
        return "." + joined(data, param.explode, enc, ".")
    if param.style == "matrix":
        return "".join(
            f";{k}={v}" if v else f";{k}" for k, v in styled(name, data, "form", param.explode, enc)
        )
    return joined(data, param.explode, enc, ",")


def query_pairs(name: str, value: Any, param: Param) -> Pairs:
    """A query parameter as encoded (name, value) pairs."""
    enc = quoter(param.allow_reserved)
    if param.media_type is not None:
        return [(enc(name), enc(dumps(value)))]
    return styled(name, reveal(value), param.style, param.explode, enc)


def header_value(value: Any, param: Param) -> str:
    """A header parameter: simple style, no percent-encoding (or JSON for `content`)."""
    if param.media_type is not None:
        return dumps(value)
    return joined(reveal(value), param.explode, identity, ",")


def cookie_pairs(name: str, value: Any, param: Param) -> Pairs:
    """A cookie parameter: form style, characters a cookie may not hold percent-encoded."""
    if param.media_type is not None:
        return [(name, cookie_quote(dumps(value)))]
    return styled(name, reveal(value), "form", param.explode, cookie_quote)


def _json_type(media_type: str | None) -> bool:
    base = (media_type or "").split(";", maxsplit=1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def form_body(body: Any, encoding: Mapping[str, Encoding]) -> bytes:
    """application/x-www-form-urlencoded by each property's Encoding (default: form style, exploded)."""
    data = reveal(body)
    if not isinstance(data, Mapping):
        return atom(data).encode()
    pairs: Pairs = []
    for name, value in data.items():
        if value is None:
            continue
        enc = encoding.get(name, Encoding())
        q = quoter(enc.allow_reserved, plus=True)
        if enc.style is None and enc.explode is None and _json_type(enc.content_type):
            pairs.append((q(name), q(dumps(value))))
            continue
        style = enc.style or "form"
        explode = enc.explode if enc.explode is not None else style == "form"
        pairs += styled(name, value, style, explode, q)
    return "&".join(f"{k}={v}" for k, v in pairs).encode()


def _dump(value: Any) -> Any:
    """A body as Python data that keeps bytes, files and File values (reveal() would turn bytes into text)."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True)
    return value


def _is_file(value: Any) -> bool:
    return isinstance(value, File | bytes | bytearray) or callable(getattr(value, "read", None))


def _concrete(media_type: str | None) -> str | None:
    """The first media type of an Encoding contentType list, when it names one type (no wildcard)."""
    first = (media_type or "").split(",")[0].strip()
    return first if first and "*" not in first else None


Part = tuple[str, tuple[str | None, Any, str | None]]


def _part(name: str, value: Any, enc: Encoding) -> Part:
    declared = _concrete(enc.content_type)
    if _is_file(value) or enc.binary:
        file = (
            value
            if isinstance(value, File)
            else File(value if _is_file(value) else atom(reveal(value)).encode())
        )
        filename = file.filename or PurePath(str(getattr(file.content, "name", "") or name)).name
        return name, (filename, file.content, file.content_type or declared or "application/octet-stream")
    data = reveal(value)
    if isinstance(data, dict | list) or _json_type(declared):
        return name, (None, dumps(data).encode(), declared or "application/json")
    return name, (None, atom(data).encode(), declared)


def multipart_parts(body: Any, encoding: Mapping[str, Encoding]) -> list[Part]:
    """multipart/form-data parts, in property order: files (bytes, file objects, File, format: binary) as file
    parts, objects as JSON parts, arrays as one part per item, primitives as text; an Encoding's contentType
    is sent, and an explicit style makes the property form fields."""
    data = _dump(body)
    if not isinstance(data, Mapping):
        return [("body", (None, atom(reveal(data)).encode(), None))]
    parts: list[Part] = []
    for name, value in data.items():
        if value is None:
            continue
        enc = encoding.get(name, Encoding())
        if enc.style is not None or enc.explode is not None:
            style = enc.style or "form"
            explode = enc.explode if enc.explode is not None else style == "form"
            pairs = styled(name, reveal(value), style, explode, identity)
            parts += [(k, (None, v.encode(), None)) for k, v in pairs]
        elif isinstance(value, list | tuple) and not _json_type(enc.content_type):
            parts += [_part(name, item, enc) for item in value if item is not None]
        else:
            parts.append(_part(name, value, enc))
    return parts
