"""Tests of kgraph.graph: building the graph from extractions (build), the weighted
SHARES_ENTITY relation (link) and the questions asked of a graph (analyse).

Extractions are built by hand from kgraph.model objects, so no spaCy pipeline runs;
the analyse tests also use the schema-conformant graphs of ``tests/graphs.py``.
"""

from __future__ import annotations

import math

import pytest

import kgraph
from graphs import add_entity, add_paper, link, new_graph, small_graph
from kgraph.canonical import canonical_key
from kgraph.errors import NotFoundError
from kgraph.graph import (
    Related,
    add_shared_entity_edges,
    build_graph,
    entity_node,
    find_entity,
    find_paper,
    graph_stats,
    idf,
    merge_entities,
    paper_node,
    papers_using,
    related_papers,
)
from kgraph.model import Entity, EntityType, Mention, Paper, PaperExtraction, Result, Source

DATASET, METHOD, METRIC, TASK, REPO, URL = (EntityType.DATASET, EntityType.METHOD,
                                            EntityType.METRIC, EntityType.TASK,
                                            EntityType.REPOSITORY, EntityType.URL)


def ent(etype: EntityType, name: str, aliases: list[str] | None = None, *, key: str | None = None,
        sentence: int = 1, mentions: int | None = None, proposed: bool = False) -> Entity:
    """An entity as the extractor makes it: key from the name, one mention per alias
    (or ``mentions`` mentions of the first alias), all in ``sentence``."""
    aliases = list(aliases or [name])
    surfaces = aliases if mentions is None else [aliases[0]] * mentions
    return Entity(etype, name, canonical_key(name) if key is None else key, aliases,
                  [Mention(s, 0, len(s), sentence, "test") for s in surfaces], proposed)


def paper(pid: str, *entities: Entity, title: str | None = None, **fields) -> PaperExtraction:
    return PaperExtraction(Paper(pid, title or f"Paper {pid}", f"Abstract of {pid}.", **fields),
                           list(entities))


def shares(G) -> dict[tuple[str, str], dict]:
    return {(u, v): d for u, v, k, d in G.edges(keys=True, data=True) if k == "SHARES_ENTITY"}


def nodes_of(G, label: str) -> list[str]:
    return sorted(n for n, d in G.nodes(data=True) if d["label"] == label)


# --- build ------------------------------------------------------------------------------


class TestNodeIds:
    def test_node_ids_are_prefixed_by_paper_or_type(self):
        assert paper_node("2503.11731") == "paper:2503.11731"
        assert entity_node(DATASET, "imagenet1k") == "dataset:imagenet1k"
        assert entity_node(REPO, "github.com/o/r") == "repository:github.com/o/r"


class TestMergeEntities:
    def test_accented_alias_maps_to_the_node_key(self):
        a = paper("a", ent(METRIC, "FID", ["Fréchet Inception Distance", "FID"]))
        b = paper("b", ent(METRIC, "Frechet Inception Distance"))
        keymap = merge_entities([a, b])
        assert keymap[(METRIC, "frechetinceptiondistance")] == "fid"
        assert keymap[(METRIC, "fid")] == "fid"

    def test_most_frequent_canonical_name_gives_the_node_key(self):
        a = paper("a", ent(METHOD, "ViT", ["ViT", "Vision Transformer"]))
        b = paper("b", ent(METHOD, "Vision Transformer"))
        c = paper("c", ent(METHOD, "Vision Transformer"))
        keymap = merge_entities([a, b, c])
        assert keymap[(METHOD, "vit")] == keymap[(METHOD, "visiontransformer")] == "visiontransformer"

    def test_types_are_merged_separately(self):
        keymap = merge_entities([paper("a", ent(DATASET, "COCO")), paper("b", ent(TASK, "COCO"))])
        assert keymap[(DATASET, "coco")] == "coco"
        assert keymap[(TASK, "coco")] == "coco"
        assert len(keymap) == 2


class TestBuildGraph:
    def test_metric_aliases_merge_across_papers_despite_accents(self):
        a = paper("a", ent(METRIC, "FID", ["Fréchet Inception Distance", "FID"]))
        b = paper("b", ent(METRIC, "Frechet Inception Distance"))
        c = paper("c", ent(METRIC, "FID"))
        G = build_graph([a, b, c])
        assert nodes_of(G, "Metric") == ["metric:fid"]
        node = G.nodes["metric:fid"]
        assert node["name"] == "FID"
        assert node["papers"] == 3
        assert node["aliases"] == ["FID", "Frechet Inception Distance", "Fréchet Inception Distance"]
        assert sorted(G.predecessors("metric:fid")) == ["paper:a", "paper:b", "paper:c"]

    def test_dataset_versions_stay_two_nodes(self):
        G = build_graph([paper("a", ent(DATASET, "ImageNet-1K")),
                         paper("b", ent(DATASET, "ImageNet-21K"))])
        assert nodes_of(G, "Dataset") == ["dataset:imagenet1k", "dataset:imagenet21k"]
        assert G.nodes["dataset:imagenet1k"]["papers"] == 1
        assert G.nodes["dataset:imagenet21k"]["papers"] == 1

    def test_case_hyphen_underscore_and_space_variants_are_one_node(self):
        variants = ["ImageNet-1K", "imagenet 1k", "IMAGENET_1K", "ImageNet1k"]
        G = build_graph([paper(f"p{i}", ent(DATASET, v)) for i, v in enumerate(variants)])
        assert nodes_of(G, "Dataset") == ["dataset:imagenet1k"]
        assert G.nodes["dataset:imagenet1k"]["papers"] == 4
        assert G.nodes["dataset:imagenet1k"]["aliases"] == sorted(variants)

    def test_abbreviation_and_plural_join_one_node_transitively(self):
        # b and c share no surface string; a's abbreviation pair connects them.
        a = paper("a", ent(METHOD, "ViT", ["Vision Transformer", "ViT"]))
        b = paper("b", ent(METHOD, "ViT"))
        c = paper("c", ent(METHOD, "vision transformers"))
        G = build_graph([a, b, c])
        assert nodes_of(G, "Method") == ["method:vit"]
        assert G.nodes["method:vit"]["papers"] == 3

    def test_same_name_of_two_types_is_two_nodes(self):
        G = build_graph([paper("a", ent(DATASET, "COCO"), ent(TASK, "COCO"))])
        assert {"dataset:coco", "task:coco"} <= set(G)
        assert G.nodes["dataset:coco"]["label"] == "Dataset"
        assert G.nodes["task:coco"]["label"] == "Task"

    def test_proposed_method_gets_proposes_and_others_uses_method(self):
        a = paper("a", ent(METHOD, "TecoGAN", proposed=True))
        b = paper("b", ent(METHOD, "TecoGAN"))
        G = build_graph([a, b])
        assert set(G["paper:a"]["method:tecogan"]) == {"PROPOSES"}
        assert set(G["paper:b"]["method:tecogan"]) == {"USES_METHOD"}
        assert G.nodes["method:tecogan"]["papers"] == 2

    def test_proposed_dataset_gets_proposes(self):
        G = build_graph([paper("a", ent(DATASET, "VidBench", proposed=True))])
        assert set(G["paper:a"]["dataset:vidbench"]) == {"PROPOSES"}

    @pytest.mark.parametrize("etype, name, node, rel", [
        (DATASET, "CIFAR-10", "dataset:cifar10", "USES_DATASET"),
        (METHOD, "ResNet-50", "method:resnet50", "USES_METHOD"),
        (METRIC, "PSNR", "metric:psnr", "EVALUATES_WITH"),
        (TASK, "video super-resolution", "task:videosuperresolution", "ADDRESSES"),
    ])
    def test_relationship_type_follows_the_entity_type(self, etype, name, node, rel):
        G = build_graph([paper("a", ent(etype, name))], link=False)
        assert [(u, v, k) for u, v, k in G.edges(keys=True)] == [("paper:a", node, rel)]
        assert G.edges["paper:a", node, rel]["type"] == rel
        assert G.nodes[node]["label"] == etype.label

    def test_code_and_links_get_has_code_and_links_to(self):
        G = build_graph([paper(
            "a",
            ent(REPO, "https://github.com/thunil/TecoGAN", key="github.com/thunil/tecogan"),
            ent(URL, "https://ge.in.tum.de/tecogan", key="ge.in.tum.de/tecogan"))])
        types = {k: G.nodes[v]["label"] for _, v, k in G.out_edges("paper:a", keys=True)}
        assert types == {"HAS_CODE": "Repository", "LINKS_TO": "Url"}
        names = {G.nodes[v]["name"] for v in G.successors("paper:a")}
        assert names == {"https://github.com/thunil/TecoGAN", "https://ge.in.tum.de/tecogan"}

    def test_repository_node_id_is_the_normalised_url(self):
        G = build_graph([paper("a", ent(REPO, "https://github.com/thunil/TecoGAN",
                                        key="github.com/thunil/tecogan"))])
        assert nodes_of(G, "Repository") == ["repository:github.com/thunil/tecogan"]
        assert G.nodes["repository:github.com/thunil/tecogan"]["key"] == "github.com/thunil/tecogan"

    def test_distinct_repositories_stay_distinct(self):
        G = build_graph([
            paper("a", ent(REPO, "https://github.com/a/b-c", key="github.com/a/b-c")),
            paper("b", ent(REPO, "https://github.com/a/bc", key="github.com/a/bc")),
        ])
        assert len(nodes_of(G, "Repository")) == 2

    def test_edge_count_and_aliases_are_those_of_the_paper(self):
        a = paper("a", ent(METHOD, "ResNet-50", ["ResNet-50", "ResNet50"], mentions=3, sentence=2))
        b = paper("b", ent(METHOD, "resnet-50"))
        G = build_graph([a, b])
        edge_a = G.edges["paper:a", "method:resnet50", "USES_METHOD"]
        edge_b = G.edges["paper:b", "method:resnet50", "USES_METHOD"]
        assert (edge_a["count"], edge_a["aliases"], edge_a["sentence"]) == (3, ["ResNet-50", "ResNet50"], 2)
        assert (edge_b["count"], edge_b["aliases"], edge_b["sentence"]) == (1, ["resnet-50"], 1)
        assert G.nodes["method:resnet50"]["aliases"] == ["ResNet-50", "ResNet50", "resnet-50"]

    def test_entities_of_one_paper_merged_by_the_graph_share_one_edge(self):
        # Paper a did not know FID and its long form are one metric; paper b did.
        a = paper("a", ent(METRIC, "FID", mentions=2), ent(METRIC, "Fréchet Inception Distance"))
        b = paper("b", ent(METRIC, "FID", ["FID", "Fréchet Inception Distance"]))
        G = build_graph([a, b])
        assert list(G.out_edges("paper:a", keys=True)) == [("paper:a", "metric:fid", "EVALUATES_WITH")]
        edge = G.edges["paper:a", "metric:fid", "EVALUATES_WITH"]
        assert edge["count"] == 3
        assert edge["aliases"] == ["FID", "Fréchet Inception Distance"]
        assert G.nodes["metric:fid"]["papers"] == 2

    def test_merged_edge_sentence_is_that_of_the_first_mention(self):
        a = paper("a", ent(METRIC, "FID", sentence=4),
                  ent(METRIC, "Fréchet Inception Distance", sentence=1))
        b = paper("b", ent(METRIC, "FID", ["FID", "Fréchet Inception Distance"]))
        G = build_graph([a, b])
        assert G.edges["paper:a", "metric:fid", "EVALUATES_WITH"]["sentence"] == 1

    def test_paper_node_carries_every_paper_field(self):
        p = Paper("2503.11731", "Sparse Experts", "We route tokens.",
                  url="https://arxiv.org/abs/2503.11731", authors=["Ada Lovelace", "Alan Turing"],
                  date="2025-03-14", categories=["cs.CL", "cs.LG"],
                  sources=[Source("feed.txt", 11), Source("-", 3)])
        G = build_graph([PaperExtraction(p, [])])
        assert G.nodes["paper:2503.11731"] == {
            "label": "Paper", "name": "Sparse Experts", "id": "2503.11731",
            "title": "Sparse Experts", "abstract": "We route tokens.",
            "url": "https://arxiv.org/abs/2503.11731", "authors": ["Ada Lovelace", "Alan Turing"],
            "date": "2025-03-14", "categories": ["cs.CL", "cs.LG"],
            "sources": ["feed.txt:11", "-:3"],
        }

    def test_entity_node_carries_label_name_key_aliases_papers(self):
        G = build_graph([paper("a", ent(DATASET, "MS COCO", ["MS COCO", "COCO"], key="mscoco"))])
        assert G.nodes["dataset:mscoco"] == {"label": "Dataset", "name": "MS COCO", "key": "mscoco",
                                             "aliases": ["COCO", "MS COCO"], "papers": 1}

    def test_graph_attributes_count_papers(self):
        G = build_graph([paper("a"), paper("b", ent(TASK, "segmentation"))])
        assert G.graph == {"name": "kgraph", "kgraph_version": kgraph.__version__, "papers": 2}
        assert nodes_of(G, "Paper") == ["paper:a", "paper:b"]

    def test_link_false_adds_no_shares_entity_edges(self):
        exs = [paper(p, ent(DATASET, "Cora")) for p in "abc"] + [paper("d")]
        assert shares(build_graph(exs, link=False)) == {}
        assert set(shares(build_graph(exs))) == {("paper:a", "paper:b"), ("paper:a", "paper:c"),
                                                 ("paper:b", "paper:c")}


# --- link -------------------------------------------------------------------------------


def five_papers():
    """U-Net in a and b (df 2), Kvasir in a-d (df 4), accuracy in all five (df 5) and a
    project page in a and b (a Url). Papers are added in reverse id order."""
    unet, kvasir = ent(METHOD, "U-Net"), ent(DATASET, "Kvasir")
    acc = ent(METRIC, "accuracy")
    page = ent(URL, "https://example.org/p", key="example.org/p")
    exs = {"a": [unet, kvasir, acc, page], "b": [unet, kvasir, acc, page], "c": [kvasir, acc],
           "d": [kvasir, acc], "e": [acc]}
    return build_graph([paper(p, *exs[p]) for p in "edcba"])


class TestReports:
    def test_one_edge_per_result_on_a_known_dataset_named_as_the_nodes(self):
        a = paper("a", ent(DATASET, "COCO"), ent(METRIC, "FID"), ent(METHOD, "TecoGAN"))
        b = paper("b", ent(DATASET, "MS-COCO", ["MS-COCO", "COCO"]),
                  ent(METRIC, "Frechet Inception Distance", ["Frechet Inception Distance",
                                                             "FID"]))
        b.results = [
            Result(2.7, "", "absolute", "Frechet Inception Distance", "MS-COCO", None,
                   "2.70", 40, 44, 1, "metric_before"),
            Result(3.1, "", "absolute", "Frechet Inception Distance", "MS-COCO", None,
                   "3.10", 60, 64, 1, "metric_before"),
            Result(4.0, "x", "improvement", None, None, None, "4x", 80, 82, 2, "no_metric"),
        ]
        a.results = [Result(89.7, "%", "absolute", None, "COCO", "TecoGAN", "89.7%", 10, 15,
                            1, "no_metric")]
        c = paper("c", ent(TASK, "video prediction"))
        G = build_graph([a, b, c])
        reports = sorted((u, k, d["value"], d["metric"], d["metric_key"], d["method"])
                         for u, v, k, d in G.edges(keys=True, data=True)
                         if d["type"] == "REPORTS")
        assert reports == [
            ("paper:a", "REPORTS:10", 89.7, None, None, "TecoGAN"),
            ("paper:b", "REPORTS:40", 2.7, "FID", "fid", None),
            ("paper:b", "REPORTS:60", 3.1, "FID", "fid", None),
        ]
        data = G.edges["paper:b", "dataset:coco", "REPORTS:40"]
        assert (data["text"], data["span_start"], data["span_end"], data["sentence"],
                data["unit"], data["kind"]) == ("2.70", 40, 44, 1, "", "absolute")
        # REPORTS repeat a link: paper counts and SHARES_ENTITY edges do not change
        assert G.nodes["dataset:coco"]["papers"] == 2
        a.results, b.results = [], []
        assert shares(G) == shares(build_graph([a, b, c]))
        assert shares(G)[("paper:a", "paper:b")]["shared"] == ["dataset:coco", "metric:fid"]


class TestIdf:
    def test_is_log_n_over_df_and_never_negative(self):
        assert idf(316, 3) == pytest.approx(math.log(316 / 3))
        assert idf(10, 10) == 0.0
        assert idf(10, 20) == 0.0

    @pytest.mark.parametrize("n, df", [(0, 1), (5, 0)])
    def test_below_one_raises(self, n, df):
        with pytest.raises(ValueError):
            idf(n, df)


class TestAddSharedEntityEdges:
    def test_weight_is_the_idf_sum_of_the_shared_entities(self):
        edges = shares(five_papers())
        both = math.log(5 / 2) + math.log(5 / 4)
        assert edges[("paper:a", "paper:b")]["weight"] == pytest.approx(both, abs=1e-6)
        for pair in [("paper:a", "paper:c"), ("paper:a", "paper:d"), ("paper:b", "paper:c"),
                     ("paper:b", "paper:d"), ("paper:c", "paper:d")]:
            assert edges[pair]["weight"] == pytest.approx(math.log(5 / 4), abs=1e-6)
            assert edges[pair]["shared"] == ["dataset:kvasir"]

    def test_entity_in_every_paper_and_urls_make_no_edge(self):
        edges = shares(five_papers())
        assert len(edges) == 6
        assert not any("paper:e" in pair for pair in edges)
        assert all("url:" not in e and "metric:" not in e for d in edges.values() for e in d["shared"])

    def test_edges_go_from_the_smaller_paper_id_to_the_larger(self):
        G = five_papers()
        assert all(u < v for u, v in shares(G))
        assert G.has_edge("paper:a", "paper:b", "SHARES_ENTITY")
        assert not G.has_edge("paper:b", "paper:a", "SHARES_ENTITY")

    def test_shared_lists_highest_idf_first(self):
        # alphabetical order would put dataset:kvasir first; its idf is lower
        edge = shares(five_papers())[("paper:a", "paper:b")]
        assert edge["shared"] == ["method:unet", "dataset:kvasir"]
        assert edge["type"] == "SHARES_ENTITY"

    def test_ties_in_idf_are_ordered_by_node_id(self):
        G = build_graph([paper(p, ent(TASK, "segmentation"), ent(DATASET, "ADE20K")) for p in "ab"]
                        + [paper("c")])
        assert shares(G)[("paper:a", "paper:b")]["shared"] == ["dataset:ade20k", "task:segmentation"]

    def test_rare_entity_outweighs_two_common_ones(self):
        # p shares one rare dataset with q, two methods most papers use with r
        common = [ent(METHOD, "Transformer"), ent(METHOD, "BERT")]
        exs = [paper("p", ent(DATASET, "Kvasir"), *common), paper("q", ent(DATASET, "Kvasir")),
               paper("r", *common), paper("s", *common), paper("t", *common), paper("u")]
        edges = shares(build_graph(exs))
        assert edges[("paper:p", "paper:q")]["weight"] == pytest.approx(math.log(6 / 2), abs=1e-6)
        assert edges[("paper:p", "paper:r")]["weight"] == pytest.approx(2 * math.log(6 / 4), abs=1e-6)
        assert edges[("paper:p", "paper:q")]["weight"] > edges[("paper:p", "paper:r")]["weight"]

    def test_max_df_leaves_out_entities_of_more_papers(self):
        G = five_papers()
        assert add_shared_entity_edges(G, max_df=3) == 1
        assert shares(G) == {("paper:a", "paper:b"): {
            "type": "SHARES_ENTITY", "weight": round(math.log(5 / 2), 6), "shared": ["method:unet"]}}

    def test_rerun_replaces_the_edges(self):
        G = five_papers()
        before = shares(G)
        assert add_shared_entity_edges(G) == 6
        assert add_shared_entity_edges(G) == 6
        keys = [(u, v) for u, v, k in G.edges(keys=True) if k == "SHARES_ENTITY"]
        assert len(keys) == len(set(keys)) == 6
        assert shares(G) == before

    def test_rerun_removes_edges_that_no_longer_hold(self):
        G = five_papers()
        G.remove_edge("paper:b", "method:unet", "USES_METHOD")
        add_shared_entity_edges(G)
        assert shares(G)[("paper:a", "paper:b")]["shared"] == ["dataset:kvasir"]


# --- analyse ----------------------------------------------------------------------------

P1, P2, P3 = "paper:2401.00001", "paper:2402.00002", "paper:t0123456789ab"


class TestFindEntity:
    @pytest.mark.parametrize("name", ["ImageNet-1k", "imagenet 1K", "IMAGENET_1k", "ImageNet"])
    def test_name_and_alias_variants_find_the_node(self, name):
        assert find_entity(small_graph(), name) == "dataset:imagenet 1k"

    def test_alias_of_a_method_with_a_plural(self):
        G = small_graph()
        assert find_entity(G, "Vision Transformers", "method") == "method:vit"
        assert find_entity(G, "residual nets", METHOD) == "method:resnet 50"

    def test_type_restricts_the_search(self):
        with pytest.raises(NotFoundError, match="no method named 'ImageNet-1k'"):
            find_entity(small_graph(), "ImageNet-1k", "method")

    def test_paper_titles_are_not_entities(self):
        with pytest.raises(NotFoundError):
            find_entity(small_graph(), "Deep Residual Learning for Image Recognition")

    def test_unknown_name_suggests_near_names(self):
        with pytest.raises(NotFoundError) as info:
            find_entity(small_graph(), "ImagNet-1k", "dataset")
        assert info.value.suggestions[0] == "ImageNet-1k"
        assert "no dataset named 'ImagNet-1k'; did you mean: 'ImageNet-1k'" in str(info.value)

    def test_suggestions_are_limited(self):
        with pytest.raises(NotFoundError) as info:
            find_entity(small_graph(), "classification", n_suggestions=1)
        assert len(info.value.suggestions) == 1
        assert info.value.suggestions[0] in {"image classification", "node classification"}

    def test_nothing_near_gives_no_suggestion(self):
        with pytest.raises(NotFoundError) as info:
            find_entity(small_graph(), "zqxwvy")
        assert info.value.suggestions == []
        assert "did you mean" not in str(info.value)


class TestPapersUsing:
    def test_alias_aware_and_only_papers(self):
        G = small_graph()
        assert papers_using(G, "ImageNet", "dataset") == [P1, P2]
        assert papers_using(G, "residual nets") == [P1, P2]
        assert papers_using(G, "Cora") == [P3]

    def test_unknown_entity_raises(self):
        with pytest.raises(NotFoundError):
            papers_using(small_graph(), "Kinetics-400", "dataset")

    def test_sorted_by_paper_id(self):
        G = small_graph()
        p0 = add_paper(G, "0000.00000", "An Undated Paper")
        link(G, p0, "dataset:imagenet 1k")
        assert papers_using(G, "ImageNet-1k") == [p0, P1, P2]


class TestFindPaper:
    @pytest.mark.parametrize("query", [
        "2401.00001", P1, "Deep Residual Learning for Image Recognition",
        "deep residual learning for image recognition!", "DEEP RESIDUAL-LEARNING",
    ])
    def test_by_id_node_id_title_and_unique_substring(self, query):
        assert find_paper(small_graph(), query) == P1

    def test_title_substring_folds_case_and_punctuation(self):
        assert find_paper(small_graph(), "citation graphs") == P3

    def test_ambiguous_substring_suggests_every_match(self):
        with pytest.raises(NotFoundError) as info:
            find_paper(small_graph(), "image")
        assert sorted(info.value.suggestions) == [
            "An Image is Worth 16x16 Words: Transformers at Scale",
            "Deep Residual Learning for Image Recognition"]

    def test_unknown_title_suggests_nearest(self):
        with pytest.raises(NotFoundError, match="no paper with id or title") as info:
            find_paper(small_graph(), "Deep Residual Lerning for Image Recogntion")
        assert info.value.suggestions[0] == "Deep Residual Learning for Image Recognition"

    def test_entity_node_id_is_not_a_paper(self):
        with pytest.raises(NotFoundError):
            find_paper(small_graph(), "dataset:cora")


class TestRelatedPapers:
    def test_score_and_reasons_on_the_small_graph(self):
        G = small_graph()
        w = math.log(3 / 2)
        assert related_papers(G, P1) == [Related(P2, round(4 * w, 6), (
            ("dataset:imagenet 1k", w), ("method:resnet 50", w), ("metric:top 1 accuracy", w),
            ("task:image classification", w)))]
        assert related_papers(G, "2402.00002")[0].paper == P1
        assert related_papers(G, P3) == []

    def test_rare_shared_entity_ranks_first_then_ties_by_id(self):
        G = new_graph()
        papers = {p: add_paper(G, p, f"Paper {p}") for p in "pqrstu"}
        rare = add_entity(G, "Dataset", "kvasir", "Kvasir")
        m1, m2 = add_entity(G, "Method", "bert", "BERT"), add_entity(G, "Method", "gpt", "GPT")
        link(G, papers["p"], rare)
        link(G, papers["q"], rare)
        for p in "prstu":
            link(G, papers[p], m1)
            link(G, papers[p], m2)
        ranked = related_papers(G, "p")
        assert [r.paper for r in ranked] == ["paper:q", "paper:r", "paper:s", "paper:t", "paper:u"]
        assert ranked[0].score == pytest.approx(math.log(3))
        assert ranked[0].shared == (("dataset:kvasir", pytest.approx(math.log(3))),)
        assert ranked[1].score == pytest.approx(2 * math.log(6 / 5))
        assert [e for e, _ in ranked[1].shared] == ["method:bert", "method:gpt"]
        assert [r.paper for r in related_papers(G, "p", top=2)] == ["paper:q", "paper:r"]

    def test_urls_and_entities_of_every_paper_do_not_relate(self):
        G = new_graph()
        a, b = add_paper(G, "a", "A"), add_paper(G, "b", "B")
        page = add_entity(G, "Url", "example.org/x", "https://example.org/x")
        everywhere = add_entity(G, "Metric", "accuracy", "accuracy")
        for p in (a, b):
            link(G, p, page)
            link(G, p, everywhere)
        assert related_papers(G, a) == []

    def test_labels_restrict_the_reasons(self):
        ranked = related_papers(small_graph(), P1, labels=frozenset({"Dataset"}))
        assert [(r.paper, [e for e, _ in r.shared]) for r in ranked] == [(P2, ["dataset:imagenet 1k"])]

    def test_unknown_paper_raises(self):
        with pytest.raises(NotFoundError):
            related_papers(small_graph(), "no such paper at all")


class TestGraphStats:
    def test_counts_of_the_small_graph(self):
        s = graph_stats(small_graph())
        assert s["nodes"] == 18
        assert s["relationships"] == 20
        assert s["labels"] == {"Dataset": 3, "Method": 4, "Metric": 2, "Paper": 3,
                               "Repository": 1, "Task": 2, "Url": 3}
        assert s["relationship_types"] == {
            "ADDRESSES": 3, "EVALUATES_WITH": 3, "HAS_CODE": 1, "LINKS_TO": 3, "PROPOSES": 2,
            "SHARES_ENTITY": 1, "USES_DATASET": 4, "USES_METHOD": 3}
        assert s["papers_with_code"] == 1
        assert s["papers_without_entities"] == 0
        assert s["top"]["Dataset"] == [("ImageNet-1k", 2), ("CIFAR-10", 1), ("Cora", 1)]
        assert s["top"]["Method"][0] == ("ResNet-50", 2)

    def test_reports_edges_are_counted_by_type(self):
        G = small_graph()
        for start in (100, 140):
            G.add_edge("paper:2401.00001", "dataset:imagenet 1k", key=f"REPORTS:{start}",
                       type="REPORTS", value=76.1, unit="%", kind="absolute",
                       span_start=start, span_end=start + 5)
        s = graph_stats(G)
        assert s["relationships"] == 22
        assert s["relationship_types"]["REPORTS"] == 2
        assert not any(k.startswith("REPORTS:") for k in s["relationship_types"])

    def test_paper_without_entities_and_top_limit(self):
        G = small_graph()
        add_paper(G, "2405.00005", "A Paper That Names Nothing")
        s = graph_stats(G, top=1)
        assert s["papers_without_entities"] == 1
        assert s["labels"]["Paper"] == 4
        assert all(len(items) == 1 for items in s["top"].values())
        assert s["top"]["Dataset"] == [("ImageNet-1k", 2)]

    def test_labels_without_nodes_are_left_out_of_top(self):
        G = build_graph([paper("a", ent(DATASET, "Cora"))])
        s = graph_stats(G)
        assert s["top"] == {"Dataset": [("Cora", 1)]}
        assert s["papers_with_code"] == 0
