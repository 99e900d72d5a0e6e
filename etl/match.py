"""Which indicator a figure of a report states: its context, compared with the registry's names and with the figures
the warehouse already holds, ranked by a small model learned from those figures.

    contexts(text, figures, masked) -> the words around each figure, by part (CONTEXT_PARTS)
    rank(indicators, examples, figures, contexts) -> for each figure, its candidate indicators best first, with
                                                     their probability (0-1)

A figure is read as an analyst reads it: the words right after the number name what it counts ("18 nhiệm vụ quá
hạn", "42/43 bệnh viện") and the words right before it what it measures ("tỷ lệ … đạt 91,9%"), both cut at the
clause ("," ";" ":" brackets, "và"); then its sentence, the lead-in of its list or table, the headings above it and
the paragraph before it. Each candidate indicator (only those whose unit fits the figure's, `unit_fit`) gets a
handful of scores (FEATURES): TF-IDF cosine similarities (Vietnamese syllables and syllable pairs) of those parts
with the indicator's name; how much of the counted noun the name holds and how much of the name the figure's own
words, lead-in and headings hold; how close the figure comes to the indicator's closest example (a figure of another
report that the warehouse holds with that indicator) and whether it has examples at all; and how well the units fit.
The scores are weighed by a conditional logit (a softmax over each figure's candidates) fitted on the warehouse's own
examples: each report that the warehouse quotes is ranked against the examples of the other reports, so that the
weights are learned as they will be used, on a report that does not teach itself. With fewer than two quoted reports
to learn from, DEFAULT_WEIGHTS are used."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np

from etl.figures import FAMILY, FOOTNOTE_BODY, PERCENT_UNITS, Figure, Masked, sentences

WORD = re.compile(r"[\wÀ-ỹ]+")
_TOKENS = r"[\wÀ-ỹ]+"
# where a number's own words end: punctuation of a clause, "và" / "hoặc"
_CLAUSE_END = re.compile(r"[,;:()\[\]]|(?<![\wÀ-ỹ])(?:và|hoặc)(?![\wÀ-ỹ])|\.(?:\s|$)")
_BRACKETED_NUMBER = re.compile(r"^\s*\(\s*[\d.,]+\s*%?\s*\)")  # "99/348 (28%) sản phẩm": the noun is after the share
_HEADING = re.compile(r"^\s*(?:\[bookmark:[^\]]*\]\s*)?(?:([IVX]+)\.|(\d+(?:\.\d+)*)\.|([a-zđ])\)|\((\d+)\))\s*"
                      r"(.{3,160})$", re.M)
_NAME_LEAD = re.compile(r"^(?:tổng số|số lượng|số|tỷ lệ|tỉ lệ)\s+")
NEAR_WORDS = 6  # how many words before and after the number are its own
CONTEXT_PARTS = ("after", "before", "head", "near", "wide", "lead", "heading", "para")
NAME_PARTS = ("before", "head", "wide", "para")  # compared with an indicator's name
EXAMPLE_PARTS = ("after", "before", "wide", "lead", "heading", "para")  # compared with an example, summed
FEATURES = ("name_before", "name_head", "name_wide", "name_para", "name_noun", "noun_in_name", "name_in_context",
            "example", "has_examples", "unit_fit")
FIT = FEATURES.index("unit_fit")
L2 = 1.0  # the conditional logit's ridge penalty
# Used when the warehouse quotes fewer than two reports: the weights learned from the four shipped reports (printed by
# `python bench/propose_bench.py --weights`).
DEFAULT_WEIGHTS = np.array([2.49, -2.96, 7.96, 9.22, 2.72, 2.69, 4.90, 2.96, -3.70, 3.18])


def unit_fit(f: Figure, ind: dict) -> float:
    """How well a figure's unit fits an indicator's: 0 = not at all (another family), else a weight."""
    unit = ind["unit"]
    if f.family == "percent":
        if unit not in PERCENT_UNITS:
            return 0.0
        growth = unit == "percent_change" or ind.get("period") == "period_growth"
        if f.plan:
            return 1.0 if unit == "percent_of_plan" else 0.5
        if f.same_period:
            return 1.0 if unit == "percent_same_period" else 0.5
        if unit in ("percent_of_plan", "percent_same_period"):
            return 0.5
        if f.change or f.unit == "percent_points":
            return 1.0 if growth else 0.7
        return 0.75 if growth else 1.0
    fam = FAMILY.get(unit, unit)
    if f.family == "count" and fam in ("count", "rank", "times") and f.unit == "count":
        # a bare number may be a rank or a ratio the text did not mark ("xếp 7 thế giới")
        if fam == "count":
            return 0.75 if (f.change and ind.get("period") != "period_growth") else 1.0
        return 0.4
    if f.family != fam:
        return 0.0
    return 1.0


def _words_after(s: str) -> list[str]:
    s = _BRACKETED_NUMBER.sub("", s).lstrip(" )")
    return WORD.findall(_CLAUSE_END.split(s, 1)[0])[:NEAR_WORDS]


def _words_before(s: str) -> list[str]:
    return WORD.findall(_CLAUSE_END.split(s.rstrip(" (:"))[-1])[-NEAR_WORDS:]


def _headings(text: str) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Numbered heading lines ("II. ...", "2.1. ...", "a) ...", "(3) ..."): their starts, and (level, span of words)."""
    starts, heads = [], []
    for m in _HEADING.finditer(text):
        level = 0 if m.group(1) else 1 + m.group(2).count(".") if m.group(2) else 5 if m.group(3) else 6
        starts.append(m.start())
        heads.append((level, *m.span(5)))
    return starts, heads


def contexts(text: str, figures: list[Figure], masked: Masked) -> list[dict[str, str]]:
    """The parts of each figure's context (CONTEXT_PARTS), lower case, numbers and names of units masked (`masked`):
    its own words after and before the number (`near` both, `head` the first two after), its sentence, the lead-in
    of its list or table (for a footnote, the words around its mark), the nearest headings above it (each of a
    higher level than the one below) and the paragraph before it with the start of the previous one."""
    starts, heads = _headings(text)
    marks = {m.group(1): m.end() for m in re.finditer(r"\[footnoteRef:(\d+)\]", text)}
    spans = sentences(text)
    sentence_starts = [s for s, _ in spans]
    out = []
    for f in figures:
        a, b = f.run if f.run else (f.start, f.end)
        line_start = text.rfind("\n", 0, a) + 1
        line_end = text.find("\n", b)
        line_end = len(text) if line_end < 0 else line_end
        after = _words_after(masked(b, min(line_end, b + 120)).lower())
        before = _words_before(masked(max(line_start, a - 120), a).lower())
        if f.run and len(after) < 2:  # a list of units: what it says of them ends its sentence
            end = spans[bisect.bisect_right(sentence_starts, a) - 1][1]
            after = WORD.findall(_CLAUSE_END.split(masked(b, end).lower().rstrip(" .;:("))[-1])[-2 * NEAR_WORDS:]
        lead = f.lead
        body = text.rfind("[", max(0, a - 3000), a)
        m = FOOTNOTE_BODY.match(text, body) if body >= 0 else None
        if m and m.group(1) in marks:  # a footnote's list is about what follows its mark too
            lead += " " + masked(marks[m.group(1)], marks[m.group(1)] + 100)
        titles, level = [], 99
        k = bisect.bisect_right(starts, a) - 1
        while k >= 0 and len(titles) < 2:
            if heads[k][0] < level:
                level = heads[k][0]
                titles.append(masked(heads[k][1], heads[k][2]))
            k -= 1
        prev_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        para = masked(prev_start, min(prev_start + 200, line_start)) + " | " + masked(line_start, a)
        out.append({"after": " ".join(after), "before": " ".join(before), "head": "" if f.run else " ".join(after[:2]),
                    "near": " ".join(before + after), "wide": f.sentence.lower(), "lead": lead.lower(),
                    "heading": " ".join(titles).lower(), "para": para.lower()})
    return out


def name_doc(ind: dict) -> str:
    """An indicator's own words: its Vietnamese name, and the Vietnamese words its description quotes."""
    quoted = " ".join(re.findall(r"\(([^()]*[À-ỹđ][^()]*)\)", ind.get("description", "")))
    return f"{ind['name_vi']} {quoted}".lower()


def name_noun(ind: dict) -> str:
    """What an indicator counts: the first two words of its name after "Số", "Tổng số", "Tỷ lệ"."""
    return " ".join(WORD.findall(_NAME_LEAD.sub("", ind["name_vi"].lower()))[:2])


@dataclass
class Example:
    """A figure the warehouse holds with its indicator, found again in the report it quotes."""

    indicator: str
    source: str  # the report it was found in
    figure: Figure
    context: dict[str, str]


class _Features:
    """The scores of every (figure, indicator) pair (FEATURES), for figures of the new report and of the examples'
    own reports; an example never scores a figure of its own report."""

    def __init__(self, indicators: dict[str, dict], examples: list[Example], new: list[dict[str, str]]):
        from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
        from sklearn.preprocessing import normalize

        self.ids = list(indicators)
        self.indicators = indicators
        names = [name_doc(indicators[i]) for i in self.ids]
        nouns = [name_noun(indicators[i]) for i in self.ids]
        # every context is read once: its parts' TF-IDF vectors and words, found again by the context's identity
        contexts = list({id(c): c for c in [e.context for e in examples] + new}.values())
        self.row = {id(c): k for k, c in enumerate(contexts)}
        tfidf = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=_TOKENS,
                                dtype=np.float32)
        parts = list(CONTEXT_PARTS)
        vectors = tfidf.fit_transform([c[p] for c in contexts for p in parts] + names + nouns).tocsr()
        n = len(contexts) * len(parts)
        self.vec = {p: vectors[k:n:len(parts)] for k, p in enumerate(parts)}
        self.names, self.nouns = vectors[n:n + len(names)], vectors[n + len(names):]
        # how rare a word is among the registry's names: "quá hạn" tells more than "nhiệm vụ" or "số"
        rare = TfidfVectorizer(token_pattern=_TOKENS).fit(names)
        idf = dict(zip(rare.get_feature_names_out(), rare.idf_, strict=True))
        words = CountVectorizer(token_pattern=_TOKENS, binary=True).fit(names + [c["head"] for c in contexts])
        weights = np.array([idf.get(t, 1.0) for t in words.get_feature_names_out()])
        self.name_has = words.transform(names).toarray()
        name_words = self.name_has * weights
        self.name_words = name_words / np.maximum(name_words.sum(axis=1, keepdims=True), 1e-9)
        self.head_words = normalize(words.transform([c["head"] for c in contexts]).toarray() * weights, norm="l1")
        self.seen_words = words.transform([f"{c['near']} | {c['lead']} | {c['heading']}" for c in contexts])
        index = {i: k for k, i in enumerate(self.ids)}
        self.ex_ind = np.array([index[e.indicator] for e in examples], dtype=int)
        self.ex_src = np.array([e.source for e in examples], dtype=object)
        self.ex_row = np.array([self.row[id(e.context)] for e in examples], dtype=int)

    def __call__(self, figures: list[Figure], ctx: list[dict[str, str]], source: str | None) -> np.ndarray:
        """(len(figures), len(indicators), len(FEATURES)) for figures whose contexts this was built with; `source` is
        the figures' report when it is one of the examples' (its examples are left out)."""
        n, m = len(figures), len(self.ids)
        rows = np.array([self.row[id(c)] for c in ctx], dtype=int)
        score: dict[str, np.ndarray] = {}
        for p in NAME_PARTS:
            score[f"name_{p}"] = (self.vec[p][rows] @ self.names.T).toarray()
        score["name_noun"] = (self.vec["head"][rows] @ self.nouns.T).toarray()
        score["noun_in_name"] = self.head_words[rows] @ self.name_has.T
        score["name_in_context"] = self.seen_words[rows] @ self.name_words.T
        keep = self.ex_src != source
        ex_ind = self.ex_ind[keep]
        score["example"] = np.zeros((n, m))
        if keep.any():
            sim = sum((self.vec[p][rows] @ self.vec[p][self.ex_row[keep]].T).toarray() for p in EXAMPLE_PARTS)
            order = np.argsort(ex_ind, kind="stable")
            firsts = np.flatnonzero(np.r_[True, np.diff(ex_ind[order]) != 0])
            score["example"][:, ex_ind[order][firsts]] = np.maximum.reduceat(sim[:, order], firsts, axis=1)
        score["has_examples"] = np.broadcast_to(np.bincount(ex_ind, minlength=m) > 0, (n, m))
        score["unit_fit"] = np.array([[unit_fit(f, self.indicators[i]) for i in self.ids] for f in figures]
                                     ).reshape(n, m)
        return np.stack([score[k] for k in FEATURES], axis=-1).astype(np.float64)


def _fit(groups: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The weights of a conditional logit: each group is one figure's candidates (rows of features) and which of them
    are right; the right ones' share of the softmax is made as large as it can be, with a ridge penalty L2."""
    from scipy.optimize import minimize

    x = np.concatenate([g[0] for g in groups])
    y = np.concatenate([g[1] for g in groups]).astype(float)
    starts = np.cumsum([0] + [len(g[1]) for g in groups[:-1]])
    sizes = np.array([len(g[1]) for g in groups])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.maximum.reduceat(s, starts)
        p = np.exp(s - np.repeat(top, sizes))
        z = np.add.reduceat(p, starts)
        right = np.add.reduceat(p * y, starts)
        value = -np.sum(np.log(right / z)) + 0.5 * L2 * w @ w
        grad = (p / np.repeat(z, sizes) - y * p / np.repeat(right, sizes)) @ x + L2 * w
        return value, grad

    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x


def weights(indicators: dict[str, dict], examples: list[Example], features: _Features | None = None
            ) -> np.ndarray | None:
    """The weights learned from the examples (each report ranked against the others' examples), or None when they
    come from fewer than two reports."""
    sources = sorted({e.source for e in examples})
    if len(sources) < 2:
        return None
    features = features or _Features(indicators, examples, [])
    index = {i: k for k, i in enumerate(features.ids)}
    groups = []
    for s in sources:
        figs: dict[int, tuple[Figure, dict[str, str], set[int]]] = {}
        for e in examples:
            if e.source == s:
                figs.setdefault(id(e.figure), (e.figure, e.context, set()))[2].add(index[e.indicator])
        rows = list(figs.values())
        x = features([r[0] for r in rows], [r[1] for r in rows], s)
        for (_, _, right), xi in zip(rows, x, strict=True):
            ok = xi[:, FIT] > 0
            y = np.isin(np.flatnonzero(ok), list(right))
            if y.any():
                groups.append((xi[ok], y))
    return _fit(groups) if groups else None


def rank(indicators: dict[str, dict], examples: list[Example], figures: list[Figure],
         ctx: list[dict[str, str]], top: int = 3) -> list[list[tuple[str, float]]]:
    """For each figure, up to `top` candidate indicators (unit fits), best first, with their probability."""
    if not figures:
        return []
    features = _Features(indicators, examples, ctx)
    w = weights(indicators, examples, features)
    w = DEFAULT_WEIGHTS if w is None else w
    x = features(figures, ctx, None)
    fit = x[:, :, FIT] > 0
    score = np.where(fit, x @ w, -np.inf)
    out = []
    for k in range(len(figures)):
        if not fit[k].any():
            out.append([])
            continue
        p = np.exp(score[k] - score[k].max())
        p /= p.sum()
        order = np.argsort(-p, kind="stable")[:top]
        out.append([(features.ids[j], float(p[j])) for j in order if fit[k, j]])
    return out
