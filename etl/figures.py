"""The figures of a report's text: every number with its unit, how it is stated (qualifier), the date it describes,
the unit of government it is about, and the words around it that tell what it counts.

Vietnamese number grammar (1.234,5; 65.020 tỷ đồng; 1,2 triệu; nghìn tỷ; %; điểm %; lần; x/y; "thứ 11/104";
"Top 10"; "16–18%"), qualifiers (data/README.md, `qualifier`) and date phrases (etl.text.find_dates). Numbers that
are not figures (document numbers, dates, years, list numbering, "5G") are left out. Lists of named units with no
number ("gồm: Hà Nội, Huế") become flag figures, one per unit (value 1, unit `flag`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from etl.text import DatePhrase, find_dates, parse_number

# Units written after a number, longest first: (pattern, stated unit id). A bare number is a count.
_UNITS = [
    (r"triệu tỷ(?: đồng)?", "million_billion_vnd"), (r"(?:nghìn|ngàn) tỷ(?: đồng)?", "trillion_vnd"),
    (r"tỷ (?:đồng|VNĐ|VND)", "billion_vnd"), (r"triệu (?:đồng|VNĐ|VND)", "million_vnd"),
    (r"tỷ (?:USD|đô la Mỹ|đô-la)", "billion_usd"), (r"triệu (?:USD|đô la Mỹ|đô-la)", "million_usd"),
    (r"USD", "usd"), (r"(?:nghìn|ngàn)", "thousand"), (r"triệu", "million"), (r"tỷ", "billion"),
    (r"điểm (?:%|phần trăm)", "percent_points"), (r"%", "percent"), (r"lần", "times"), (r"Mbps", "mbps"),
    (r"MW", "mw"), (r"(?:ha|hécta|héc-ta)", "hectare"),
    (r"(?:người\s*/\s*vạn dân|/\s*vạn dân|người trên (?:1 )?vạn dân|/10\.000 dân)", "per_10000"), (r"điểm", "score"),
]
_UNIT_RE = re.compile(r"\s?(" + "|".join(f"(?:{p})" for p, _ in _UNITS) + r")(?![\wÀ-ỹ])")
_UNIT_OF = [(re.compile(f"^(?:{p})$"), u) for p, u in _UNITS]
# The family a stated unit is matched in: the registry's units of that family fit it (kpis/units.csv).
FAMILY = {"percent": "percent", "percent_points": "percent", "count": "count", "thousand": "count", "million": "count",
          "billion": "count", "billion_vnd": "vnd", "trillion_vnd": "vnd", "million_vnd": "vnd",
          "million_billion_vnd": "vnd", "usd": "usd", "million_usd": "usd", "billion_usd": "usd", "rank": "rank",
          "times": "times", "mbps": "mbps", "mw": "mw", "hectare": "hectare", "per_10000": "per_10000",
          "score": "score", "flag": "flag"}
PERCENT_UNITS = ("percent", "percent_change", "percent_of_plan", "percent_same_period")

_W = r"[\wÀ-ỹ]"  # a letter or digit, Vietnamese letters included
_NUMBER = re.compile(r"(?<![\wÀ-ỹ.,/\-])\d+(?:[.,]\d+)*")
# Words that make the number after them a document or meeting number, not a figure.
_DOC_BEFORE = re.compile(
    r"(?:(?:Nghị quyết|Nghị định|Quyết định|Thông tư|Chỉ thị|Kết luận|Công văn|Văn bản|Luật|Điều|điều|[Kk]hoản|"
    r"Chương|Phiên họp|lần thứ|Kế hoạch|Thông báo|Tờ trình|Công điện|Đề án|Hội nghị|QĐ|NQ|khóa|Khóa|nhiệm kỳ|"
    r"Phụ lục|phụ lục|Biểu|Bảng|Hình|quốc gia|Báo cáo|báo cáo|Chương trình)(?:\s+số)?|footnoteRef:|"
    r"Top\s*\d+\s*(?:và|,))\s*$")
_RANK_BEFORE = re.compile(r"(?:(?<!lần )thứ|thứ hạng|xếp hạng|hạng|xếp|vị trí(?: thứ)?|vị thứ)\s*$", re.I)
_TOP_BEFORE = re.compile(r"(?:\b[Tt]op|TOP|lọt vào nhóm|nhóm)\s*$")
_APPROX = re.compile(r"(?:khoảng|gần|xấp xỉ|~|ước(?: tính| đạt| khoảng)*(?: đạt| khoảng)?|dự kiến(?: đạt)?|"
                     r"bình quân|trung bình(?: khoảng)?)\s*$", re.I)
_AT_LEAST = re.compile(r"(?:hơn|trên|vượt|ít nhất|tối thiểu|(?:hơn )?gấp(?: hơn)?|hơn gấp)\s*$", re.I)
_AT_MOST = re.compile(r"(?:dưới|tối đa|không quá|chưa đến|chưa tới|chưa tới|chỉ còn)\s*$", re.I)
_CHANGE = re.compile(r"\b(tăng|giảm)(?:\s+[^\s\d]+){0,3}\s*$", re.I)
_PLAN_AFTER = re.compile(r"^\s*(?:so với\s+)?(?:kế hoạch|chỉ tiêu|KH\b)", re.I)
_SAME_PERIOD = re.compile(r"^\s*(?:so với\s+)?cùng kỳ", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:\(\d{1,2}\)|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[IVX]+\.)\s*")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")
FOOTNOTE_BODY = re.compile(r"\[(\d+):\s")


@dataclass
class Figure:
    """One figure of a report: a number (or a named unit, for a flag) where the text states it."""

    start: int  # the number expression's span in the text
    end: int
    value: float
    unit: str  # the stated unit: an id of kpis/units.csv, or percent_points
    qualifier: str = "exact"
    value_high: float | None = None
    base: float | None = None
    change: str | None = None  # "up" / "down": a growth or a fall ("tăng 12%", "giảm 29,7%")
    plan: bool = False  # "đạt 116% kế hoạch"
    same_period: bool = False  # "bằng 107,9% so với cùng kỳ"
    entity: str | None = None  # the unit of government it is about, as the registry names it
    entity_id: str | None = None
    quote: tuple[int, int] = (0, 0)
    as_of: dt.date | None = None
    as_of_how: str = ""
    sentence: str = ""  # the words around it in its sentence (numbers and names of units masked)
    lead: str = ""  # the lead-in of a list or table the figure sits in (masked)
    run: tuple[int, int] | None = None  # a flag's list of named units
    notes: list[str] = field(default_factory=list)

    @property
    def family(self) -> str:
        return FAMILY.get(self.unit, self.unit)


@dataclass(frozen=True)
class Names:
    """Every name of a unit of government that can be found in running text, with the unit it resolves to."""

    pattern: re.Pattern | None
    ids: dict[str, str | None]  # name as written -> agency id
    canonical: dict[str, str]  # agency id -> name_vi
    keys: dict[str, str]  # name case-folded -> name as written (reports write "Bộ Công thương", "Bộ Quốc Phòng")

    @classmethod
    def build(cls, names: list[str], resolve_all: Callable[[list[str]], list[str | None]], canonical: dict[str, str]
              ) -> Names:
        """From names as written, resolved all at once (`resolve_all`: their ids, None for a name not known)."""
        written = sorted({n for n in names if n and len(n) >= 3}, key=len, reverse=True)
        ids = {n: i for n, i in zip(written, resolve_all(written), strict=True) if i is not None}
        if not ids:
            return cls(None, {}, canonical, {})
        alt = "|".join(re.escape(n) for n in sorted(ids, key=len, reverse=True))
        keys: dict[str, str] = {}
        for n in ids:
            keys.setdefault(n.casefold(), n)
        return cls(re.compile(rf"(?<![\wÀ-ỹ])(?:{alt})(?![\wÀ-ỹ])", re.I), ids, canonical, keys)

    def mask(self, text: str) -> str:
        """Numbers and names of units replaced by placeholders: what a figure counts is in the other words."""
        text = _mask(text)
        return self.pattern.sub("đv", text) if self.pattern is not None else text

    def masked(self, text: str) -> Masked:
        """The text masked once (as `mask` does), read by spans of the original."""
        return Masked(text, self.pattern)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, agency id) of every name in the text, longest name first where two overlap."""
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.ids[self.keys[m.group().casefold()]]) for m in self.pattern.finditer(text)
                if m.group()[0].isupper() or m.group()[0].isdigit() or m.group() in self.ids]


class Masked:
    """A text with its names of units ("đv") and numbers ("0") masked once; masked(a, b) is the masked text of the
    original's span [a, b) (a span that starts inside a name or number starts with its placeholder)."""

    def __init__(self, text: str, names: re.Pattern | None = None):
        import bisect

        spans = [(m.start(), m.end(), "đv") for m in names.finditer(text)] if names is not None else []
        starts = [a for a, _, _ in spans]
        for m in _NUMBER_ANY.finditer(text):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or m.start() >= spans[k][1]:
                spans.append((m.start(), m.end(), "0"))
        spans.sort()
        self._starts, self._ends, self._to = [a for a, _, _ in spans], [b for _, b, _ in spans], []
        parts, pos, size = [], 0, 0
        for a, b, repl in spans:
            parts += [text[pos:a], repl]
            size += a - pos
            self._to.append((size, size + len(repl)))  # the placeholder's span in the masked text
            size += len(repl)
            pos = b
        parts.append(text[pos:])
        self.text = "".join(parts)

    def _index(self, i: int) -> int:
        import bisect

        k = bisect.bisect_right(self._starts, i) - 1
        if k < 0:
            return i
        start, end = self._to[k]
        return start if i < self._ends[k] else end + i - self._ends[k]

    def __call__(self, a: int, b: int) -> str:
        return self.text[self._index(a):self._index(b)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: a line, cut at '. ' before a capital or a digit, at ';' and at a footnote's start."""
    out, pos = [], 0
    for m in re.finditer(r"\n|[.;!?](?=\s+[A-ZÀ-Ỹ\d(\-+])|;|(?=\[\d+:\s)", text):
        end = m.end() if m.group() not in ("\n", "") else m.start()
        if end > pos:
            out.append((pos, end))
        pos = m.end() if m.group() else m.start()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


_NUMBER_ANY = re.compile(r"\d+(?:[.,]\d+)*")


def _mask(s: str) -> str:
    return _NUMBER_ANY.sub("0", s)


def _span_number(tok: str) -> float | None:
    x, why = parse_number(tok, prose=True)
    return None if why else x


def _year(tok: str) -> bool:
    return re.fullmatch(r"(?:19|20)\d\d", tok) is not None


def find_figures(text: str, report_date: dt.date, names: Names | None = None) -> list[Figure]:
    """Every figure of `text` (NFC, lines = paragraphs or table cells), in text order."""
    dates = find_dates(text, report_date)
    taken = [(d.start, d.end) for d in dates]
    sents = sentences(text)
    entities = names.find(text) if names else []
    figures: list[Figure] = []
    tokens = [m for m in _NUMBER.finditer(text)]
    i = 0
    while i < len(tokens):
        m = tokens[i]
        i += 1
        s, e, tok = m.start(), m.end(), m.group()
        if any(a <= s < b for a, b in taken):
            continue
        line_start = text.rfind("\n", 0, s) + 1
        prefix = text[max(line_start, s - 60):s]
        nxt = text[e:e + 40]
        if re.match(r"[\wÀ-ỹ]", nxt) and not re.match(r"(?:%|ha\b|MW|Mbps)", nxt):
            continue  # 5G, 09h00, 1131/QĐ glued to letters
        if re.match(r"\s?[/-]\s?[A-ZĐ]", nxt) or re.match(r"[/.-]\d+[/-][A-ZĐa-z]", nxt):
            continue  # 57-NQ/TW, 730/QĐ-TTg, 231/2025/NĐ-CP
        if _DOC_BEFORE.search(prefix) or FOOTNOTE_BODY.match(text, max(0, s - 1)):
            continue
        if _LIST_ITEM.match(text[line_start:e + 2]) and (text[line_start:s].strip() in ("", "(", "-", "+")) and (
                re.match(r"[.)]", nxt)):
            continue  # list numbering: "1.", "(2)", "2.1."
        bracketed = re.match(r"\)", nxt) and text[s - 1:s] == "(" and len(tok) <= 2 and not re.match(r"\)\s*(?:%|ha\b)", nxt)
        if bracketed and not (names and any(b <= s - 1 and s - 1 - b <= 3 for _, b, _ in entities)):
            continue  # "(1)" numbering, unless it follows a unit's name: "Bộ Xây dựng (2)"
        if _year(tok) and not re.match(r"\s?(?:%|tỷ|triệu|nghìn|ngàn)", nxt) and not _RANK_BEFORE.search(prefix):
            continue  # a year that find_dates did not claim ("2026-2031")
        value = _span_number(tok)
        if value is None:
            continue
        f = Figure(s, e, value, "count")
        # x/y: a fraction with its base ("58/104", "thứ 11/104"); a range ("16–18%", "80 - 100")
        j = e
        frac = re.match(r"\s?/\s?(\d+(?:[.,]\d+)*)(?![/\d]|\s?[-/][A-ZĐ])", text[e:e + 20])
        rng = re.match(r"\s?[-–—]\s?(\d+(?:[.,]\d+)*)(?![/\d])", text[e:e + 20])
        if frac and not _year(frac.group(1)):
            base = _span_number(frac.group(1))
            if base is not None:
                f.base, j = base, e + frac.end()
        elif rng and not _year(tok):
            high = _span_number(rng.group(1))
            if high is not None and high > value:
                f.value_high, f.qualifier, j = high, "range", e + rng.end()
        while i < len(tokens) and tokens[i].start() < j:
            i += 1  # the base or high end is part of this figure
        f.end = j
        after = text[j:j + 60]
        um = _UNIT_RE.match(after)
        if um:
            f.unit = next(u for r, u in _UNIT_OF if r.match(um.group(1)))
            j += um.end()
        rank_word = _RANK_BEFORE.search(prefix)
        if _TOP_BEFORE.search(prefix):
            f.unit, f.qualifier = "rank", "bracket"
        elif rank_word and f.unit == "count":
            f.unit = "rank"
        if f.qualifier == "exact":
            pre = _RANK_BEFORE.sub("", prefix) if rank_word else prefix
            if _APPROX.search(pre):
                f.qualifier = "approx"
            elif _AT_LEAST.search(pre):
                f.qualifier = "at_least"
            elif _AT_MOST.search(pre):
                f.qualifier = "at_most"
        tail = text[j:j + 40]
        if f.unit in ("percent", "percent_points"):
            f.plan = bool(_PLAN_AFTER.match(tail))
            f.same_period = bool(_SAME_PERIOD.match(tail)) and re.search(r"bằng\s*$", prefix) is not None
            if f.plan and f.qualifier == "at_least" and re.search(r"vượt\s*$", prefix):
                f.qualifier = "exact"  # "vượt 111,8% so với kế hoạch": attainment of 111,8%
        ch = _CHANGE.search(prefix[-40:])
        if ch and f.unit in ("percent", "percent_points", "times", "count", "rank"):
            f.change = "up" if ch.group(1).lower() == "tăng" else "down"
        f.end = max(f.end, j)
        figures.append(f)
    figures += _flags(text, entities, figures)
    figures.sort(key=lambda f: (f.start, f.unit == "flag"))
    _describe(text, figures, sents, dates, entities, report_date, names)
    return figures


def _flags(text: str, entities: list[tuple[int, int, str]], figures: list[Figure]) -> list[Figure]:
    """A list of two or more named units with no number of their own: one flag figure per unit."""
    out: list[Figure] = []
    runs: list[list[tuple[int, int, str]]] = []
    for ent in entities:
        if runs and re.fullmatch(r"\s*(?:,|;|và|, và)\s*(?:(?:tỉnh|thành phố|TP\.?)\s+)?", text[runs[-1][-1][1]:ent[0]]):
            runs[-1].append(ent)
        else:
            runs.append([ent])
    for run in runs:
        alone = len(run) == 1 and text[run[0][0] - 1:run[0][0]] == "(" and text[run[0][1]:run[0][1] + 1] == ")"
        if len(run) < 2 and not alone:
            continue  # one name is a flag only alone in brackets: "CSDL hộ tịch điện tử (Bộ Tư pháp)"
        for a, b, eid in run:
            if re.match(r"\s*(?:\(|:)?\s*(?:có\s+)?\d", text[b:b + 12]):
                continue  # "Bộ Xây dựng (2)": a count of that unit, found as a number
            out.append(Figure(a, b, 1.0, "flag", entity_id=eid, run=(run[0][0], run[-1][1])))
    return out


def _describe(text: str, figures: list[Figure], sents: list[tuple[int, int]], dates: list[DatePhrase],
              entities: list[tuple[int, int, str]], report_date: dt.date, names: Names | None) -> None:
    """Fill in each figure's quote, words around it, lead-in, unit of government and date."""
    import bisect

    sent_starts = [a for a, _ in sents]
    refs = {m.group(1): m.start() for m in _FOOTNOTE_REF.finditer(text)}
    masked = names.masked(text) if names else Masked(text)
    mask = names.mask if names else _mask
    for f in figures:
        k = max(0, bisect.bisect_right(sent_starts, f.start) - 1)
        ss, se = sents[k]
        if f.unit == "flag":  # the list the unit is named in, from its lead-in
            ss2 = ss
            colon = text.rfind(":", ss, f.start)
            paren = text.rfind("(", ss, f.start)
            ss2 = max(ss, colon - 80 if colon >= 0 else ss, paren - 60 if paren >= 0 else ss)
            qs, qe = _word_bounds(text, max(ss2, f.start - 160), min(se, f.end + 60), ss, se)
        else:
            qs, qe = _word_bounds(text, max(ss, f.start - 110), min(se, f.end + 90), ss, se)
        f.quote = (qs, qe)
        f.sentence = masked(max(ss, f.start - 220), min(se, f.end + 160))
        f.lead = mask(_lead(text, f, ss, refs))
        if f.unit != "flag":
            f.entity_id = _entity_before(text, f, entities, ss)
        if names and f.entity_id:
            f.entity = names.canonical.get(f.entity_id)
        f.as_of, f.as_of_how = _as_of(text, f, dates, ss, se, report_date)


def _word_bounds(text: str, a: int, b: int, ss: int, se: int) -> tuple[int, int]:
    """[a, b) widened to whole words and trimmed of white space and dangling punctuation."""
    while a > ss and re.match(r"[\wÀ-ỹ.,%/]", text[a - 1]):
        a -= 1
    while b < se and re.match(r"[\wÀ-ỹ.,%/]", text[b:b + 1]):
        b += 1
    while a < b and text[a] in " \t,;:)":
        a += 1
    while b > a and text[b - 1] in " \t,;:(":
        b -= 1
    return a, b


def _lead(text: str, f: Figure, ss: int, refs: dict[str, int]) -> str:
    """The words that say what a list or table is about: the text before ':' in the sentence, the line before a
    short line (a table cell or list item), the sentence a footnote hangs from."""
    parts = []
    colon = text.rfind(":", ss, f.start)
    if colon > ss:
        parts.append(text[max(ss, colon - 140):colon])
    line_start = text.rfind("\n", 0, f.start) + 1
    line_end = text.find("\n", f.start)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start < 90 or text[line_start:line_start + 2].strip() in ("-", "+", "•"):
        prev = text[:line_start].rstrip("\n ")
        lines = [ln for ln in prev[-600:].split("\n") if ln.strip()][-3:]
        parts.append(" ".join(lines)[-200:])
    body = text.rfind("[", max(0, f.start - 3000), f.start)
    m = FOOTNOTE_BODY.match(text, body) if body >= 0 else None
    if m and m.group(1) in refs:
        r = refs[m.group(1)]
        parts.append(text[max(0, r - 160):r])
    return " ".join(parts)


def _entity_before(text: str, f: Figure, entities: list[tuple[int, int, str]], ss: int) -> str | None:
    """The unit a number belongs to: a name just before it in the same sentence ("Bộ Tài chính: 22/22",
    "Thái Nguyên (131/167)", "Điện Biên có 09 sản phẩm"), with no other number between them."""
    best = None
    for a, b, eid in entities:
        if b > f.start:
            break
        if a >= ss and f.start - b <= 40 and not re.search(r"\d", text[b:f.start]):
            best = eid
    return best


def _as_of(text: str, f: Figure, dates: list[DatePhrase], ss: int, se: int, report_date: dt.date
           ) -> tuple[dt.date, str]:
    """The date a figure describes: the nearest date phrase before it in its sentence (else just after it, else
    the closest "tính đến" date of its paragraph), never a comparison base ("so với năm 2021") or a document's date;
    else the report's date. A date after the report's is a target's year: the report's date is used."""
    para_start = text.rfind("\n", 0, f.start) + 1
    usable = [d for d in dates if not d.comparison and not d.document and not d.deadline]
    before = [d for d in usable if ss <= d.start and d.end <= f.start]
    after = [d for d in usable if f.end <= d.start < se and d.start - f.end <= 60]
    until = [d for d in usable if para_start <= d.start < f.start and d.until]
    pick = before[-1] if before else after[0] if after else until[-1] if until else None
    if pick is None:
        return report_date, "ngày báo cáo / report date"
    if pick.date > report_date + dt.timedelta(days=31) or (pick.date > report_date and pick.date.day == 31
                                                            and pick.date.month == 12):
        if pick.date.year > report_date.year:  # "đến năm 2030": a target's year
            f.notes.append(f"có thể là mục tiêu ({text[pick.start:pick.end]}) / perhaps a target")
        return report_date, "ngày báo cáo / report date"
    return pick.date, text[pick.start:pick.end]
