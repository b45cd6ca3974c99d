"""Tests of :mod:`kgraph.extract.urls`: normal form, repositories, finding links in text."""

from __future__ import annotations

import re
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.urls import (
    REPOSITORY_HOSTS,
    UrlMatch,
    find_urls,
    normalise_url,
    repository_url,
    url_key,
)

SEEDS = Path(os.environ.get("KGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "seeds"


def seed_paragraphs() -> list[str]:
    files = sorted(SEEDS.glob("*.txt"))
    assert files, f"no seed pages in {SEEDS}"
    return [p for f in files for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.url) for m in find_urls(text)]


NORMALISE = [
    # scheme added when missing
    ("github.com/x/y", "https://github.com/x/y"),
    ("www.example.org/a", "https://www.example.org/a"),
    ("//example.org/a", "https://example.org/a"),
    # scheme and host lower-cased, path case kept
    ("HTTPS://GitHub.COM/IBM/CrossViT", "https://github.com/IBM/CrossViT"),
    ("http://Example.ORG/A/B", "http://example.org/A/B"),
    # http kept for other hosts, https for repository hosts
    ("http://github.com/SCAN-NRAD/e3nn_U-Net", "https://github.com/SCAN-NRAD/e3nn_U-Net"),
    # www. dropped on repository hosts only
    ("https://www.github.com/x/y", "https://github.com/x/y"),
    ("https://www.huggingface.co/org/model", "https://huggingface.co/org/model"),
    ("https://www.pinlab.org/hmu", "https://www.pinlab.org/hmu"),
    # trailing punctuation
    ("https://github.com/thunil/TecoGAN.", "https://github.com/thunil/TecoGAN"),
    ("https://github.com/x/y,", "https://github.com/x/y"),
    ("https://github.com/x/y;", "https://github.com/x/y"),
    ("https://github.com/x/y:", "https://github.com/x/y"),
    ("https://github.com/x/y).", "https://github.com/x/y"),
    ("https://github.com/x/y'\"", "https://github.com/x/y"),
    # unbalanced closing brackets removed, balanced ones kept
    ("(https://example.org/a)", "https://example.org/a"),
    ("https://en.wikipedia.org/wiki/Bert_(model)", "https://en.wikipedia.org/wiki/Bert_(model)"),
    ("https://en.wikipedia.org/wiki/Bert_(model))", "https://en.wikipedia.org/wiki/Bert_(model)"),
    ("[https://github.com/x/y]", "https://github.com/x/y"),
    # trailing slash
    ("https://github.com/cambridge-mlg/RECOMBINER/.", "https://github.com/cambridge-mlg/RECOMBINER"),
    ("https://talc-mst2v.github.io/", "https://talc-mst2v.github.io"),
    ("https://example.org/a/?q=1", "https://example.org/a/?q=1"),
    # .git on repositories
    ("https://github.com/ihaeyong/PFNR.git.", "https://github.com/ihaeyong/PFNR"),
    ("https://github.com/TamashaM/NAPA-VQ.git/", "https://github.com/TamashaM/NAPA-VQ"),
    ("https://example.org/repo.git", "https://example.org/repo.git"),
    # fragments on repositories
    ("https://github.com/ibm/tsfm/#notebooks-links", "https://github.com/ibm/tsfm"),
    ("https://github.com/x/y#readme", "https://github.com/x/y"),
    ("https://github.com/x/y/blob/main/a.py#L10", "https://github.com/x/y/blob/main/a.py"),
    ("https://www.dd-challenge.com/#/", "https://www.dd-challenge.com/#"),
    # spaces inside
    ("https: //github.com/Graph-COM/NAT", "https://github.com/Graph-COM/NAT"),
    ("https: // github. com/ yahya-ben/ mplug2-vp", "https://github.com/yahya-ben/mplug2-vp"),
    # TeX residue
    (r"\url{https://github.com/lwCVer/RRSHID}", "https://github.com/lwCVer/RRSHID"),
    (r"\href{https://github.com/x/y}{https://github.com/x/y}", "https://github.com/x/y"),
    (r"\href{https://github.com/x/y}{here}.", "https://github.com/x/y"),
    (r"\textcolor{red}{https://github.com/yiyscut/VIO-IPNet.git}.", "https://github.com/yiyscut/VIO-IPNet"),
    ("https://github.com/XintianShen/GKNet{here}.", "https://github.com/XintianShen/GKNet"),
    (r"https://huggingface.co/Jgmorenof/mistral\_merged\_0\_4.", "https://huggingface.co/Jgmorenof/mistral_merged_0_4"),
    (r"https://example.org/a\#b", "https://example.org/a#b"),
    ("https://github$.$com/VanLinLin/DenseSR", "https://github.com/VanLinLin/DenseSR"),
    ("$https://github.com/x/y$", "https://github.com/x/y"),
    # doubled scheme
    ("http://http://geometrylearning.com/Sketch3DVE/", "http://geometrylearning.com/Sketch3DVE"),
    # default port, percent escapes
    ("https://example.org:443/a", "https://example.org/a"),
    ("http://example.org:80/a", "http://example.org/a"),
    ("http://example.org:8080/a", "http://example.org:8080/a"),
    ("https://example.org/a%2fb", "https://example.org/a%2Fb"),
]


class TestNormalise:
    @pytest.mark.parametrize(("raw", "expected"), NORMALISE)
    def test_cases(self, raw, expected):
        assert normalise_url(raw) == expected

    @pytest.mark.parametrize(("raw", "expected"), NORMALISE)
    def test_idempotent_on_cases(self, raw, expected):
        assert normalise_url(expected) == expected

    @pytest.mark.parametrize("raw", ["", "   ", "https://", "https://.", "()", "\\url{}"])
    def test_no_host(self, raw):
        with pytest.raises(ValueError):
            normalise_url(raw)

    def test_type_error(self):
        with pytest.raises(TypeError):
            normalise_url(None)  # type: ignore[arg-type]

    def test_idempotent_on_seed_urls(self):
        raws = [m.text for p in seed_paragraphs() for m in find_urls(p)]
        assert len(raws) > 100
        for raw in raws:
            once = normalise_url(raw)
            assert normalise_url(once) == once, raw

    @settings(max_examples=2000, deadline=None)
    @given(st.lists(st.sampled_from([
        "https://", "http://", "https: //", "HTTPS://", "github.com", "GitHub.com", "www.",
        "gitlab.com", "huggingface.co", "/", "//", ".", ".git", "#readme", "#", "?q=1", "a",
        "B", "x-y", "_", "\\_", "{", "}", "\\url{", "\\href{", "(", ")", "[", "]", " ", ",",
        ";", ":", "'", '"', "%2f", "%", ":443", "~", "$.$", "$", "é", "-", "tree/main",
        "datasets/", "..", "<", ">", "*", "!", "?",
    ]), max_size=14).map("".join) | st.text(max_size=40))
    def test_idempotent_property(self, raw):
        try:
            once = normalise_url(raw)
        except ValueError:
            return
        assert normalise_url(once) == once
        assert url_key(once) == url_key(raw)
        repo = repository_url(once)
        if repo is not None:
            assert normalise_url(repo) == repo
            assert repository_url(repo) == repo


REPOSITORIES = [
    ("https://github.com/thunil/TecoGAN", "https://github.com/thunil/TecoGAN"),
    ("github.com/x/y.git", "https://github.com/x/y"),
    ("https://github.com/tensorflow/models/tree/master/official/.", "https://github.com/tensorflow/models"),
    ("https://github.com/ekinakyurek/google-research/blob/master/incontext", "https://github.com/ekinakyurek/google-research"),
    ("https://github.com/x/y/issues/12", "https://github.com/x/y"),
    ("https://github.com/x/y/releases", "https://github.com/x/y"),
    ("https://github.com/google-deepmind/neptune?tab=readme-ov-file", "https://github.com/google-deepmind/neptune"),
    ("https://www.github.com/x/y#readme", "https://github.com/x/y"),
    ("https://gitlab.com/group/project", "https://gitlab.com/group/project"),
    ("https://gitlab.com/group/sub/project/-/tree/main/src", "https://gitlab.com/group/sub/project"),
    ("https://gitlab.com/a/b/c/d", "https://gitlab.com/a/b/c/d"),
    ("https://gitlab.com/group/project/tree/master", "https://gitlab.com/group/project"),
    ("https://gitee.com/mindspore/models/tree/master/research/cv/TNT.", "https://gitee.com/mindspore/models"),
    ("https://bitbucket.org/owner/repo/src/master/", "https://bitbucket.org/owner/repo"),
    ("https://huggingface.co/inclusionAI/Ling-Coder-lite", "https://huggingface.co/inclusionAI/Ling-Coder-lite"),
    ("https://huggingface.co/org/model/tree/main", "https://huggingface.co/org/model"),
    ("https://huggingface.co/org/model/blob/main/config.json", "https://huggingface.co/org/model"),
    ("https://huggingface.co/datasets/vector-institute/sonic-o1", "https://huggingface.co/datasets/vector-institute/sonic-o1"),
    ("https://huggingface.co/datasets/a-m-team/AM-DeepSeek-R1-Distilled-1.4M/viewer", "https://huggingface.co/datasets/a-m-team/AM-DeepSeek-R1-Distilled-1.4M"),
    ("https://huggingface.co/datasets/squad", "https://huggingface.co/datasets/squad"),
    ("https://huggingface.co/spaces/org/demo", "https://huggingface.co/spaces/org/demo"),
]

NOT_REPOSITORIES = [
    "https://github.com/thunil",
    "https://github.com/yongxianLiu/",
    "https://github.com",
    "https://github.com/topics/deep-learning",
    "https://github.com/orgs/openai/repositories",
    "https://github.com/features/copilot",
    "https://qihao067.github.io/projects/DiMR",
    "https://evinpinar.github.io/foundpose",
    "https://gitlab.com/group",
    "https://gitlab.com/explore/projects",
    "https://gitee.com/mindspore",
    "https://bitbucket.org/owner",
    "https://huggingface.co/docs/transformers/main/en/model_doc/patchtsmixer",
    "https://huggingface.co/papers/2401.00001",
    "https://huggingface.co/collections/nvidia/cosmos3",
    "https://huggingface.co/inceptionai",
    "https://huggingface.co/spaces/RWKV-Red-Team",
    "https://huggingface.co/datasets",
    "https://ge.in.tum.de/publications/2019-tecogan-chu/",
    "https://youtu.be/gCuUyGETbTU",
    "https://example.org/github.com/x/y",
    "https://gist.github.com/x/abc123",
]


class TestRepositoryUrl:
    @pytest.mark.parametrize(("url", "expected"), REPOSITORIES)
    def test_repositories(self, url, expected):
        assert repository_url(url) == expected

    @pytest.mark.parametrize("url", NOT_REPOSITORIES)
    def test_not_repositories(self, url):
        assert repository_url(url) is None

    def test_hosts(self):
        assert REPOSITORY_HOSTS == {"github.com", "gitlab.com", "gitee.com", "bitbucket.org",
                                    "huggingface.co"}


class TestUrlKey:
    def test_scheme_case_www_and_punctuation_merge(self):
        keys = {url_key(u) for u in ["https://github.com/IBM/CrossViT.", "http://www.github.com/ibm/crossvit/",
                                     "github.com/IBM/CrossViT.git", "https: //github.com/IBM/CrossViT#readme"]}
        assert keys == {"github.com/ibm/crossvit"}

    def test_different_urls_differ(self):
        assert url_key("https://github.com/x/y") != url_key("https://github.com/x/z")
        assert url_key("https://example.org/a?x=1") != url_key("https://example.org/a")

    def test_no_scheme(self):
        assert url_key("https://www.Example.org/A") == "example.org/a"


class TestFindUrls:
    @pytest.mark.parametrize(("text", "expected"), [
        ("Code: https://github.com/thunil/TecoGAN. The project",
         [("https://github.com/thunil/TecoGAN", "https://github.com/thunil/TecoGAN")]),
        ("Code: github.com/x/y, and more",
         [("github.com/x/y", "https://github.com/x/y")]),
        ("see www.example.org/page; or",
         [("www.example.org/page", "https://www.example.org/page")]),
        ("Project page: evinpinar.github.io/foundpose.",
         [("evinpinar.github.io/foundpose", "https://evinpinar.github.io/foundpose")]),
        ("at https://github.com/ihaeyong/PFNR.git.",
         [("https://github.com/ihaeyong/PFNR.git", "https://github.com/ihaeyong/PFNR")]),
        ("(code: https://github.com/x/y).",
         [("https://github.com/x/y", "https://github.com/x/y")]),
        ("[code](https://github.com/x/y)",
         [("https://github.com/x/y", "https://github.com/x/y")]),
        ("<https://example.org/a>",
         [("https://example.org/a", "https://example.org/a")]),
        ("see https://en.wikipedia.org/wiki/Bert_(model).",
         [("https://en.wikipedia.org/wiki/Bert_(model)", "https://en.wikipedia.org/wiki/Bert_(model)")]),
        (r"at \url{https://github.com/lwCVer/RRSHID}.",
         [("https://github.com/lwCVer/RRSHID", "https://github.com/lwCVer/RRSHID")]),
        (r"at \href{https://github.com/a/b}{github.com/a/b}.",
         [("https://github.com/a/b", "https://github.com/a/b"), ("github.com/a/b", "https://github.com/a/b")]),
        (r"at https://github.com/hutaiHang/Faster-Diffusion{FasterDiffusion}.",
         [("https://github.com/hutaiHang/Faster-Diffusion", "https://github.com/hutaiHang/Faster-Diffusion")]),
        (r"at https://huggingface.co/Jgmorenof/mistral\_merged\_0\_4.",
         [(r"https://huggingface.co/Jgmorenof/mistral\_merged\_0\_4", "https://huggingface.co/Jgmorenof/mistral_merged_0_4")]),
        ("code athttps://github.com/x/y.",
         [("https://github.com/x/y", "https://github.com/x/y")]),
        ("Code: https://github$.$com/VanLinLin/DenseSR",
         [("https://github$.$com/VanLinLin/DenseSR", "https://github.com/VanLinLin/DenseSR")]),
        ("mail me at someone@github.com/x or http://", []),
        ("no links here: github, www, https", []),
    ])
    def test_cases(self, text, expected):
        assert found(text) == expected

    @pytest.mark.parametrize(("text", "span", "url"), [
        ("link: https: //github.com/Graph-COM/Neighborhood-Aware-Temporal-Network.",
         "https: //github.com/Graph-COM/Neighborhood-Aware-Temporal-Network",
         "https://github.com/Graph-COM/Neighborhood-Aware-Temporal-Network"),
        ("at https:// github.com/DeepLearnXMU/Faithful-RAG and",
         "https:// github.com/DeepLearnXMU/Faithful-RAG", "https://github.com/DeepLearnXMU/Faithful-RAG"),
        ("at https://github. com/Euphoria16/DocMark.",
         "https://github. com/Euphoria16/DocMark", "https://github.com/Euphoria16/DocMark"),
        ("at https://github.com/ elakhatibi/CDF-RAG.",
         "https://github.com/ elakhatibi/CDF-RAG", "https://github.com/elakhatibi/CDF-RAG"),
        ("at https://github.com/bbvisual/ MoBind.",
         "https://github.com/bbvisual/ MoBind", "https://github.com/bbvisual/MoBind"),
        ("at https: // github. com/ yahya-ben/ mplug2-vp .",
         "https: // github. com/ yahya-ben/ mplug2-vp", "https://github.com/yahya-ben/mplug2-vp"),
        ("at https://cvit.iiit.ac.in/ research/projects/drivesafe now",
         "https://cvit.iiit.ac.in/ research/projects/drivesafe", "https://cvit.iiit.ac.in/research/projects/drivesafe"),
        ("at https://yingjiahao14. github.io/Dual-Eval now",
         "https://yingjiahao14. github.io/Dual-Eval", "https://yingjiahao14.github.io/Dual-Eval"),
        ("at https://www.idiap. ch/paper/edgedoc/ now",
         "https://www.idiap. ch/paper/edgedoc/", "https://www.idiap.ch/paper/edgedoc"),
        ("at https://github.com/Naeem- Paeedeh/MIFOMO for",
         "https://github.com/Naeem- Paeedeh/MIFOMO", "https://github.com/Naeem-Paeedeh/MIFOMO"),
    ])
    def test_joined_across_a_space(self, text, span, url):
        (m,) = find_urls(text)
        assert (m.text, m.url) == (span, url)
        assert text[m.start:m.end] == span

    @pytest.mark.parametrize(("text", "span"), [
        ("at https://github.com/vnik18/llm-price-quantile-reg/ to support", "https://github.com/vnik18/llm-price-quantile-reg/"),
        ("at https://github.com/yongxianLiu/ soon.", "https://github.com/yongxianLiu/"),
        ("See https://vlp-humanoid.github.io/ for video", "https://vlp-humanoid.github.io/"),
        ("at https://realm-e7682.web.app/ presents the data", "https://realm-e7682.web.app/"),
        ("Project page: https://objfiller3d.github.io/ Code: x", "https://objfiller3d.github.io/"),
        ("released at https://example.com. The code", "https://example.com"),
        ("at https://github.com/thunil/TecoGAN. The project", "https://github.com/thunil/TecoGAN"),
        ("at https://github.com/roboflow/rf100-vl/ and more", "https://github.com/roboflow/rf100-vl/"),
        ("at https://github.com/ --.", "https://github.com/"),
        ("on github.com under the MIT license", None),
    ])
    def test_not_joined(self, text, span):
        spans = [m.text for m in find_urls(text)]
        assert spans == ([span] if span else [])

    def test_two_urls_of_one_href(self):
        text = "http://tianrun-chen.github.io/xLSTM-UNet/{http://tianrun-chen.github.io/xLSTM-Unet/}"
        assert [m.url for m in find_urls(text)] == ["http://tianrun-chen.github.io/xLSTM-UNet",
                                                     "http://tianrun-chen.github.io/xLSTM-Unet"]

    def test_match_fields(self):
        text = "Code: https://github.com/tensorflow/models/tree/master/official/."
        (m,) = find_urls(text)
        assert m == UrlMatch(6, 64, "https://github.com/tensorflow/models/tree/master/official/",
                             "https://github.com/tensorflow/models/tree/master/official", True)
        assert text[m.start:m.end] == m.text

    def test_repository_flag(self):
        text = ("Code https://github.com/x/y, page https://x.github.io/y, owner "
                "https://github.com/x, model https://huggingface.co/org/m.")
        assert [m.is_repository for m in find_urls(text)] == [True, False, False, True]

    def test_type_error(self):
        with pytest.raises(TypeError):
            find_urls(b"https://github.com/x/y")  # type: ignore[arg-type]


class TestSeeds:
    def test_offsets_slice_the_input(self):
        total = 0
        for paragraph in seed_paragraphs():
            previous_end = 0
            for m in find_urls(paragraph):
                assert paragraph[m.start:m.end] == m.text
                assert m.start >= previous_end
                assert normalise_url(m.text) == m.url
                assert m.is_repository == (repository_url(m.url) is not None)
                previous_end = m.end
                total += 1
        assert total > 100

    def test_every_scheme_in_the_seeds_is_covered(self):
        for paragraph in seed_paragraphs():
            spans = [(m.start, m.end) for m in find_urls(paragraph)]
            for hit in re.finditer(r"https?:", paragraph):
                assert any(s <= hit.start() < e for s, e in spans), paragraph[hit.start():hit.start() + 60]

    def test_real_urls(self):
        urls = {m.url for p in seed_paragraphs() for m in find_urls(p)}
        assert {
            "https://github.com/Graph-COM/Neighborhood-Aware-Temporal-Network",
            "https://evinpinar.github.io/foundpose",
            "https://github.com/hutaiHang/Faster-Diffusion",
            "https://github.com/XintianShen/GKNet",
            "https://github.com/ihaeyong/PFNR",
            "https://github.com/ibm/tsfm",
            "https://gitee.com/mindspore/models/tree/master/research/cv/TNT",
            "http://tianrun-chen.github.io/xLSTM-UNet",
            "https://huggingface.co/docs/transformers/main/en/model_doc/patchtsmixer",
        } <= urls
        repos = {repository_url(u) for u in urls} - {None}
        assert {"https://gitee.com/mindspore/models", "https://github.com/tensorflow/models",
                "https://github.com/thunil/TecoGAN"} <= repos
        assert not any(u.endswith((".", ",", ")", "/", ".git", "}")) for u in urls)
