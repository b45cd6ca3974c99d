"""Gazetteers: lexicons of known entity names, and the spaCy component matching them.

A gazetteer file is UTF-8 TSV, one entity per line, ``#`` comments and blank lines
ignored (see ``kgraph/data/gazetteer/README.md``)::

    canonical name <TAB> alias|alias|... <TAB> flags

The entity type comes from the file name (``datasets.tsv`` → dataset) or, for user
lexicons, from a ``type`` column: ``name <TAB> type <TAB> aliases`` (TSV with that
header) or JSON Lines objects ``{"name", "type", "aliases"}``.

Matching (:class:`GazetteerMatcher`) uses spaCy's ``PhraseMatcher`` (token sequences,
C speed), on ``LOWER`` for ordinary names and on ``ORTH`` for case-sensitive ones:
acronyms (two or more capitals and no lower-case letter: ``FID``, ``COCO``), short
mixed-case names (``mAP``, ``IoU``) and entries flagged ``case``. Each name is added in
its hyphen/space variants (``super-resolution``, ``super resolution``,
``superresolution``) and its plural (``CNNs``), so text variants that
:func:`kgraph.canonical.canonical_key` folds also match. A mixed-case name
(``MultiPL-E``, ``LargeST``, ``SCOPe``) matches case-insensitively only where the text
also has an inner capital, so the ordinary words its lower case spells ("multiple",
"largest", "scope") are not taken for it, or where it is spelled with only its first
capital ("Librispeech", "Imagenet-C") inside a sentence of the abstract, between words
that are not capitalised (a capital there marks a name), and is a form of the entry but
for case. In the title, where Title Case capitalises
every word, a case-sensitive name that is one plain capitalised word ("Weather",
"Traffic", "Twins") is matched only when the abstract names the entry too. A dataset
name of several capitalised words (``Natural Questions``, ``Hateful Memes``, ``Aerial
Image Dataset``) is a proper name, and so is one capitalised word (``Subjectivity``,
``Raindrop``): written all in lower case ("natural questions that are
information-seeking", "an aerial image dataset", "the subjectivity of annotation") it is
the common phrase, unless a dataset word, "tasks", a split or a short form follows it
("the visual wake words dataset", "the cityscapes validation set", "long-range-arena
(LRA)").
A slash list of versions (``CIFAR-10/100``) names each version (``CIFAR-10`` and
``CIFAR-100``).

Reference: spaCy ``PhraseMatcher``, https://spacy.io/api/phrasematcher
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kgraph.errors import InputError
from kgraph.canonical import canonical_key
from kgraph.extract.tokenizer import doc_text, token_texts
from kgraph.model import EntityType

__all__ = [
    "GazetteerEntry",
    "Gazetteer",
    "GazetteerMatcher",
    "load_gazetteer",
    "builtin_gazetteer",
    "surface_variants",
    "is_case_sensitive",
    "add_spans",
    "CANDIDATES",
]

#: Name of the ``doc.spans`` group every candidate component appends to.
CANDIDATES = "kgraph"


def add_spans(doc: Doc, key: str, spans: list[Span]) -> None:
    """Append ``spans`` to the span group ``doc.spans[key]``, creating it when absent.

    Parameters
    ----------
    doc : Doc
    key : str
        Span group name, e.g. :data:`CANDIDATES`.
    spans : list of Span
        Spans of ``doc``; may be empty (the group is still created).
    """
    group = doc.spans.get(key)
    if group is None:
        doc.spans[key] = spans
    elif spans:
        group.extend(spans)

_FILE_TYPES = {
    "datasets": EntityType.DATASET,
    "metrics": EntityType.METRIC,
    "methods": EntityType.METHOD,
    "tasks": EntityType.TASK,
}
_TYPE_NAMES = {t.value: t for t in (EntityType.DATASET, EntityType.METRIC, EntityType.METHOD,
                                    EntityType.TASK)}
_TYPE_NAMES.update({k.rstrip("s"): v for k, v in _FILE_TYPES.items()})
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
_PIECES = re.compile(r"[\s-]+")


def _is_proper_phrase(form: str) -> bool:
    """Each word of ``form`` (split at spaces and hyphens) opens with a capital or a
    digit, and ``form`` has a lower-case letter: ``Natural Questions``, ``Hateful Memes``,
    ``Subjectivity``, ``In-Shop``, ``Kinetics-400``; not ``COCO``, ``i2b2``,
    ``Needle in a Haystack`` (callers leave mixed case, ``ImageNet``, to its own rule)."""
    return bool(_LOWER.search(form)) and all(
        w[:1].isupper() or w[:1].isdigit() for w in _PIECES.split(form) if w)


def _named_as_dataset(words: list[str], end: int) -> bool:
    """What follows a lower-case match ending at token ``end`` treats it as a dataset's
    name: a dataset word of ``data/words/dataset_cues.txt`` ("the visual wake words
    dataset"), "tasks" ("long-range-arena tasks"), a split ("the cityscapes validation
    set") or a defined short form ("long-range-arena (LRA)")."""
    from kgraph.extract.patterns import word_list  # patterns imports this module
    if end >= len(words):
        return False
    after = words[end].lower()
    return after in word_list("dataset_cues") or after in _SPLITS or (
        after == "(" and end + 2 < len(words) and words[end + 2] == ")"
        and words[end + 1].isupper())


#: Split words after a dataset's name ("the cityscapes validation set"), and "tasks"
#: after a benchmark's.
_SPLITS = frozenset({"validation", "val", "test", "training", "train", "dev", "development",
                     "task", "tasks"})


def _is_mixed_case(form: str) -> bool:
    """A word of ``form`` has a capital after its first letter, and ``form`` has a
    lower-case letter (``ImageNet``, ``SCOPe``, ``MultiPL-E``; not ``Super-Resolution``)."""
    return bool(_LOWER.search(form)) and any(
        _UPPER.search(piece[1:]) for piece in _PIECES.split(form))
_SLASH_LIST = re.compile(r"^(?P<stem>[A-Za-z][\w.-]*?[A-Za-z][-_]?)(?P<first>\d+)(?P<rest>(?:/\d+)+)$")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One known entity.

    Attributes
    ----------
    type : EntityType
    name : str
        Canonical name.
    aliases : tuple of str
        Other names of the same entity.
    case_sensitive : bool
        Entry flagged ``case``: every form matches with its exact case only.
    source : str
        ``"file:line"`` the entry was read from (used by ``--explain``).
    """

    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = False
    source: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        """The name followed by the aliases."""
        return (self.name, *self.aliases)


@dataclass
class Gazetteer:
    """A set of :class:`GazetteerEntry`, indexed by the merge key of every form.

    Attributes
    ----------
    entries : list of GazetteerEntry
    """

    entries: list[GazetteerEntry] = field(default_factory=list)
    _index: dict[tuple[EntityType, str], int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        entries, self.entries = self.entries, []
        self.extend(entries)

    def extend(self, entries: Iterable[GazetteerEntry]) -> None:
        """Add entries; a form already known for the same type keeps its first entry."""
        for entry in entries:
            idx = len(self.entries)
            self.entries.append(entry)
            for form in entry.forms:
                self._index.setdefault((entry.type, canonical_key(form)), idx)

    def lookup(self, text: str, etype: EntityType | None = None) -> GazetteerEntry | None:
        """The entry one of whose forms has the merge key of ``text``.

        Parameters
        ----------
        text : str
        etype : EntityType or None
            Restrict to one type; ``None`` tries dataset, metric, method, task in turn.

        Returns
        -------
        GazetteerEntry or None
        """
        key = canonical_key(text)
        types = [etype] if etype else list(_FILE_TYPES.values())
        for t in types:
            idx = self._index.get((t, key))
            if idx is not None:
                return self.entries[idx]
        return None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries)


def _split_aliases(field_: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in field_.split("|") if a.strip())


def _parse_type(value: str, path: str, line: int) -> EntityType:
    t = _TYPE_NAMES.get(value.strip().lower())
    if t is None:
        raise InputError(path, line, f"unknown entity type {value!r}; expected one of "
                         + ", ".join(sorted({x.value for x in _TYPE_NAMES.values()})))
    return t


def _read_builtin_tsv(text: str, path: str, etype: EntityType) -> Iterator[GazetteerEntry]:
    for ln, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\n\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        name = cols[0].strip()
        if not name or len(cols) > 3:
            raise InputError(path, ln, "expected 'name<TAB>aliases<TAB>flags'")
        aliases = _split_aliases(cols[1]) if len(cols) > 1 else ()
        flags = {f.strip() for f in cols[2].split(",")} if len(cols) > 2 else set()
        yield GazetteerEntry(etype, name, aliases, "case" in flags, f"{path}:{ln}")


def _read_user_tsv(text: str, path: str) -> Iterator[GazetteerEntry]:
    rows = csv.reader(io.StringIO(text), delimiter="\t")
    header: list[str] | None = None
    for ln, cols in enumerate(rows, 1):
        if not cols or not "".join(cols).strip() or cols[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in cols]
            if "name" not in header or "type" not in header:
                raise InputError(path, ln, "a TSV lexicon needs a header with 'name' and "
                                 f"'type' columns (and optionally 'aliases'); found {cols!r}")
            continue
        row = dict(zip(header, cols))
        name = (row.get("name") or "").strip()
        if not name:
            raise InputError(path, ln, "empty name")
        flags = {f.strip() for f in (row.get("flags") or "").split(",")}
        yield GazetteerEntry(_parse_type(row.get("type", ""), path, ln), name,
                             _split_aliases(row.get("aliases") or ""), "case" in flags,
                             f"{path}:{ln}")


def _read_user_jsonl(text: str, path: str) -> Iterator[GazetteerEntry]:
    for ln, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(path, ln, f"not valid JSON: {e.msg}") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("name"), str) or not obj["name"]:
            raise InputError(path, ln, "expected an object with a non-empty 'name'")
        aliases = obj.get("aliases") or []
        if isinstance(aliases, str):
            aliases = _split_aliases(aliases)
        yield GazetteerEntry(_parse_type(str(obj.get("type", "")), path, ln), obj["name"],
                             tuple(str(a) for a in aliases), bool(obj.get("case", False)),
                             f"{path}:{ln}")


def load_gazetteer(path: str | Path) -> list[GazetteerEntry]:
    """Read a user lexicon (TSV with a ``name``/``type``/``aliases`` header, or JSONL).

    Parameters
    ----------
    path : str or Path
        ``.tsv`` / ``.txt`` or ``.jsonl`` / ``.json`` file.

    Returns
    -------
    list of GazetteerEntry

    Raises
    ------
    InputError
        Missing file, undecodable text, a malformed line or an unknown type, with the
        file and line.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(p), None, "no such lexicon file") from None
    except IsADirectoryError:
        raise InputError(str(p), None, "is a directory, not a lexicon file") from None
    except UnicodeDecodeError as e:
        raise InputError(str(p), None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    if p.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        return list(_read_user_jsonl(text, str(p)))
    return list(_read_user_tsv(text, str(p)))


_BUILTIN: Gazetteer | None = None


def builtin_gazetteer() -> Gazetteer:
    """The gazetteers shipped in ``kgraph/data/gazetteer/`` (read once, then cached).

    Returns
    -------
    Gazetteer
    """
    global _BUILTIN
    if _BUILTIN is None:
        folder = resources.files("kgraph") / "data" / "gazetteer"
        entries: list[GazetteerEntry] = []
        for stem, etype in _FILE_TYPES.items():
            res = folder / f"{stem}.tsv"
            if res.is_file():
                entries.extend(_read_builtin_tsv(res.read_text(encoding="utf-8"),
                                                 f"gazetteer/{stem}.tsv", etype))
        _BUILTIN = Gazetteer(entries)
    return _BUILTIN


#: A plain capitalised word: how Title Case writes every word of a title.
_TITLE_CASE_WORD = re.compile(r"^[A-Z][a-z]+$")


def is_case_sensitive(form: str, flagged: bool = False) -> bool:
    """Whether a gazetteer form must match with its exact case.

    True for flagged entries, acronyms (two or more capitals, no lower-case letter) and
    short mixed-case names of at most four characters (``mAP``, ``IoU``), which in
    lower case would collide with ordinary words.

    Examples
    --------
    >>> is_case_sensitive("FID"), is_case_sensitive("mAP"), is_case_sensitive("ImageNet")
    (True, True, False)
    """
    if flagged:
        return True
    uppers = len(_UPPER.findall(form))
    if uppers >= 2 and not _LOWER.search(form):
        return True
    return len(form) <= 4 and uppers >= 1 and not form.istitle()


def surface_variants(form: str) -> set[str]:
    """Hyphen, space, plural and British-spelling variants of a gazetteer form.

    The form without its hyphens is left out when it is all capital letters and one
    part is a single letter: such a string is usually another acronym (``IN-R`` is
    ImageNet-R, ``INR`` an implicit neural representation); write such spellings as
    explicit aliases where they are the entity's.

    Examples
    --------
    >>> sorted(surface_variants("super-resolution"))  # doctest: +NORMALIZE_WHITESPACE
    ['super resolution', 'super resolutions', 'super-resolution', 'super-resolutions',
     'superresolution', 'superresolutions']
    >>> [v for v in sorted(surface_variants("video question answering"))
    ...  if not v.endswith("s")]  # doctest: +NORMALIZE_WHITESPACE
    ['video question answering', 'video question-answering', 'video-question answering',
     'video-question-answering']
    >>> sorted(surface_variants("Shap-E"))
    ['Shap E', 'Shap Es', 'Shap-E', 'Shap-Es', 'ShapE', 'ShapEs']
    >>> sorted(surface_variants("IN-R"))
    ['IN R', 'IN Rs', 'IN-R', 'IN-Rs']
    >>> sorted(surface_variants("normalization"))
    ['normalisation', 'normalisations', 'normalization', 'normalizations']
    """
    base = {form}
    if "-" in form:
        base.add(form.replace("-", " "))
        joined = form.replace("-", "")
        # an acronym glued to a letter spells another acronym: IN-R (ImageNet-R) is
        # not INR (implicit neural representation), RT-X is not RTX
        if not (joined.isupper() and joined.isalpha()
                and any(len(part) == 1 for part in form.split("-"))):
            base.add(joined)
    parts = re.split(r"[ -]", form)
    if len(parts) <= 3 and all(parts):
        # every mix of spaces and hyphens between up to three words:
        # "video-question answering", "question-answering"
        for seps in itertools.product(" -", repeat=len(parts) - 1):
            base.add(parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:])))
    # British spelling: "domain generalisation", "batch normalisation"
    base |= {_BRITISH_IZ.sub("is", v) for v in base}
    out = set(base)
    for v in base:
        if v[-1:].isalpha() and not v.endswith("s"):
            out.add(v + "s")
    return out


#: The "-ize" suffix family ("-ization", "-izer", "-ized", "-izing") after a stem of at
#: least three letters, which British spelling writes with "s" (Oxford spelling keeps
#: "z"; both occur in abstracts). "size" and "prize" are no suffix.
_BRITISH_IZ = re.compile(r"(?<=[a-z]{3})iz(?=(?:ations?|ers?|ed|ing|es?)\b)")


class GazetteerMatcher:
    """spaCy component: find gazetteer names and add them as candidate spans.

    Each match becomes a span in ``doc.spans["kgraph"]`` with ``label_`` the entity
    type value, ``kb_id_`` the canonical name, and ``id_`` ``"gazetteer"``.

    Parameters
    ----------
    nlp : Language
        The pipeline (its tokenizer makes the patterns).
    gazetteer : Gazetteer
        The entries to match.
    """

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._entry_of: dict[int, int] = {}
        self._span_attrs: dict[int, tuple[int, int, int]] = {}  # label, kb_id, span_id
        self._mixed: set[int] = set()
        self._proper: set[int] = set()
        self._add(nlp, range(len(gazetteer.entries)))

    def add_entries(self, nlp: Language, entries: Iterable[GazetteerEntry]) -> None:
        """Extend the gazetteer and the matcher (user lexicons)."""
        start = len(self.gazetteer.entries)
        self.gazetteer.extend(entries)
        self._add(nlp, range(start, len(self.gazetteer.entries)))

    def _add(self, nlp: Language, indices: Iterable[int]) -> None:
        exact: dict[str, list[str]] = {}
        lower: dict[str, list[str]] = {}
        for idx in indices:
            entry = self.gazetteer.entries[idx]
            for form in entry.forms:
                sensitive = is_case_sensitive(form, entry.case_sensitive)
                for v in surface_variants(form):
                    # per variant: "Shap-E" is not mixed case, its variant "ShapE" is
                    mixed = not sensitive and _is_mixed_case(v)
                    proper = not sensitive and not mixed and entry.type is EntityType.DATASET \
                        and _is_proper_phrase(v)
                    label = f"kg_gaz_{idx}_mixed" if mixed else \
                        f"kg_gaz_{idx}_proper" if proper else f"kg_gaz_{idx}"
                    key = nlp.vocab.strings.add(label)
                    self._entry_of[key] = idx
                    if key not in self._span_attrs:
                        strings = nlp.vocab.strings
                        self._span_attrs[key] = (strings.add(entry.type.value),
                                                 strings.add(entry.name),
                                                 strings.add(f"gazetteer:{entry.source}"))
                    if mixed:
                        self._mixed.add(key)
                    if proper:
                        self._proper.add(key)
                    (exact if sensitive else lower).setdefault(label, []).append(v)
        for target, matcher in ((exact, self._exact), (lower, self._lower)):
            for label, forms in target.items():
                matcher.add(label, list(nlp.tokenizer.pipe(sorted(set(forms)))))

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        attrs, mixed, proper = self._span_attrs, self._mixed, self._proper
        text = doc_text(doc)
        exact = self._exact(doc)
        lower = self._lower(doc)
        skip = self._title_case_only(doc, text, exact, lower) if exact else ()
        for matches in (exact, lower):
            for match_id, start, end in matches:
                if skip and (start, end) in skip:
                    continue
                if match_id in mixed:
                    _, starts, ends = token_texts(doc)
                    found = text[starts[start]:ends[end - 1]]
                    if not _is_mixed_case(found) and not (
                            self._capitalised_name(doc, start, end, found, text)
                            and self._spelled(match_id, found)):
                        continue
                elif match_id in proper and not _UPPER.search(
                        text[doc[start].idx:doc[end - 1].idx + len(doc[end - 1])]) \
                        and not _named_as_dataset(token_texts(doc)[0], end):
                    continue  # "natural questions that ...": no "Natural Questions"
                label, kb_id, span_id = attrs[match_id]
                spans.append(Span(doc, start, end, label=label, kb_id=kb_id, span_id=span_id))
        if "/" in text:
            # the tokens holding a "/", in order
            starts = token_texts(doc)[1]
            token_of = [bisect.bisect_right(starts, m.start()) - 1 for m in re.finditer("/", text)]
            for i in dict.fromkeys(token_of):
                spans.extend(self._slash_versions(doc[i]))
        add_spans(doc, CANDIDATES, spans)
        return doc

    @staticmethod
    def _capitalised_name(doc: Doc, start: int, end: int, found: str, text: str) -> bool:
        """A mixed-case name written with only its first capital ("Librispeech",
        "Imagenet") inside a sentence of the abstract, between words that are not
        capitalised: a capital there marks a name, as it does not at a sentence start,
        in a Title Case title or in a Title Case phrase ("Multiple Needles In A
        Haystack", "3D Shape Correspondence"). An all-capitals word is an acronym of
        its own ("MAPLE" is not MaPLe)."""
        title = text.find("\n\n")
        if not found[:1].isupper() or not _LOWER.search(found) \
                or doc[start].is_sent_start or not 0 <= title < doc[start].idx:
            return False
        words = token_texts(doc)[0]
        return not any(0 <= i < len(words) and words[i][:1].isupper()
                       for i in (start - 1, end))

    def _spelled(self, match_id: int, found: str) -> bool:
        """``found`` is a form of the matched entry but for case: not a variant
        without its hyphen ("Shape" is no "Shap-E", "Multiple" no "MultiPL-E")."""
        entry = self.gazetteer.entries[self._entry_of[match_id]]
        return found.lower() in {form.lower() for form in entry.forms}

    def _title_case_only(self, doc: Doc, text: str, exact: list,
                         lower: list) -> set[tuple[int, int]]:
        """Token ranges of case-sensitive matches in the title that are one plain
        capitalised word ("Weather" in "Segmentation in Adverse Weather", "Traffic" in
        "Traffic Sign Classification", "Twins" in "Digital Twins") of an entry the
        abstract does not match: Title Case capitalises every word, so there the case
        of a common word is no evidence of the name.

        ``exact`` and ``lower`` are the ``(match_id, start, end)`` triples of the two
        ``PhraseMatcher`` runs; ``text`` is the doc's text."""
        title = text.find("\n\n")
        if title < 0:
            return set()
        words, starts, _ = token_texts(doc)
        entry_of = self._entry_of
        suspect = [(match_id, start, end) for match_id, start, end in exact
                   if end == start + 1 and starts[start] < title
                   and _TITLE_CASE_WORD.match(words[start])]
        if not suspect:
            return set()
        in_abstract = {entry_of[match_id] for matches in (exact, lower)
                       for match_id, start, _ in matches if starts[start] > title}
        return {(start, end) for match_id, start, end in suspect
                if entry_of[match_id] not in in_abstract}

    def _slash_versions(self, tok) -> list[Span]:
        """Candidates for each version of a slash list such as ``CIFAR-10/100``."""
        m = _SLASH_LIST.match(tok.text)
        if m is None:
            return []
        out = []
        for number in [m["first"], *m["rest"].strip("/").split("/")]:
            entry = self.gazetteer.lookup(m["stem"] + number)
            if entry is not None:
                out.append(Span(tok.doc, tok.i, tok.i + 1, label=entry.type.value,
                                kb_id=entry.name, span_id=f"gazetteer:{entry.source}"))
        return out
