"""A fast reader of PDF content streams that writes them back exactly as pypdf does.

The print-shop step rewrites the colour operators of every content stream and
then reads the result back to prove no RGB is left. pypdf's ``ContentStream``
parses a stream object by object, a byte at a time, which made that step most
of a card's build. Here one regular expression splits a stream into tokens (in
C: a string, an array or a dictionary is one token), the operators are found
by their tokens' first bytes, and only the operands someone asks for (a
colour's numbers, a resource's name) become PDF objects.

Writing a stream back gives **the same bytes as pypdf's** ``ContentStream``
round trip (``get_data`` after parsing): each operand as pypdf writes the
object it reads (numbers, ``(…)`` or ``<…>`` strings, ``[ … ]`` arrays), a
space after each, and the operator and a newline. Numbers, names, literal
strings, and arrays and dictionaries of them are written here as pypdf writes
them (each distinct token once); anything else in a token (a hexadecimal
string, a nested dictionary, a repeated key) is read and written by pypdf itself.

Anything outside that plain grammar makes ``parse`` return ``None`` and the
caller parses the stream with pypdf as before: an inline image
(``BI … ID … EI``), parentheses nested more than four deep, a comment inside an array
or a dictionary, a byte that is whitespace to one part of pypdf and not to
another (NUL, form feed), a number pypdf would read differently, a keyword that
looks like an indirect reference. A string is one token however much
operator-like text it holds (``(1 0 0 rg)``; ``\\)`` is escaped), and a comment
runs to the end of its line.
"""

from __future__ import annotations

import binascii
import codecs
import io
import re
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Any

from pypdf.generic import (
    ByteStringObject,
    FloatObject,
    NameObject,
    NumberObject,
    PdfObject,
    create_string_object,
    read_object,
)

_D = rb"[^\s()<>\[\]{}/%]"
"""A byte that continues a name or an operator (pypdf's delimiter pattern, negated)."""


def _string_pattern(depth: int) -> bytes:
    """Return the pattern of a literal string whose parentheses nest up to ``depth`` deep."""
    pattern = rb"\((?:[^()\\]|\\.)*+\)"
    for _ in range(depth - 1):
        pattern = rb"\((?:[^()\\]|\\.|" + pattern + rb")*+\)"
    return pattern


def _dictionary_pattern(depth: int) -> bytes:
    """Return the pattern of a dictionary nested up to ``depth`` deep, with no comment."""
    pattern = b""
    for _ in range(depth):
        nested = b"|" + pattern if pattern else b""
        pattern = rb"<<(?:[^<>()%]|" + _STRING + rb"|<[0-9A-Fa-f \t\r\n]*+>" + nested + rb")*+>>"
    return pattern


_STRING = _string_pattern(4)
"""A literal string (deeper parentheses are read in pieces, and the stream by pypdf)."""
_TOKENS = re.compile(
    rb"[ \t\r\n]*+("
    + _STRING
    + rb"|"
    + _dictionary_pattern(3)  # a dictionary; deeper, or with a comment: read in pieces
    + rb"|\[(?:[^\[\]()<>{}%]|"
    + _STRING
    + rb")*+\]"  # an array of numbers, names and strings; others are read in pieces
    + rb"|<<|>>"
    rb"|<[0-9A-Fa-f \t\r\n]*+>"  # a hexadecimal string
    rb"|[\[\]]"
    rb"|/" + _D + rb"*+"  # a name
    rb"|[+,\-.0-9]++"  # a number, checked when it is first written (pypdf reads the same run)
    rb"|[A-Za-z'\"]" + _D + rb"*+"  # an operator, or true, false, null
    rb"|%[^\r\n]*+"  # a comment
    rb"|.)",  # anything else: left to pypdf
    re.DOTALL,
)
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
_SIMPLE_NAME = re.compile(rb"/[!-~]*")
"""A name pypdf writes back as it is: printable ASCII without a ``#`` escape."""
_ODD_ESCAPE = re.compile(rb"\\(?:[^0-7nrtbf\\]|[4-7][0-7]{2})")
"""An escape that Python's ``escape_decode`` does not read as pypdf does."""
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|([\r\n][\r\n]?)|(.))", re.DOTALL)
_ESCAPED = {
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    **{c: c for c in (b"(", b")", b"/", b"\\", b" ", b"%", b"<", b">", b"[", b"]", b"#")},
    **{c: c for c in (b"_", b"&", b"$")},
}
"""pypdf's escapes in a literal string; any other escaped byte keeps its backslash."""
_WRITTEN = tuple(
    bytes([c]) if bytes([c]).isalnum() or c == 0x20 else b"\\%03o" % c for c in range(256)
)
"""How pypdf writes each byte of a text string: letters, digits and space as they are, the
rest as three octal digits."""
_WORDS = {b"true", b"false", b"null"}

# token kinds, by first byte
_VALUE, _OP, _OPEN, _CLOSE, _ANGLE, _COMMENT, _BAD = range(7)
_KIND = tuple(
    _OP
    if bytes([c]).isalpha() or c in b"'\""
    else _VALUE
    if c in b"/(+-.,0123456789"
    else _OPEN
    if c == 0x5B
    else _CLOSE
    if c == 0x5D
    else _ANGLE
    if c in b"<>"
    else _COMMENT
    if c == 0x25
    else _BAD
    for c in range(256)
)

_PLAIN = bytes(
    0x6F if kind == _OP else 0x76 if c in b"/(+-.,0123456789[<" else 0x78
    for c, kind in enumerate(_KIND)
)
"""By a token's first byte: ``o`` an operator, ``v`` a value, ``x`` anything else (a comment,
a closing bracket, a byte pypdf reads differently)."""
_OPERATORS = bytes(1 if c == 0x6F else 0 for c in range(256))
"""``o`` (an operator) as a true byte, anything else as a false one."""
_PIECES = {b"(", b"[", b"<<", b"<"}
"""Tokens that are the start of something read in pieces (or not at all)."""

_STREAM_LIMIT = 1_000_000
"""Longer streams are left to pypdf, which enforces its budget of 2,000,000 tokens."""
_ELEMENT_LIMIT = 100_000
"""Arrays and dictionaries with more tokens are left to pypdf (it allows 100,000 elements)."""
_NUMBER_LIMIT = 20
"""Longer numbers are left to pypdf (it reads 20 bytes ahead for an indirect reference)."""
_NAME_LIMIT = 4096
_OPERATOR_LIMIT = 128


class Unreadable(Exception):
    """A token this module does not read as pypdf does: the stream is left to pypdf."""


@dataclass
class Parsed:
    """A content stream's tokens and where its operators are.

    ``tokens`` has no comments; a dictionary is one token (its tokens joined by
    spaces); an array is its ``[``, its elements and its ``]``. ``ops`` are the
    indexes of the operators, in order.
    """

    tokens: list[bytes]
    ops: list[int]

    def operands(self, number: int) -> list[bytes]:
        """Return the operands of the ``number``-th operation, an array as one token."""
        start = self.ops[number - 1] + 1 if number else 0
        found = self.tokens[start : self.ops[number]]
        if b"[" not in found:
            return found
        grouped: list[bytes] = []
        depth = 0
        for token in found:
            if depth:
                grouped[-1] += b" " + token
            else:
                grouped.append(token)
            depth += 1 if token == b"[" else -1 if token == b"]" else 0
        return grouped


class Lexicon:
    """Read content streams fast; write their operands as pypdf would.

    What each distinct token reads and writes as is remembered for the life
    of the lexicon (one document): glyph strings and coordinates recur.
    """

    def __init__(self) -> None:
        self.written: dict[bytes, bytes] = {}
        self.values: dict[bytes, Any] = {}
        self.checked: set[bytes] = set()
        self.fallbacks = 0
        """How many streams were left to pypdf."""

    def parse(self, data: bytes, write: bool = True) -> Parsed | None:
        """Return a stream's tokens and operators, or ``None`` if pypdf must parse it.

        With ``write``, how each token is written is worked out too (for ``data``);
        without, each is only checked to read as pypdf reads it.
        """
        try:
            if len(data) > _STREAM_LIMIT:
                raise Unreadable("a long stream")
            raw = _TOKENS.findall(data)
            distinct = set(raw)
            kinds = bytes(map(itemgetter(0), raw)).translate(_PLAIN)
            if b"x" in kinds or not distinct.isdisjoint(_PIECES):
                parsed = _group(raw)  # comments, or arrays and dictionaries read in pieces
                distinct = set(parsed.tokens)
            else:
                ops = compress(range(len(kinds)), kinds.translate(_OPERATORS))
                parsed = Parsed(raw, list(ops))
            written = self.written
            if write:
                for token in distinct.difference(written):
                    written[token] = _written(token, written)
            else:
                for token in distinct.difference(written, self.checked):
                    _check(token, written)
                    self.checked.add(token)
        except Unreadable:
            self.fallbacks += 1
            return None
        return parsed

    def data(self, parsed: Parsed, replaced: dict[int, bytes] | None = None) -> bytes:
        """Return a stream's bytes as ``ContentStream.get_data`` writes them.

        ``replaced`` maps an operation's number to its new line (operands,
        operator, newline), written instead of the stream's own.
        """
        if not parsed.ops:
            return b""
        parts = list(map(self.written.__getitem__, parsed.tokens[: parsed.ops[-1] + 1]))
        for number, line in (replaced or {}).items():
            start = parsed.ops[number - 1] + 1 if number else 0
            end = parsed.ops[number]
            parts[start:end] = [b""] * (end - start)
            parts[end] = line
        return b"".join(parts)

    def value(self, token: bytes) -> Any:
        """Return the PDF object an operand reads as (what pypdf's parser gives)."""
        known = self.values.get(token)
        if known is not None:
            return known
        first = token[:1]
        if first in b"+-.0123456789" and _NUMBER.fullmatch(token):
            value: Any = FloatObject(token) if b"." in token else NumberObject(token)
        elif first == b"/" and _simple_name(token):
            value = NameObject(token.decode("ascii"))
        else:
            value = _pypdf_read(token)
        self.values[token] = value
        return value


def line(operands: list[PdfObject], op: bytes) -> bytes:
    """Return an operation as ``ContentStream.get_data`` writes it."""
    out = io.BytesIO()
    for operand in operands:
        operand.write_to_stream(out)
        out.write(b" ")
    out.write(op + b"\n")
    return out.getvalue()


def _group(raw: list[bytes]) -> Parsed:
    """Return the tokens of a stream as operations: comments out, dictionaries whole."""
    tokens: list[bytes] = []
    ops: list[int] = []
    kinds = _KIND
    depth = opened = 0
    count, position = len(raw), 0
    while position < count:
        token = raw[position]
        kind = kinds[token[0]]
        position += 1
        if kind == _VALUE:
            tokens.append(token)
        elif kind == _OP:
            if depth:
                raise Unreadable("a keyword in an array")
            ops.append(len(tokens))
            tokens.append(token)
        elif kind == _OPEN and len(token) > 1:
            tokens.append(token)  # a whole array
        elif kind == _OPEN:
            if not depth:
                opened = len(tokens)
            depth += 1
            tokens.append(token)
        elif kind == _CLOSE:
            depth -= 1
            if depth < 0:
                raise Unreadable("a ] with no [")
            if not depth and len(tokens) - opened > _ELEMENT_LIMIT:
                raise Unreadable("a long array")
            tokens.append(token)
        elif kind == _ANGLE and token == b"<<":
            end = _dictionary_end(raw, position)
            tokens.append(b" ".join(raw[position - 1 : end]))
            position = end
        elif kind == _ANGLE and len(token) > 1 and token != b">>":
            tokens.append(token)  # a hexadecimal string
        elif kind == _COMMENT and not depth:
            continue
        else:
            raise Unreadable(f"{token[:20]!r}")
    return Parsed(tokens, ops)


def _dictionary_end(raw: list[bytes], start: int) -> int:
    """Return the index after the ``>>`` closing the dictionary opened before ``start``."""
    depth, position, count = 1, start, len(raw)
    while position < count and position - start <= _ELEMENT_LIMIT:
        token = raw[position]
        position += 1
        kind = _KIND[token[0]]
        if token == b"<<":
            depth += 1
        elif token == b">>":
            depth -= 1
            if not depth:
                return position
        elif kind in (_OPEN, _CLOSE) or (kind == _ANGLE and len(token) > 1):
            pass  # an array's brackets, a hexadecimal string
        elif (kind != _VALUE or token == b"(") and token not in _WORDS:
            raise Unreadable(f"{token[:20]!r} in a dictionary")
    raise Unreadable("an unclosed or long dictionary")


def _written(token: bytes, written: dict[bytes, bytes]) -> bytes:
    """Return a token as pypdf writes what it reads, and the space or newline after it
    (``written``: the tokens written so far)."""
    kind = _KIND[token[0]]
    if kind == _OP:
        if token == b"BI":
            raise Unreadable("an inline image")
        if token.startswith(b"stream"):
            raise Unreadable("a keyword pypdf reads as a stream after a dictionary")
        if len(token) > _OPERATOR_LIMIT or (token[:1] == b"R" and not token[1:2].isalpha()):
            raise Unreadable(f"operator {token[:20]!r}")
        return token + b"\n"
    if kind == _OPEN and len(token) > 1:
        return b"[ " + b"".join(_element(t, written) for t in _TOKENS.findall(token[1:-1])) + b"] "
    if kind in (_OPEN, _CLOSE):
        return token + b" "
    if token[:2] == b"<<" and len(token) > 2:
        plain = _dictionary(token, written)
        if plain is not None:
            return plain
    first = token[:1]
    if first in b"+-.,0123456789":
        if len(token) > _NUMBER_LIMIT or not _NUMBER.fullmatch(token):
            raise Unreadable(f"number {token!r}")
        if b"." in token:
            return FloatObject(token).myrepr().encode() + b" "
        return repr(int(token)).encode() + b" "
    if first == b"/":
        if len(token) > _NAME_LIMIT:
            raise Unreadable("a long name")
        if _simple_name(token):
            return token + b" "
    elif first == b"(":
        if len(token) < 2:
            raise Unreadable("a string with nested parentheses")
        return _string(_unescape(token[1:-1])) + b" "
    try:
        value = _pypdf_read(token)
    except Exception as error:  # whatever pypdf makes of it, it makes of the whole stream
        raise Unreadable(f"{token[:20]!r}") from error
    out = io.BytesIO()
    value.write_to_stream(out)
    return out.getvalue() + b" "


def _check(token: bytes, written: dict[bytes, bytes]) -> None:
    """Raise if pypdf reads a token differently; as ``_written`` without writing strings."""
    first = token[:1]
    if first == b"(":
        if len(token) < 2:
            raise Unreadable("a string with nested parentheses")
    elif first == b"[" and len(token) > 1:
        for element in _TOKENS.findall(token[1:-1]):
            if _KIND[element[0]] != _VALUE or element[:1] == b"[" or element == b"(":
                raise Unreadable(f"{element[:20]!r} in an array")
            if element[:1] != b"(":
                _check(element, written)
    elif first in b"+-.,0123456789":
        if len(token) > _NUMBER_LIMIT or not _NUMBER.fullmatch(token):
            raise Unreadable(f"number {token!r}")
    elif first == b"/" and _simple_name(token):
        if len(token) > _NAME_LIMIT:
            raise Unreadable("a long name")
    else:
        _written(token, written)


def _element(token: bytes, written: dict[bytes, bytes]) -> bytes:
    """Return an array's number, name or string as written; raise at anything else."""
    if _KIND[token[0]] != _VALUE or token[:1] == b"[" or token == b"(":
        raise Unreadable(f"{token[:20]!r} in an array")
    known = written.get(token)
    if known is None:
        known = written[token] = _written(token, written)
    return known


def _dictionary(token: bytes, written: dict[bytes, bytes]) -> bytes | None:
    """Return a dictionary of names, numbers and strings as pypdf writes it, or ``None``."""
    inner = _TOKENS.findall(token[2:-2])
    keys, values = inner[0::2], inner[1::2]
    if len(keys) != len(values) or len(set(keys)) != len(keys):
        return None
    if not all(k[:1] == b"/" and _simple_name(k) for k in keys):
        return None
    if not all(v[:1] in b"/(+-.0123456789" and v != b"(" for v in values):
        return None
    lines = [
        k + b" " + _element(v, written)[:-1] + b"\n" for k, v in zip(keys, values, strict=True)
    ]
    return b"<<\n" + b"".join(lines) + b">> "


def _simple_name(token: bytes) -> bool:
    return b"#" not in token and _SIMPLE_NAME.fullmatch(token) is not None


def _unescape(body: bytes) -> bytes:
    """Return a literal string's bytes, its escapes read as pypdf reads them."""
    if b"\\" not in body:
        return body
    if _ODD_ESCAPE.search(body) is None:  # octal, \n \r \t \b \f and \\ only: read in C
        return codecs.escape_decode(body)[0]
    return _ESCAPE.sub(_escaped, body)


def _escaped(found: re.Match[bytes]) -> bytes:
    octal, newline, other = found.groups()
    if octal is not None:
        value = int(octal, 8)
        return bytes([value]) if value <= 255 else b"\\" + octal
    if newline is not None:
        return b""
    escaped: bytes = _ESCAPED.get(other, b"\\" + other)
    return escaped


def _string(value: bytes) -> bytes:
    """Return a string's bytes as pypdf writes the string object it reads them as: a text
    string as ``(…)`` (its bytes as they were, escaped), a byte string as ``<…>``."""
    if _text(value):
        return b"(" + b"".join(map(_WRITTEN.__getitem__, value)) + b")"
    return b"<" + binascii.hexlify(value) + b">"


def _text(value: bytes) -> bool:
    """Return whether pypdf's ``create_string_object`` makes a text string of ``value``."""
    encoding = None
    if value[:3] == codecs.BOM_UTF8:
        try:
            value[3:].decode("utf-8")
            return True
        except UnicodeDecodeError:
            pass  # read as PDFDocEncoding
    elif value[:2] in (codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE):
        encoding = "utf-16"
    elif value[:1] == b"\x00":
        encoding = "utf-16-be"
    elif value[1:2] == b"\x00":
        encoding = "utf-16-le"
    if encoding is None:
        return not value.translate(None, _PDFDOC)
    try:
        value.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


_PDFDOC = bytes(
    c
    for c in range(256)
    if not isinstance(create_string_object(bytes([65, 65, c])), ByteStringObject)
)
"""The bytes pypdf reads as PDFDocEncoding text (asked of pypdf itself)."""


def _pypdf_read(token: bytes) -> Any:
    """Return what pypdf reads a token as; raise if it reads more or less than the token."""
    stream = io.BytesIO(token + b" ")
    value = read_object(stream, None)
    if stream.tell() != len(token):
        raise Unreadable(f"pypdf reads {token[:20]!r} differently")
    return value
