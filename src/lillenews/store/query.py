"""Search queries: one folding for the index, the queries and the highlights;
the FTS5 MATCH builder of `search --full`; the headline query (words, "phrases",
-exclusions) and its matcher. Pure functions, stdlib only.

Folding is base.text.fold, the one used everywhere (case, accents, ligatures, apostrophes)."""

import re
from collections.abc import Iterator
from typing import NamedTuple

from lillenews.base.errors import UsageError
from lillenews.base.i18n import _
from lillenews.base.text import combining_marks, fold

# A word of the FTS5 unicode61 tokenizer: letters and digits; everything else separates.
_TOKEN = re.compile(r"[^\W_]+")
_SEPARATORS = re.compile(r"[\W_]+")


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold(text)` with, for each folded character, the index of its source character
    (so a match in the folded text is highlighted in the original)."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = ch.lower() if ch < "\x80" else fold(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def words_of(text: str) -> list[str]:
    """The folded words of `text` as the index sees them ("Lille-Sud" -> ["lille", "sud"])."""
    return _TOKEN.findall(fold(text))


class QueryError(UsageError):
    """A query that cannot be searched; the message says how to write it."""


# ---------------------------------------------------------------------- lexing
class Term(NamedTuple):
    """A word or a phrase: its folded words, whether the last is a prefix, excluded (-word)."""

    words: tuple[str, ...]
    prefix: bool
    excluded: bool = False
    phrase: bool = False  # written between double quotes

    def fts(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    @property
    def text(self) -> str:
        return " ".join(self.words)


_LEX = re.compile(r'\s+|"[^"]*"\*?|"[^"]*$|NEAR\(|[()]|,\s*\d+\s*(?=\))|,|[^\s"(),]+')
_OPERATORS = ("AND", "OR", "NOT")


def _lex(query: str) -> list[str]:
    return [t for t in _LEX.findall(query) if not t.isspace()]


def _bare(token: str) -> Term | None:
    """A word as typed: -excluded, prefix*, words joined by - or ' become a phrase."""
    excluded = token.startswith("-") and len(token) > 1
    body = token[1:] if excluded else token
    prefix = True  # every word also finds the words it begins (vélo -> vélos)
    if body.endswith(":") and _TOKEN.search(body):
        raise QueryError(
            _("{word!r}: a ':' after a word is not understood; write the word without it").format(word=token)
        )
    if body.endswith("*"):
        body = body.rstrip("*")
        if not _TOKEN.search(body):
            raise QueryError(_("'*' must end a word, as in vél* (words starting with 'vél')"))
    if "*" in body:
        raise QueryError(_("'*' must end a word, as in vél* (words starting with 'vél')"))
    words = tuple(_TOKEN.findall(fold(body)))
    return Term(words, prefix, excluded) if words else None


def _quoted(token: str) -> Term | None:
    if not token.rstrip("*").endswith('"') or len(token.rstrip("*")) < 2:
        raise QueryError(_('close the quote of {phrase}: write "vélo cargo" for a phrase').format(phrase=token))
    words = tuple(_TOKEN.findall(fold(token.rstrip("*")[1:-1])))
    return Term(words, token.endswith("*"), phrase=True) if words else None


# ---------------------------------------------------------------------- full-text (FTS5)
class FullQuery(NamedTuple):
    """A `search --full` query: the FTS5 MATCH expression and the terms to highlight."""

    match: str
    terms: tuple[Term, ...]
    plain: bool = False  # only words (each a prefix query): no operator, phrase or -word
    excluded: tuple[Term, ...] = ()  # the -words: searched too (for what the query costs)


def parse_full(words: list[str]) -> FullQuery:
    """Parse the words of `search --full`. Plain words must all match and each finds the
    words it begins; a word with - or ' is a phrase (Lille-Sud, l'achat); "a phrase";
    prefix*; -word excludes; AND, OR, NOT, NEAR(a b, 10) and parentheses as in FTS5."""
    tokens = _lex(" ".join(words))
    plain = all(not t.startswith(('"', "-", "(", ")", "NEAR(", ",")) and t not in ("OR", "NOT") for t in tokens)
    out: list[str] = []
    excluded: list[Term] = []
    terms: list[Term] = []
    depth = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _OPERATORS:
            _check_operator(tokens, i, out)
            out.append(tok)
        elif tok == "(":
            depth += 1
            _operand(out, tok)
        elif tok == ")":
            if depth == 0 or not out or out[-1] == "(":
                raise QueryError(_("unbalanced ')': write (vélo OR tram) métropole"))
            depth -= 1
            out.append(tok)
        elif tok == "NEAR(":
            near, i = _near(tokens, i + 1)
            terms.extend(near[1])
            _operand(out, near[0])
        elif tok == ",":
            pass  # punctuation between words
        elif tok.startswith(","):
            raise QueryError(_("a ', 5' distance is only understood inside NEAR(vélo piste, 5)"))
        else:
            term = _quoted(tok) if tok.startswith('"') else _bare(tok)
            if term is not None and term.excluded:
                excluded.append(term)
            elif term is not None:
                terms.append(term)
                _operand(out, term.fts())
        i += 1
    if depth:
        raise QueryError(_("unbalanced '(': close it, as in (vélo OR tram) métropole"))
    if out and out[-1] in _OPERATORS:  # only when a skipped punctuation word ended the query
        raise QueryError(_("{op} needs a word on each side: vélo {op} tram").format(op=out[-1]))
    if not out:
        if excluded:
            raise QueryError(_("say what to find, not only what to leave out: vélo -travaux"))
        raise QueryError(_("give at least one word to search for"))
    match = " ".join(out)
    if excluded:
        match = f"({match})" + "".join(f" NOT {t.fts()}" for t in excluded)
    return FullQuery(match, tuple(terms), plain, tuple(excluded))


def _operand(out: list[str], item: str) -> None:
    """Append a word, phrase, NEAR group or '(' with an explicit AND after another
    operand: FTS5 accepts "a b" but not "(a OR b) c"."""
    if out and out[-1] not in _OPERATORS and out[-1] != "(":
        out.append("AND")
    out.append(item)


def _check_operator(tokens: list[str], i: int, out: list[str]) -> None:
    op = tokens[i]
    before_ok = bool(out) and out[-1] not in _OPERATORS and out[-1] != "("
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    after_ok = nxt is not None and nxt not in _OPERATORS and nxt != ")" and not nxt.startswith("-")
    if not (before_ok and after_ok):
        why = _("{op} needs a word on each side: vélo {op} tram (write it in lower case to search for the word itself)")
        raise QueryError(why.format(op=op))


def _near(tokens: list[str], i: int) -> tuple[tuple[str, list[Term]], int]:
    """NEAR(a b "c d", 10): the group as FTS5 text, its terms, the index of its ')'."""
    terms: list[Term] = []
    distance = ""
    while i < len(tokens) and tokens[i] != ")":
        tok = tokens[i]
        if tok == ",":
            pass
        elif tok.startswith(","):
            distance = ", " + tok.strip(", \t")
        elif tok in _OPERATORS or tok in ("(", "NEAR("):
            raise QueryError(_("NEAR takes words only: NEAR(vélo piste, 5)"))
        else:
            term = _quoted(tok) if tok.startswith('"') else _bare(tok)
            if term is not None and term.excluded:
                raise QueryError(_("NEAR takes words only: NEAR(vélo piste, 5)"))
            if term is not None:
                terms.append(term)
        i += 1
    if i >= len(tokens):
        raise QueryError(_("close NEAR with ')': NEAR(vélo piste, 5)"))
    if len(terms) < 2:
        raise QueryError(_("NEAR needs two words or more: NEAR(vélo piste, 5)"))
    return ("NEAR(" + " ".join(t.fts() for t in terms) + distance + ")", terms), i


# ---------------------------------------------------------------------- headline search
class HeadlineQuery(NamedTuple):
    """Words and "phrases" that must all occur (folded substrings, - and ' as spaces),
    prefix* words that must begin a word, -words that must not occur."""

    include: tuple[str, ...]
    exclude: tuple[str, ...]
    starts: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        return self.matches_folded(spaced(fold(text)))

    def matches_folded(self, hay: str) -> bool:
        """`matches` for a text already folded and spaced (as the index holds it)."""
        return (
            all(w in hay for w in self.include)
            and all(hay.startswith(w) or f" {w}" in hay for w in self.starts)
            and not any(w in hay for w in self.exclude)
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of `text` where any included word occurs (for highlighting)."""
        return self.matcher.spans(text)

    @property
    def matcher(self) -> "Matcher":
        return needle_matcher(self.include, self.starts)


def spaced(folded: str) -> str:
    """Runs of separators (- ' , . spaces…) as one space: "l'achat" == "l achat"."""
    return _SEPARATORS.sub(" ", folded)


def parse_headline(words: list[str]) -> HeadlineQuery:
    """Parse the words of the headline search: every word or "phrase" must occur in the
    title or the summary (vélo also finds vélos and Vélo-cargo); vél* must begin a word;
    -word excludes."""
    include: list[str] = []
    exclude: list[str] = []
    starts: list[str] = []
    for tok in _lex(" ".join(words)):
        if tok in ("OR", "NOT", "NEAR("):
            raise QueryError(
                _("{op!r} works with --full only; here every word must match and -word excludes one").format(
                    op=tok.rstrip("(")
                )
            )
        if tok == "AND":
            continue  # every word must match anyway
        if tok.startswith('"'):
            term = _quoted(tok)
            if term is not None:
                include.append(term.text)
            continue
        excluded = tok.startswith("-") and len(tok) > 1
        text = spaced(fold(tok[1:] if excluded else tok).rstrip("*")).strip()
        if text:
            (exclude if excluded else starts if tok.endswith("*") else include).append(text)
    if not include and not starts:
        if exclude:
            raise QueryError(_("say what to find, not only what to leave out: vélo -travaux"))
        raise QueryError(_("give at least one word to search for"))
    return HeadlineQuery(tuple(include), tuple(exclude), tuple(starts))


class Matcher:
    """Where a query matches a text, folded as the index folds it: `test` is cheap
    (one fold, a literal-led regex per term); `spans` maps the matches back to the
    original text. A term marked `word_start` only counts at the start of a word (checked
    after the search: a leading look-behind would defeat the regex engine's literal scan)."""

    def __init__(self, terms: list[tuple[str, str, bool]]):
        """`terms`: (pattern over folded text, the same over case-folded text, word_start)."""
        self._terms = [(re.compile(pattern), word_start) for pattern, _, word_start in terms if pattern]
        self._loose = [(re.compile(loose), word_start) for pattern, loose, word_start in terms if pattern]

    def _matches(self, folded: str, first: bool = False, loose: bool = False) -> Iterator[re.Match[str]]:
        """Every match (term by term), or with `first` only each term's first."""
        for regex, word_start in self._loose if loose else self._terms:
            for m in regex.finditer(folded):
                if m.end() > m.start() and (not word_start or m.start() == 0 or not folded[m.start() - 1].isalnum()):
                    yield m
                    if first:
                        break

    def test(self, text: str) -> bool:
        return next(self._matches(fold(text)), None) is not None

    def locate(self, text: str) -> int | None:
        """Where in `text` (about: folding may lengthen œ, ß...) the first match starts."""
        lowered = text.casefold()  # cheap: accents are matched by the loose patterns' classes
        if len(lowered) == len(text) and not combining_marks().search(lowered):  # no decomposed accents
            found = min((m.start() for m in self._matches(lowered, first=True, loose=True)), default=None)
            if found is not None:
                return found
        folded = fold(text)  # decomposed accents, compatibility forms...
        found = min((m.start() for m in self._matches(folded, first=True)), default=None)
        if found is None or len(folded) == len(text):
            return found
        return found * len(text) // max(1, len(folded))

    def spans(self, text: str) -> list[tuple[int, int]]:
        if not self._terms:
            return []
        folded, index = fold_with_map(text)
        return _merge([(index[m.start()], index[m.end() - 1] + 1) for m in self._matches(folded)])


def _joined(words: list[str]) -> str:
    return r"[\W_]+".join(re.escape(w) for w in words if w)


# Folded letter -> the lower-case letters that fold to it (French and its neighbours).
_VARIANTS = {"a": "aàâäáãå", "c": "cç", "e": "eéèêë", "i": "iîïíì", "o": "oôöóòõ", "u": "uùûüú", "y": "yÿý", "n": "nñ"}


def _loose(word: str) -> str:
    """A folded word as a pattern over case-folded, unfolded text ("coeur" -> c(?:oe|œ)[uù…]r)."""
    out, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in ("oe", "ae"):
            out.append(f"(?:{pair}|{'œ' if pair == 'oe' else 'æ'})")
            i += 2
            continue
        ch = word[i]
        out.append(f"[{_VARIANTS[ch]}]" if ch in _VARIANTS else "['’‘ʼ]" if ch == "'" else re.escape(ch))
        i += 1
    return "".join(out)


def _loose_joined(words: list[str]) -> str:
    return r"[\W_]+".join(_loose(w) for w in words if w)


def needle_matcher(needles: tuple[str, ...] | list[str], starts: tuple[str, ...] | list[str] = ()) -> Matcher:
    """Folded, spaced needles as substrings (separators match any run of separators);
    `starts` only at the start of a word."""
    terms = [(n.split(" "), False) for n in needles] + [(n.split(" "), True) for n in starts]
    return Matcher([(_joined(words), _loose_joined(words), start) for words, start in terms])


def term_matcher(terms: tuple[Term, ...] | list[Term]) -> Matcher:
    """Full-text terms as the index matches them: whole words, the last one as a prefix
    when the term is one (vélo* -> « Vélos »)."""
    out = []
    for term in terms:
        if not term.excluded and term.words:
            tail = r"[^\W_]*" if term.prefix else r"(?![^\W_])"
            out.append((_joined(list(term.words)) + tail, _loose_joined(list(term.words)) + tail, True))
    return Matcher(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
