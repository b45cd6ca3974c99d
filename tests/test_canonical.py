"""Canonicalisation across papers (``kgraph.canonical`` and the graph builder's merge).

Papers that write one dataset in different ways must land on one Dataset node;
versions must stay apart. The end-to-end cases run the real extractor (spaCy pipeline
and gazetteers) on one short paper per spelling and build the real graph; the rules
are also checked on the canonical functions directly.
"""

from __future__ import annotations

import pytest

from kgraph.canonical import canonical_key, choose_name, strip_plural, versions_differ
from kgraph.extract import Extractor
from kgraph.graph import build_graph
from kgraph.graph.build import merge_entities
from kgraph.model import Entity, EntityType, Paper, PaperExtraction

DATASET = EntityType.DATASET


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def dataset_nodes(extractor: Extractor, spellings: list[str]) -> dict[str, dict]:
    """Build a graph from one paper per spelling; return its Dataset nodes by id."""
    papers = [Paper(f"p{i}", f"Paper {i}", f"We evaluate our model on {s} and report accuracy.")
              for i, s in enumerate(spellings)]
    extractions = list(extractor.extract_many(papers))
    for ex, s in zip(extractions, spellings):
        assert any(e.type is DATASET for e in ex.entities), f"{s!r} was not extracted"
    G = build_graph(extractions)
    return {n: d for n, d in G.nodes(data=True) if d["label"] == "Dataset"}


class TestAcrossPapers:
    @pytest.mark.parametrize("spellings, node, name", [
        (["ImageNet-1k", "ImageNet-1K", "IN-1K"], "dataset:imagenet1k", "ImageNet-1K"),
        (["Kinetics400", "Kinetics-400", "K400"], "dataset:kinetics400", "Kinetics-400"),
        (["MS COCO", "COCO", "MSCOCO"], "dataset:coco", "COCO"),
    ])
    def test_spellings_of_one_dataset_are_one_node(self, extractor, spellings, node, name):
        nodes = dataset_nodes(extractor, spellings)
        assert list(nodes) == [node]
        assert nodes[node]["name"] == name
        assert nodes[node]["papers"] == len(spellings)
        assert set(spellings) <= set(nodes[node]["aliases"])

    @pytest.mark.parametrize("spellings, expected", [
        (["ImageNet-1K", "ImageNet-21K"], ["dataset:imagenet1k", "dataset:imagenet21k"]),
        (["CIFAR-10", "CIFAR-100"], ["dataset:cifar10", "dataset:cifar100"]),
        (["Kinetics-400", "Kinetics-600"], ["dataset:kinetics400", "dataset:kinetics600"]),
        (["WSJ0-2mix", "WSJ0-3mix"], ["dataset:wsj02mix", "dataset:wsj03mix"]),
        (["WHAM!", "WHAMR!"], ["dataset:wham", "dataset:whamr"]),
        (["Libri2Mix", "Libri3Mix"], ["dataset:libri2mix", "dataset:libri3mix"]),
        (["EPIC-Kitchens-55", "EPIC-Kitchens-100"],
         ["dataset:epickitchens100", "dataset:epickitchens55"]),
    ])
    def test_versions_are_two_nodes(self, extractor, spellings, expected):
        assert sorted(dataset_nodes(extractor, spellings)) == expected

    def test_slash_list_does_not_merge_the_versions_it_names(self, extractor):
        # one paper names both versions at once; the others name one each
        nodes = dataset_nodes(extractor, ["CIFAR-10/100", "CIFAR-10", "CIFAR-100"])
        assert sorted(nodes) == ["dataset:cifar10", "dataset:cifar100"]
        assert nodes["dataset:cifar10"]["papers"] == 2
        assert nodes["dataset:cifar100"]["papers"] == 2
        assert "CIFAR-100" not in nodes["dataset:cifar10"]["aliases"]
        assert "CIFAR-10" not in nodes["dataset:cifar100"]["aliases"]

    def test_seed_build_keeps_versions_apart(self, seed_build):
        G = seed_build.graph
        datasets = {d["key"]: d for _, d in G.nodes(data=True) if d["label"] == "Dataset"}
        for key in ("cifar10", "cifar100", "kinetics400", "kinetics600", "imagenet1k"):
            assert key in datasets, key
        assert "CIFAR-100" not in datasets["cifar10"]["aliases"]
        assert "K600" not in datasets["kinetics400"]["aliases"]
        assert {"ImageNet-1k", "ImageNet-1K"} <= set(datasets["imagenet1k"]["aliases"])


class TestMergeRules:
    def ex(self, pid: str, *entities: Entity) -> PaperExtraction:
        return PaperExtraction(Paper(pid, pid, ""), list(entities))

    def test_an_alias_shared_by_two_entities_of_one_paper_merges_nothing(self):
        a = self.ex("a", Entity(DATASET, "CIFAR-10", "cifar10", ["CIFAR-10/100"]),
                    Entity(DATASET, "CIFAR-100", "cifar100", ["CIFAR-10/100"]))
        keymap = merge_entities([a])
        assert keymap[(DATASET, "cifar10")] == "cifar10"
        assert keymap[(DATASET, "cifar100")] == "cifar100"
        assert (DATASET, "cifar10100") not in keymap

    def test_versions_never_merge_through_an_alias(self):
        # a wrong alias in one paper must not join two versions named elsewhere
        a = self.ex("a", Entity(DATASET, "Kinetics-400", "kinetics400", ["K400", "K600"]))
        b = self.ex("b", Entity(DATASET, "Kinetics-600", "kinetics600", ["K600"]))
        keymap = merge_entities([a, b])
        assert keymap[(DATASET, "kinetics400")] == "kinetics400"
        assert keymap[(DATASET, "kinetics600")] == "kinetics600"

    def test_aliases_without_digits_still_merge(self):
        a = self.ex("a", Entity(DATASET, "COCO", "coco", ["MS COCO", "COCO"]))
        b = self.ex("b", Entity(DATASET, "MS COCO", "mscoco", ["MS COCO"]))
        assert merge_entities([a, b])[(DATASET, "mscoco")] == "coco"


class TestCanonicalFunctions:
    @pytest.mark.parametrize("a, b", [
        ("ImageNet-1k", "ImageNet-1K"), ("ImageNet 1K", "imagenet1k"),
        ("Kinetics400", "Kinetics-400"), ("MS-COCO", "MS COCO"), ("CNNs", "CNN"),
        ("Fréchet Inception Distance", "Frechet Inception Distance"), ("β-VAE", "beta-VAE"),
    ])
    def test_same_key(self, a, b):
        assert canonical_key(a) == canonical_key(b) != ""

    @pytest.mark.parametrize("a, b", [
        ("ImageNet-1K", "ImageNet-21K"), ("CIFAR-10", "CIFAR-100"), ("PointNet++", "PointNet"),
        ("OPT-1.3B", "OPT-13B"), ("Kinetics-400", "Kinetics-600"), ("3DGS", "3DG"),
    ])
    def test_different_keys(self, a, b):
        assert canonical_key(a) != canonical_key(b)

    def test_aliases_are_not_equal_keys_but_one_gazetteer_entry(self):
        # IN-1K and ImageNet-1K differ as strings; the gazetteer makes them one entity
        from kgraph.extract.gazetteer import builtin_gazetteer

        gaz = builtin_gazetteer()
        assert canonical_key("IN-1K") != canonical_key("ImageNet-1K")
        assert gaz.lookup("IN-1K", DATASET).name == gaz.lookup("ImageNet-1K", DATASET).name
        assert gaz.lookup("K400", DATASET).name == "Kinetics-400"
        assert gaz.lookup("MS COCO", DATASET).name == "COCO"
        assert gaz.lookup("WSJ0-3mix", DATASET).name == "WSJ0-3mix"

    @pytest.mark.parametrize("a, b, expected", [
        ("cifar10", "cifar100", True), ("imagenet1k", "imagenet21k", True),
        ("wsj02mix", "wsj03mix", True), ("imagenet1k", "imagenet", False),
        ("coco", "mscoco", False), ("gpt4", "gpt4o", False), ("cifar10", "cifar10", False),
    ])
    def test_versions_differ(self, a, b, expected):
        assert versions_differ(a, b) is expected

    def test_plural_and_name_choice(self):
        assert strip_plural("Transformers") == "Transformer"
        assert strip_plural("3DGS") == "3DGS"
        assert choose_name(["ImageNet-1k"], gazetteer_name="ImageNet-1K") == "ImageNet-1K"
        assert choose_name(["convolutional neural networks", "CNNs"], short_forms=["CNNs"]) == "CNN"
