"""The PDF object layer of tests/pdfa_check.py: a lexer (ISO 32000-1 7.2, 7.3),
cross-reference tables and streams of every revision, indirect objects with the
byte-level checks of ISO 19005-3 6.1.4, 6.1.7.1 and 6.1.9 made while reading
them, Flate streams, TrueType metrics tables, content-stream operators and DER
elements. Written for the tests, independently of khet's and qpdf's code."""
import re
import struct
import zlib

WS = b"\x00\t\n\x0c\r "
DELIM = b"()<>[]{}/%"
# (the lexer's loops over bytes as compiled expressions: the same tokens, a
# third of the checker's time in pure Python loops)
_SKIP = re.compile(rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*")
_REGULAR = re.compile(rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]*")
_NAME_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_HEX = re.compile(rb"[0-9A-Fa-f]*")
_INT = re.compile(rb"[+-]?\d+")
_REAL = re.compile(rb"[+-]?(\d+\.\d*|\.\d+)")


class Ref:
    __slots__ = ("num", "gen")

    def __init__(self, num, gen):
        self.num, self.gen = num, gen

    def __repr__(self):
        return "%d %d R" % (self.num, self.gen)


class Name(str):
    pass


class PString(bytes):
    is_hex = False


class Kw(str):
    pass


class Stream:
    def __init__(self, d, start, raw):
        self.dict, self.start, self.raw = d, start, raw


class Fail(Exception):
    pass


class Lexer:
    """Tokens of PDF syntax (ISO 32000-1 7.2, 7.3) from a byte offset."""

    def __init__(self, data, pos=0, report=None):
        self.d, self.p, self.report = data, pos, report

    def skip(self):  # white space and comments
        self.p = _SKIP.match(self.d, self.p).end()

    def token(self):
        self.skip()
        d, n = self.d, len(self.d)
        if self.p >= n:
            return None
        c = d[self.p:self.p + 1]
        if c == b"/":
            e = _REGULAR.match(d, self.p + 1).end()
            raw = d[self.p + 1:e]
            self.p = e
            dec = _NAME_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw
            if self.report:
                self.report("name", dec)
            return Name(dec.decode("latin-1"))
        if c == b"(":
            return self.literal()
        if d[self.p:self.p + 2] == b"<<":
            self.p += 2
            return "<<"
        if d[self.p:self.p + 2] == b">>":
            self.p += 2
            return ">>"
        if c == b"<":
            e = d.find(b">", self.p)
            if e < 0:
                raise Fail("unterminated hex string")
            body = d[self.p + 1:e]
            self.p = e + 1
            digits = body.translate(None, WS)  # (without its white space)
            if self.report:
                self.report("hex", digits)
            s = PString(bytes.fromhex((digits + (b"0" if len(digits) % 2 else b"")).decode("latin-1"))
                        if _HEX.fullmatch(digits) else b"")
            s.is_hex = True
            if self.report:
                self.report("string", s)
            return s
        if c in (b"[", b"]", b"{", b"}"):
            self.p += 1
            return c.decode()
        e = _REGULAR.match(d, self.p).end()
        if e == self.p:  # a stray delimiter
            self.p += 1
            return Kw(c.decode("latin-1"))
        raw = d[self.p:e]
        self.p = e
        if _INT.fullmatch(raw):
            v = int(raw)
            if self.report:
                self.report("int", v)
            return v
        if _REAL.fullmatch(raw):
            v = float(raw)
            if self.report:
                self.report("real", v)
            return v
        return Kw(raw.decode("latin-1"))

    def literal(self):
        d, n = self.d, len(self.d)
        out, depth, i = bytearray(), 1, self.p + 1
        while i < n:
            c = d[i]
            if c == 0x5C:  # backslash
                i += 1
                e = d[i:i + 1]
                esc = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
                if e in esc:
                    out += esc[e]
                elif e in (b"(", b")", b"\\"):
                    out += e
                elif e == b"\r":
                    i += 1 if d[i + 1:i + 2] == b"\n" else 0
                elif e == b"\n":
                    pass
                elif e and e in b"01234567":
                    m = re.match(rb"[0-7]{1,3}", d[i:i + 3])
                    out.append(int(m.group(0), 8) & 0xFF)
                    i += len(m.group(0)) - 1
                else:
                    out += e
                i += 1
                continue
            if c == 0x28:
                depth += 1
            elif c == 0x29:
                depth -= 1
                if depth == 0:
                    break
            out.append(c)
            i += 1
        if depth:
            raise Fail("unterminated string")
        self.p = i + 1
        s = PString(bytes(out))
        if self.report:
            self.report("string", s)
        return s

    def obj(self, tok=None):
        """One object; `N G R` becomes a Ref."""
        t = self.token() if tok is None else tok
        if t == "<<":
            d = {}
            while True:
                k = self.token()
                if k == ">>":
                    return d
                if not isinstance(k, Name):
                    raise Fail("dictionary key is not a name near byte %d" % self.p)
                d[str(k)] = self.obj()
        if t == "[":
            a = []
            while True:
                k = self.token()
                if k == "]":
                    return a
                if k is None:
                    raise Fail("unterminated array")
                a.append(self.obj(k))
        if isinstance(t, int) and not isinstance(t, bool):
            save = self.p
            g = self.token()
            if isinstance(g, int):
                save2 = self.p
                r = self.token()
                if r == "R":
                    return Ref(t, g)
                self.p = save2
            self.p = save
            return t
        if t == "true":
            return True
        if t == "false":
            return False
        if t == "null":
            return None
        return t


class Doc:
    def __init__(self, path, data):
        self.path, self.data, self.fails = path, data, []
        self.objects = {}  # num -> (offset) of the newest revision
        self.all_offsets = []  # (num, gen, offset) of every revision
        self.trailers = []  # newest first
        self.cache = {}
        self.int_stats = []

    def fail(self, rule, msg):
        self.fails.append("%s: %s" % (rule, msg))

    # ---- lexical checks as tokens go by (6.1.6, 6.1.13) ----
    def on_token(self, kind, v):
        if kind == "hex":
            if len(v) % 2:
                self.fail("6.1.6-1", "a hexadecimal string has an odd number (%d) of digits" % len(v))
            if not re.fullmatch(rb"[0-9A-Fa-f]*", v):
                self.fail("6.1.6-2", "a hexadecimal string holds a character that is not a hex digit")
        elif kind == "int":
            if not -2147483648 <= v <= 2147483647:
                self.fail("6.1.13-1", "integer %d out of range" % v)
        elif kind == "real":
            if abs(v) > 3.403e38:
                self.fail("6.1.13-2", "real %g out of range" % v)
            if v != 0 and abs(v) < 1.175e-38:
                self.fail("6.1.13-5", "real %g too close to zero" % v)
        elif kind == "string":
            if len(v) > 32767:
                self.fail("6.1.13-3", "a string of %d bytes" % len(v))
        elif kind == "name":
            if len(v) > 127:
                self.fail("6.1.13-4", "a name of %d bytes" % len(v))

    def lexer(self, pos):
        return Lexer(self.data, pos, self.on_token)

    # ---- file structure (6.1.2, 6.1.3, 6.1.4) ----
    def read_structure(self):
        d = self.data
        m = re.match(rb"%PDF-1\.(\d)(\r\n|\r|\n)", d)
        if not m or not re.fullmatch(rb"%PDF-1\.[0-7]", d[:8]):
            self.fail("6.1.2-1", "the header is not %PDF-1.n at byte 0 followed by one EOL")
        after = m.end() if m else 9
        if not (d[after:after + 1] == b"%" and all(b > 127 for b in d[after + 1:after + 5])):
            self.fail("6.1.2-2", "the header's EOL is not followed by % and four bytes above 127")
        eof = d.rfind(b"%%EOF")
        if eof < 0:
            raise Fail("no %%EOF")
        tail = d[eof + 5:]
        if tail not in (b"", b"\n", b"\r", b"\r\n"):
            self.fail("6.1.3-3", "%d bytes follow the last %%%%EOF" % len(tail))
        sx = d.rfind(b"startxref")
        pos = int(Lexer(d, sx + 9).token())
        seen = set()
        while pos is not None and pos not in seen:
            seen.add(pos)
            pos = self.read_xref(pos)
        if not self.trailers:
            raise Fail("no trailer")
        t = self.trailers[0]
        ids = t.get("ID")
        if not (isinstance(ids, list) and len(ids) == 2 and all(isinstance(x, bytes) and len(x) for x in ids)):
            self.fail("6.1.3-1", "the trailer has no /ID")
        for tr in self.trailers:
            if "Encrypt" in tr:
                self.fail("6.1.3-2", "the trailer has /Encrypt")

    def read_xref(self, pos):
        d = self.data
        if d[pos:pos + 4] == b"xref":
            if not re.match(rb"xref(\r\n|\r|\n)\d", d[pos:pos + 8]):
                self.fail("6.1.4-2", "the xref keyword at byte %d is not followed by exactly one EOL" % pos)
            lx = Lexer(d, pos + 4)
            while True:
                save = lx.p
                first = lx.token()
                if first == "trailer" or not isinstance(first, int):
                    if first != "trailer":
                        raise Fail("bad xref at byte %d" % save)
                    break
                count = lx.token()
                lx.skip()
                for i in range(count):
                    row = d[lx.p:lx.p + 20]
                    m = re.match(rb"(\d{10}) (\d{5}) ([nf])", row)
                    if not m:
                        raise Fail("bad xref row at byte %d" % lx.p)
                    lx.p += 20
                    if m.group(3) == b"n":
                        num, off = first + i, int(m.group(1))
                        self.all_offsets.append((num, int(m.group(2)), off))
                        self.objects.setdefault(num, off)
                    lx.skip()
            tr = self.lexer(lx.p).obj()
            self.trailers.append(tr)
            for key in ("XRefStm",):
                if key in tr:
                    self.read_xref(tr[key])
            return tr.get("Prev")
        # a cross-reference stream (ISO 32000-1 7.5.8)
        num, gen, s = self.read_indirect(pos)
        if not isinstance(s, Stream) or s.dict.get("Type") != "XRef":
            raise Fail("startxref does not point at a cross-reference")
        self.trailers.append(s.dict)
        w = s.dict["W"]
        raw = self.decode(s)
        idx = s.dict.get("Index", [0, s.dict["Size"]])
        rowlen, k = sum(w), 0
        for a in range(0, len(idx), 2):
            for i in range(idx[a + 1]):
                row = raw[k:k + rowlen]
                k += rowlen
                f = [int.from_bytes(row[sum(w[:j]):sum(w[:j + 1])], "big") if w[j] else (1 if j == 0 else 0)
                     for j in range(3)]
                if f[0] == 1:
                    self.all_offsets.append((idx[a] + i, f[2], f[1]))
                    self.objects.setdefault(idx[a] + i, f[1])
                elif f[0] == 2:
                    self.objects.setdefault(idx[a] + i, ("in", f[1], f[2]))
        return s.dict.get("Prev")

    # ---- indirect objects and streams (6.1.7.1, 6.1.9) ----
    def read_indirect(self, off, check=False):
        d = self.data
        m = re.match(rb"(\d+)(\s+)(\d+)(\s+)obj", d[off:off + 40])
        if not m:
            raise Fail("no object at byte %d" % off)
        if check:
            eol_before = off == 0 or d[off - 1:off] in (b"\n", b"\r")
            after = d[off + m.end():off + m.end() + 1]
            if not (m.group(2) == b" " and m.group(4) == b" " and eol_before and after in (b"\n", b"\r")):
                self.fail("6.1.9-1", "object %s: spacing or EOL around 'N G obj' is not one space/one EOL"
                          % m.group(1).decode())
        lx = self.lexer(off + m.end())
        o = lx.obj()
        save = lx.p
        t = lx.token()
        num = int(m.group(1))
        if t == "stream":
            kw_end = lx.p
            if d[kw_end:kw_end + 2] == b"\r\n":
                start, crlf_ok = kw_end + 2, True
            elif d[kw_end:kw_end + 1] == b"\n":
                start, crlf_ok = kw_end + 1, True
            else:
                start, crlf_ok = kw_end + (1 if d[kw_end:kw_end + 1] == b"\r" else 0), False
            length = o.get("Length")
            if isinstance(length, Ref):
                length = self.resolve(length)
            e = d.find(b"endstream", start)
            if e < 0:
                raise Fail("object %d: no endstream" % num)
            # as veraPDF counts it: CR LF before endstream is one EOL when the
            # CR can be the stream's last byte (/Length says so), else two
            eol = 1 if d[e - 1:e] in (b"\n", b"\r") else 0
            if d[e - 2:e] == b"\r\n" and not (isinstance(length, int) and e - start - length <= 1):
                eol = 2
            real = e - eol - start
            if check:
                if real != length:
                    self.fail("6.1.7.1-1", "object %d: /Length %s, but %d bytes lie between stream and the EOL "
                              "before endstream" % (num, length, real))
                if not crlf_ok or not eol:
                    self.fail("6.1.7.1-2", "object %d: %s" % (num, "no EOL before endstream" if not eol else
                                                                 "the stream keyword is not followed by CRLF or LF"))
                for k in ("F", "FFilter", "FDecodeParms"):
                    if k in o:
                        self.fail("6.1.7.1-3", "object %d: the stream dictionary has /%s" % (num, k))
            n = length if isinstance(length, int) and 0 <= length <= len(d) - start else real
            o = Stream(o, start, d[start:start + n])
            if check:
                lx.p = e + 9
                t = lx.token()
                save = e + 9
        if check:
            lx.p = save
            lx.skip()
            ep = lx.p
            if d[ep:ep + 6] != b"endobj" or d[ep - 1:ep] not in (b"\n", b"\r") or \
                    d[ep + 6:ep + 7] not in (b"\n", b"\r"):
                self.fail("6.1.9-1", "object %d: endobj is not preceded and followed by an EOL" % num)
        return num, int(m.group(3)), o

    def resolve(self, x, depth=0):
        while isinstance(x, Ref) and depth < 32:
            depth += 1
            where = self.objects.get(x.num)
            if where is None:
                return None
            num = x.num
            if num not in self.cache:
                self.cache[num] = self.from_objstm(where[1], where[2]) if isinstance(where, tuple) \
                    else self.read_indirect(where)[2]
            x = self.cache[num]
        return x

    def get(self, d, key):
        return self.resolve(d.get(key)) if isinstance(d, dict) else None

    def from_objstm(self, snum, idx):
        s = self.resolve(Ref(snum, 0))
        raw = self.decode(s)
        lx = self.lexer(0)
        lx.d = raw
        pairs = [lx.token() for _ in range(2 * s.dict["N"])]
        lx.p = s.dict["First"] + pairs[2 * idx + 1]
        return lx.obj()

    def decode(self, s):
        f = self.resolve(s.dict.get("Filter"))
        fl = f if isinstance(f, list) else ([f] if f else [])
        data = s.raw
        for name in fl:
            if name in ("FlateDecode", "Fl"):
                data = zlib.decompressobj().decompress(data)
            else:
                return None
        parms = self.resolve(s.dict.get("DecodeParms"))
        if isinstance(parms, dict) and parms.get("Predictor", 1) >= 10:
            cols = parms.get("Columns", 1)
            out, prev = bytearray(), bytearray(cols)
            for r in range(0, len(data), cols + 1):
                ft, row = data[r], bytearray(data[r + 1:r + 1 + cols])
                if ft == 2:
                    row = bytearray((row[i] + prev[i]) & 255 for i in range(cols))
                out += row
                prev = row
            data = bytes(out)
        return data

    def walk(self, x, seen, fn, path=""):
        """Calls fn(dict, path) on every dictionary reachable from x once."""
        stack = [(x, path)]
        while stack:
            x, path = stack.pop()
            if isinstance(x, Ref):
                if x.num in seen:
                    continue
                seen.add(x.num)
                x = self.resolve(x)
            if isinstance(x, Stream):
                fn(x.dict, path, x)
                stack.extend((v, k) for k, v in x.dict.items())
            elif isinstance(x, dict):
                fn(x, path, None)
                stack.extend((v, k) for k, v in x.items() if k != "Parent")
            elif isinstance(x, list):
                stack.extend((v, path) for v in x)



class TrueType:
    """The metrics of an embedded TrueType program: glyph count, advances."""

    def __init__(self, data):
        n = struct.unpack(">H", data[4:6])[0]
        self.tables = {}
        for i in range(n):
            tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
            self.tables[tag.decode("latin-1")] = data[off:off + ln]
        self.upem = struct.unpack(">H", self.tables["head"][18:20])[0]
        self.nglyphs = struct.unpack(">H", self.tables["maxp"][4:6])[0]
        nh = struct.unpack(">H", self.tables["hhea"][34:36])[0]
        hm = self.tables["hmtx"]
        self.adv = [struct.unpack(">H", hm[4 * i:4 * i + 2])[0] for i in range(nh)]
        cmap = self.tables.get("cmap", b"")
        self.cmaps = [struct.unpack(">HH", cmap[4 + 8 * i:8 + 8 * i]) for i in range(struct.unpack(">H", cmap[2:4])[0])] \
            if len(cmap) >= 4 else []

    def width(self, gid):
        a = self.adv[gid] if gid < len(self.adv) else self.adv[-1]
        return a * 1000.0 / self.upem


class FontInfo:
    def __init__(self, doc, fdict):
        self.d, self.cid, self.widths, self.prog, self.gidmap, self.default_w = fdict, False, {}, None, None, 1000
        sub = fdict.get("Subtype")
        if sub == "Type0":
            desc = doc.resolve((doc.get(fdict, "DescendantFonts") or [None])[0])
            self.cid = True
            if isinstance(desc, dict):
                self.default_w = desc.get("DW", 1000)
                w = doc.get(desc, "W") or []
                i = 0
                while i < len(w):
                    first, nxt = doc.resolve(w[i]), doc.resolve(w[i + 1])
                    if isinstance(nxt, list):
                        for j, v in enumerate(nxt):
                            self.widths[first + j] = doc.resolve(v)
                        i += 2
                    else:
                        for c in range(first, nxt + 1):
                            self.widths[c] = doc.resolve(w[i + 2])
                        i += 3
                m = doc.get(desc, "CIDToGIDMap")
                if isinstance(m, Stream):
                    raw = doc.decode(m) or b""
                    self.gidmap = [struct.unpack(">H", raw[i:i + 2])[0] for i in range(0, len(raw) - 1, 2)]
                self.prog = doc.font_program(doc.get(desc, "FontDescriptor"))
        else:
            fc = fdict.get("FirstChar", 0)
            for j, v in enumerate(doc.get(fdict, "Widths") or []):
                self.widths[fc + j] = doc.resolve(v)
            self.prog = doc.font_program(doc.get(fdict, "FontDescriptor"))


def font_program(self, fd):
    if not isinstance(fd, dict):
        return None
    s = self.get(fd, "FontFile2")
    if not isinstance(s, Stream):
        return None
    try:
        return TrueType(self.decode(s))
    except Exception:
        self.fail("6.2.11.2-7", "a FontFile2 is not a readable TrueType program")
        return None


Doc.font_program = font_program


def content_ops(doc, data):
    """(operator, operands) pairs of a content stream."""
    lx = doc.lexer(0)
    lx.d = data
    ops, operands = [], []
    while True:
        t = lx.token()
        if t is None:
            break
        if isinstance(t, Kw) and t not in ("true", "false", "null"):
            if t == "BI":
                d = {}
                while True:
                    k = lx.token()
                    if k == "ID" or k is None:
                        break
                    d[str(k)] = lx.obj()
                e = re.compile(rb"\sEI(\s|$)").search(data, lx.p)
                lx.p = e.end() if e else len(data)
                ops.append(("BI", [d]))
            else:
                ops.append((str(t), operands))
            operands = []
        else:
            operands.append(lx.obj(t) if t in ("<<", "[") else t)
    return ops


def der_items(b, off, end, first_only=False):
    """(tag, content start, content end) of the DER elements in b[off:end]."""
    out = []
    while off < end and not (first_only and out):
        tag, ln = b[off], b[off + 1]
        off += 2
        if ln & 0x80:
            k = ln & 0x7F
            ln = int.from_bytes(b[off:off + k], "big")
            off += k
        out.append((tag, off, off + ln))
        off += ln
    return out
