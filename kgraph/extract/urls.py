"""Links in abstracts: URLs, their normal form, and code repositories.

Abstracts from arXiv and paper feeds write links in many ways; :func:`find_urls`
recognises those seen in real text:

- ``http://`` and ``https://`` URLs, and scheme-less ones on known hosts:
  ``github.com/owner/...``, ``gitlab.com/...``, ``gitee.com/...``,
  ``bitbucket.org/...``, ``huggingface.co/...``, ``name.github.io`` and ``www.`` hosts;
- TeX residue: ``\\url{URL}``, ``\\href{URL}{text}``, ``URL{here}``, ``\\_`` for ``_``;
- trailing sentence punctuation and unbalanced closing brackets
  (``(see https://x.org/a).``, markdown ``[code](URL)``), which are not part of the URL;
- a URL broken by a space: ``https: //github.com/x/y``, ``https://github. com/x/y``,
  ``https://github.com/ owner/repo``. Pieces are joined only when the piece before is
  clearly incomplete: a bare scheme (``https:``, ``https://``), a host ending in
  ``.`` followed by a top-level domain, a repository host without a path, or a URL
  ending in ``/`` whose path is not yet a repository, followed by a piece shaped like
  a host or a path (not an ordinary word such as "and", "for", "soon").

URL syntax follows RFC 3986 [1]_: the characters allowed in a URL (section 2),
scheme and host are case-insensitive (sections 3.1, 3.2.2, 6.2.2.1), the default port
may be dropped (section 6.2.3), and a fragment (section 3.5) is resolved by the client,
so it does not change which repository a link names. ``$``, brackets, braces, quotes,
``<``, ``>``, ``|`` and backslashes end a URL here, because in abstracts they are TeX
or markup around it.

References
----------
.. [1] T. Berners-Lee, R. Fielding and L. Masinter, "Uniform Resource Identifier
   (URI): Generic Syntax", RFC 3986, 2005. https://www.rfc-editor.org/rfc/rfc3986
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["UrlMatch", "find_urls", "normalise_url", "repository_url", "url_key",
           "REPOSITORY_HOSTS"]

#: Hosts whose ``owner/name`` paths are code (or model and data) repositories.
REPOSITORY_HOSTS = frozenset({"github.com", "gitlab.com", "gitee.com", "bitbucket.org",
                              "huggingface.co"})

# Where a URL starts: a scheme, or a known host without one.
_START = re.compile(
    r"(?i:https?)://"
    r"|(?<![A-Za-z0-9])(?i:https?):"
    r"|(?<![\w@.\-/\\])(?i:"
    r"www\.[\w-]+\.[\w.-]*[A-Za-z]"
    r"|[\w-]+\.github\.io\b"
    r"|(?:github|gitlab|gitee)\.com/(?=[\w.-])"
    r"|bitbucket\.org/(?=[\w.-])"
    r"|huggingface\.co/(?=[\w.-])"
    r")"
)
# A run of URL characters (RFC 3986 unreserved, reserved and "%", letters of any
# script for IRIs), TeX escapes such as "\_", and "$.$" (a dot typeset in TeX math).
_PIECE = re.compile(r"(?:[\w\-.~:/?#@!&'()*+,;=%]|\\[_%&#~]|\$\.\$)+")
# Substrings (lower case) without which a text has no URL: a fast first test.
_HINTS = ("http", "www.", "github", "gitlab", "gitee", "bitbucket", "huggingface")
_GAP = re.compile(r"[ \t]{1,2}")
_TRAILING = ".,;:!?'\"*"
_SCHEME_ONLY = re.compile(r"(?i)https?:/{0,2}$")
_SCHEMED = re.compile(r"(?i)(https?):/*")
_DOUBLE_SCHEME = re.compile(r"(?i)^(?:https?:/*)+(?=https?:)")
_ANY_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")
_HOST_LIKE = re.compile(r"[\w-]+\.")
_TLD = re.compile(r"(?:com|org|net|io|co|ai|edu|gov|cn|de|uk|fr|jp|science|app|dev|info"
                  r"|ac|tech|page|site|xyz|ca|au|kr|ru|eu|nl|ch|es|se|tw|hk|sg|br|ml)"
                  r"(?:/|[.,;:)]*$)")
_NAME = re.compile(r"(?:[\w.\-]|\\[_%&#~])+(?:/(?:[\w.\-]|\\[_%&#~])*)*[.,;:)]*$")
_WS = re.compile(r"\s+")
_TEX_COMMAND = re.compile(r"^(?:\\[A-Za-z]+\*?(?:\{[^{}:/]*\}(?=\{))?\{?)+")
_TEX_ESCAPE = re.compile(r"\\([_%&#~$])")
_CUT = re.compile(r"[{}<>\"|`$\[\]^]")
_PERCENT = re.compile(r"%[0-9a-f]{2}")
_SEGMENT = re.compile(r"^[\w.\-]+$")
_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?$")

# Words that end a URL rather than continue it after a space.
_STOP = frozenset("""
a about above after again all also an and any are as at available based be been before
being below both but by can code could data dataset demo details did do does during each
etc for from further had has have here how if in into is it its may more most no not
now of on once only or other our out over page please project provided publicly refer
released respectively same see should so soon some such than that the their them then
there these they this those through to too under until upon using very via was we were
what when where which while will with would you
""".split())

_RESERVED = {
    "github.com": frozenset("""
        about account apps blog codespaces collections contact customer-stories enterprise
        events explore features gist issues join login logout marketplace new
        notifications orgs organizations pricing pulls readme search security sessions
        settings signup site solutions sponsors team topics trending users resources
        education skills premium-support mobile home""".split()),
    "gitee.com": frozenset("""
        explore organizations enterprises help login signup search about features
        education gvp""".split()),
    "bitbucket.org": frozenset("""
        product account dashboard repo site blog support socialauth workspace""".split()),
    "gitlab.com": frozenset("""
        explore users groups dashboard help search projects snippets admin api
        -""".split()),
    "huggingface.co": frozenset("""
        docs blog papers models collections organizations learn join login settings
        pricing tasks api posts chat new enterprise hub course transformers
        terms-of-service privacy brand support inference-api inference-endpoints welcome
        datasets spaces""".split()),
}
_GITLAB_MARKERS = frozenset("""
    - tree blob raw issues merge_requests wikis wiki commits commit releases tags
    pipelines jobs activity graphs network compare branches milestones labels snippets
    environments packages container_registry boards forks pages""".split())


@dataclass(frozen=True)
class UrlMatch:
    """A URL found in a string.

    Attributes
    ----------
    start, end : int
        Character offsets into the searched string (end exclusive).
    text : str
        The raw span, ``input[start:end]`` (spaces and TeX escapes included).
    url : str
        :func:`normalise_url` of ``text``.
    is_repository : bool
        ``repository_url(url) is not None``.
    """

    start: int
    end: int
    text: str
    url: str
    is_repository: bool


def _split(url: str) -> tuple[str, str, str]:
    """``(scheme, host, rest)`` of a normalised URL."""
    m = _ANY_SCHEME.match(url)
    scheme, tail = (m.group(1), url[m.end():]) if m else ("", url)
    cut = len(tail)
    for ch in "/?#":
        i = tail.find(ch)
        if 0 <= i < cut:
            cut = i
    return scheme, tail[:cut], tail[cut:]


def _segments(rest: str) -> list[str]:
    """Path segments of ``rest`` (query and fragment dropped)."""
    path = re.split(r"[?#]", rest, maxsplit=1)[0]
    return [s for s in path.split("/") if s]


def _strip_trailing(s: str) -> str:
    """Drop trailing punctuation and unbalanced closing brackets."""
    while s:
        ch = s[-1]
        if ch in _TRAILING:
            s = s[:-1]
        elif ch == ")" and s.count("(") < s.count(")"):
            s = s[:-1]
        else:
            break
    return s


def _normalise_once(s: str) -> str:
    s = _WS.sub("", s).replace("$.$", ".")
    s = _TEX_COMMAND.sub("", s)
    s = s.lstrip("{(<[\"'`$")
    cut = _CUT.search(s)
    if cut:
        s = s[:cut.start()]
    s = _TEX_ESCAPE.sub(r"\1", s).replace("\\", "")
    s = _strip_trailing(s)
    s = _DOUBLE_SCHEME.sub("", s)
    m = _SCHEMED.match(s)
    if m:
        scheme, tail = m.group(1).lower(), s[m.end():]
    else:
        m = _ANY_SCHEME.match(s)
        if m:
            scheme, tail = m.group(1).lower(), s[m.end():]
        else:
            scheme, tail = "https", s.lstrip("/")
    cut = len(tail)
    for ch in "/?#":
        i = tail.find(ch)
        if 0 <= i < cut:
            cut = i
    host, rest = tail[:cut].lower().rstrip("."), tail[cut:]
    if (scheme == "https" and host.endswith(":443")) or (scheme == "http" and host.endswith(":80")):
        host = host.rsplit(":", 1)[0]
    if not host or not any(ch.isalnum() for ch in host):
        raise ValueError(f"no host in URL {s!r}")
    if host.startswith("www.") and host[4:] in REPOSITORY_HOSTS:
        host = host[4:]
    if host in REPOSITORY_HOSTS:
        scheme = "https"
        rest = rest.split("#", 1)[0]
        while True:
            before = rest
            rest = _strip_trailing(rest).rstrip("/")
            if rest.endswith(".git"):
                rest = rest[:-4]
            if rest == before:
                break
    rest = _PERCENT.sub(lambda p: p.group(0).upper(), rest)
    rest = _strip_trailing(rest).rstrip("/")
    return f"{scheme}://{host}{rest}"


def normalise_url(raw: str) -> str:
    """The normal form of a URL as written in an abstract.

    The steps: whitespace removed (a URL broken by spaces is joined); TeX wrappers
    (``\\url{``, ``\\href{URL}{text}``, ``{here}``) and escapes (``\\_``) removed;
    trailing punctuation and unbalanced closing brackets removed; ``https://`` added
    when no scheme is given; scheme and host lower-cased and a default port dropped
    (RFC 3986 sections 6.2.2.1 and 6.2.3); percent-escapes upper-cased (section
    6.2.2.1); a trailing ``/`` removed. On repository hosts (:data:`REPOSITORY_HOSTS`)
    also: ``www.`` dropped, the scheme set to ``https``, the fragment
    (``#readme``, ``#L10``) and a ``.git`` suffix removed. The path keeps its case.

    The function is idempotent: ``normalise_url(normalise_url(x)) == normalise_url(x)``.

    Parameters
    ----------
    raw : str
        A URL, possibly with surrounding TeX, spaces or punctuation.

    Returns
    -------
    str
        ``scheme://host/path?query#fragment``.

    Raises
    ------
    ValueError
        When no host is left (e.g. ``""`` or ``"https://"``).

    Examples
    --------
    >>> normalise_url("https://github.com/ibm/tsfm/#notebooks-links")
    'https://github.com/ibm/tsfm'
    >>> normalise_url("https: //GitHub.com/ihaeyong/PFNR.git.")
    'https://github.com/ihaeyong/PFNR'
    >>> normalise_url(r"\\href{https://www.Example.org/a\\_b/}{here}")
    'https://www.example.org/a_b'
    >>> normalise_url("www.github.com/x/y")
    'https://github.com/x/y'
    """
    if not isinstance(raw, str):
        raise TypeError(f"raw must be a str, not {type(raw).__name__}")
    s = raw
    for _ in range(10):
        t = _normalise_once(s)
        if t == s:
            break
        s = t
    return s


def repository_url(url: str) -> str | None:
    """The canonical URL of the code repository a URL points into, if any.

    Recognised: ``github.com/owner/repo``, ``gitee.com/owner/repo``,
    ``bitbucket.org/owner/repo``, ``gitlab.com/group[/subgroup...]/project`` (the path
    ends before ``/-/`` or a page name such as ``tree`` or ``issues``), and on
    ``huggingface.co`` models ``org/name``, datasets ``datasets/[org/]name`` and spaces
    ``spaces/org/name``. Deeper paths (``/tree/main/...``, ``/blob/...``, ``/issues``)
    are dropped. An owner alone (``github.com/owner``), site pages
    (``github.com/topics/...``, ``huggingface.co/docs/...``) and project pages on
    ``github.io`` are not repositories.

    Parameters
    ----------
    url : str
        A URL, raw or normalised (it is normalised first).

    Returns
    -------
    str or None
        ``https://host/owner/repo`` with the case of the path as written, or ``None``.

    Raises
    ------
    ValueError
        When ``url`` has no host (see :func:`normalise_url`).

    Examples
    --------
    >>> repository_url("https://github.com/tensorflow/models/tree/master/official/.")
    'https://github.com/tensorflow/models'
    >>> repository_url("huggingface.co/datasets/vector-institute/sonic-o1")
    'https://huggingface.co/datasets/vector-institute/sonic-o1'
    >>> repository_url("https://gitlab.com/grp/sub/proj/-/blob/main/README.md")
    'https://gitlab.com/grp/sub/proj'
    >>> repository_url("https://github.com/thunil") is None
    True
    >>> repository_url("https://github.com/zs670980918/MSA-Conv./tree")
    'https://github.com/zs670980918/MSA-Conv'
    >>> repository_url("https://qihao067.github.io/projects/DiMR") is None
    True
    """
    _, host, rest = _split(normalise_url(url))
    if host not in REPOSITORY_HOSTS:
        return None
    segs = _segments(rest)
    for i, s in enumerate(segs):
        while s.endswith(".git"):  # "x.git.git": every suffix, so the result is a fixpoint
            s = s[:-4]
        segs[i] = s
    reserved = _RESERVED[host]
    if host == "gitlab.com":
        path: list[str] = []
        for s in segs:
            if s in _GITLAB_MARKERS:
                break
            path.append(s)
        if len(path) < 2 or path[0].lower() in reserved:
            return None
    elif host == "huggingface.co":
        if segs and segs[0] in ("datasets", "spaces"):
            if segs[0] == "datasets" and len(segs) == 2:
                path = segs[:2]
            elif len(segs) >= 3:
                path = segs[:3]
            else:
                return None
        elif len(segs) >= 2 and segs[0].lower() not in reserved:
            path = segs[:2]
        else:
            return None
    else:
        if len(segs) < 2 or segs[0].lower() in reserved:
            return None
        path = segs[:2]
    # "github.com/o/name./more": the name ends a sentence inside the path; a URL's end
    # loses such punctuation in normalise_url, so the name does here.
    path[-1] = _strip_trailing(path[-1])
    if not all(_SEGMENT.match(s) and s.strip(".") for s in path):
        return None
    if not _OWNER.match(path[0] if path[0] not in ("datasets", "spaces") else path[1]):
        return None
    return f"https://{host}/" + "/".join(path)


def url_key(url: str) -> str:
    """Merge key of a URL: the normal form without scheme and ``www.``, lower-cased.

    ``http`` and ``https`` links, ``www.`` and bare hosts, and case variants of one
    URL get the same key.

    Parameters
    ----------
    url : str
        A URL, raw or normalised.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When ``url`` has no host (see :func:`normalise_url`).

    Examples
    --------
    >>> url_key("https://github.com/IBM/CrossViT.")
    'github.com/ibm/crossvit'
    >>> url_key("http://www.Example.org/A/") == url_key("example.org/a")
    True
    """
    n = normalise_url(url)
    _, host, rest = _split(n)
    if host.startswith("www."):
        host = host[4:]
    return (host + rest).lower()


def _incomplete(cur: str, nxt: str) -> bool:
    """Whether the URL piece ``cur`` continues with ``nxt`` after a space."""
    c = _WS.sub("", cur)
    bare = _strip_trailing(nxt).rstrip("/").lower()
    if _SCHEME_ONLY.match(c):
        if not c.endswith("//"):
            return nxt.startswith("/") or (c.endswith(":/") and not nxt.startswith("//")
                                           and _HOST_LIKE.match(nxt) is not None)
        return _HOST_LIKE.match(nxt) is not None and bare not in _STOP
    if _START.match(nxt) or not nxt[0].isalnum() or bare in _STOP:
        return False
    m = _SCHEMED.match(c)
    tail = c[m.end():] if m else c
    slash = tail.find("/")
    host = (tail if slash < 0 else tail[:slash]).lower()
    if c.endswith("-") and c[-2:-1].isalnum():
        # A word broken at a hyphen: "github.com/owner/Name- Rest".
        return _NAME.match(nxt) is not None
    if slash < 0:
        if host.endswith(".") and "." not in host[:-1]:
            # "https://name. github.io/x": one label so far, the host goes on.
            return _HOST_LIKE.match(nxt) is not None or _TLD.match(nxt) is not None
        if host.endswith("."):
            return _TLD.match(nxt) is not None
        if host.removeprefix("www.") in REPOSITORY_HOSTS:
            return nxt.startswith("/") and _NAME.match(nxt[1:]) is not None
        return False
    if not c.endswith("/"):
        return False
    if nxt.endswith(":") or not _NAME.match(nxt):
        return False
    segs = [s for s in tail[slash:].split("/") if s]
    host = host[4:] if host.startswith("www.") else host
    if host in REPOSITORY_HOSTS:
        if host == "huggingface.co" and segs and segs[0] in ("datasets", "spaces"):
            segs = segs[1:]
        if len(segs) < 2:
            return True
    elif not segs:
        # A bare host: the next piece must look like a path, not a word.
        return bool(re.search(r"[/\-_\d]|.\.|.[A-Z]", _strip_trailing(nxt)))
    return "/" in _strip_trailing(nxt).rstrip("/")


def _search_from(text: str, low: str, pos: int) -> int:
    """Where :data:`_START` can first match at or after ``pos``: the start of the
    whitespace-free run holding the first :data:`_HINTS` substring. Every alternative
    of ``_START`` spells a hint with no whitespace before it in the match
    (``name.github.io`` starts before its hint). Scanning with the regex from ``pos``
    instead tries every alternative at every character."""
    if len(low) != len(text):  # lower() changed the length: offsets differ
        return pos
    found = [i for i in (low.find(hint, pos) for hint in _HINTS) if i >= 0]
    if not found:
        return len(text)
    i = min(found)
    while i > pos and not text[i - 1].isspace():
        i -= 1
    return i


def find_urls(text: str) -> list[UrlMatch]:
    """Find the URLs of a string, with offsets, normal forms and repository flags.

    See the module docstring for the forms recognised and when pieces separated by a
    space are joined.

    Parameters
    ----------
    text : str
        Any text, e.g. a title and abstract.

    Returns
    -------
    list of UrlMatch
        In text order, not overlapping; ``text[m.start:m.end] == m.text``. The same
        URL written twice (``\\href{URL}{URL}``) gives two matches.

    Raises
    ------
    TypeError
        When ``text`` is not a string.

    Examples
    --------
    >>> text = "Code: https: //github.com/thunil/TecoGAN. Page: evinpinar.github.io/foundpose."
    >>> for m in find_urls(text):
    ...     print(repr(m.text), m.url, m.is_repository)
    'https: //github.com/thunil/TecoGAN' https://github.com/thunil/TecoGAN True
    'evinpinar.github.io/foundpose' https://evinpinar.github.io/foundpose False
    >>> [m.url for m in find_urls(r"at \\href{https://github.com/x/y}{here}.")]
    ['https://github.com/x/y']

    Notes
    -----
    A text without any of the substrings ``http``, ``www.``, ``github``, ``gitlab``,
    ``gitee``, ``bitbucket`` and ``huggingface`` (in any case) is rejected by
    substring tests alone; otherwise the regular expression that finds where a URL
    starts is tried from the word holding the next such substring. The time is
    linear in ``len(text)``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    found: list[UrlMatch] = []
    low = text.lower()
    if not any(hint in low for hint in _HINTS):
        return found
    pos = 0
    n = len(text)
    while pos < n:
        m = _START.search(text, _search_from(text, low, pos))
        if m is None:
            break
        start = m.start()
        piece = _PIECE.match(text, start)
        end = piece.end() if piece else m.end()
        while True:
            gap = _GAP.match(text, end)
            if gap is None:
                break
            nxt = _PIECE.match(text, gap.end())
            if nxt is None or not _incomplete(text[start:end], nxt.group(0)):
                break
            end = nxt.end()
        raw_end = end
        while end > start:
            ch = text[end - 1]
            if ch in _TRAILING or ch == "\\":
                end -= 1
            elif ch == ")" and text.count("(", start, end) < text.count(")", start, end):
                end -= 1
            else:
                break
        pos = max(raw_end, start + 1)
        raw = text[start:end]
        try:
            url = normalise_url(raw)
        except ValueError:
            continue
        host = _split(url)[1]
        if "." not in host or _SCHEME_ONLY.match(_WS.sub("", raw)):
            continue
        found.append(UrlMatch(start, end, raw, url, repository_url(url) is not None))
    return found
