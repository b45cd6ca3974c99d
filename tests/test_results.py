"""Numeric results (``kgraph.extract.results``): the number finder on small texts with
hand-placed entity mentions, then the real extractor on real sentences.

Each rule of the module has positive cases (what must be found, with its unit, kind,
metric, dataset and method) and negative cases (numbers that are not results).
"""

from __future__ import annotations

import pytest

from kgraph.extract import Extractor
from kgraph.extract.results import find_results, split_sentences
from kgraph.model import Entity, EntityType, Mention, Paper, PaperExtraction, Result

M, D, X = EntityType.METRIC, EntityType.DATASET, EntityType.METHOD


def paper_with(abstract: str, *entities: tuple[EntityType, str] | tuple[EntityType, str, bool],
               title: str = "A paper") -> tuple[Paper, list[Entity]]:
    """A paper and entities whose mentions are every occurrence of the given names."""
    paper = Paper("p1", title, abstract)
    text = paper.text
    sentences = split_sentences(text)
    out = []
    for spec in entities:
        etype, name = spec[0], spec[1]
        proposed = bool(spec[2]) if len(spec) > 2 else False
        mentions = []
        pos = text.find(name)
        while pos >= 0:
            sent = next(i for i, (s, e) in enumerate(sentences) if s <= pos < e)
            mentions.append(Mention(name, pos, pos + len(name), sent, "test"))
            pos = text.find(name, pos + 1)
        assert mentions, f"{name!r} is not in the text"
        out.append(Entity(etype, name, name.lower(), [name], mentions, proposed))
    return paper, out


def results(abstract: str, *entities, title: str = "A paper") -> list[Result]:
    paper, ents = paper_with(abstract, *entities, title=title)
    found = find_results(paper, ents)
    for r in found:
        assert paper.text[r.start:r.end] == r.text
    return found


def rows(found: list[Result]) -> list[tuple]:
    return [(r.value, r.unit, r.kind, r.metric, r.dataset, r.method) for r in found]


class TestNumbers:
    def test_percentage_with_metric_after_dataset_and_proposed_method(self):
        found = results("We propose DiST. DiST reaches 89.7% top-1 accuracy on Kinetics-400.",
                        (X, "DiST", True), (M, "top-1 accuracy"), (D, "Kinetics-400"))
        assert rows(found) == [(89.7, "%", "absolute", "top-1 accuracy", "Kinetics-400", "DiST")]
        assert found[0].text == "89.7%" and found[0].rule == "metric_after"
        assert found[0].sentence == 2  # title 0, "We propose DiST." 1

    @pytest.mark.parametrize("text, value, unit", [
        ("It scores 27.3 dB PSNR on Set5.", 27.3, "dB"),
        ("It scores 27.3dB PSNR on Set5.", 27.3, "dB"),
        ("It reaches an accuracy of 89.7\\% on Set5.", 89.7, "%"),
        ("It reaches an accuracy of 89.7 percent on Set5.", 89.7, "%"),
        ("It reaches an accuracy of 1,234.5 on Set5.", 1234.5, ""),
        ("It reaches an accuracy of 0.912 on Set5.", 0.912, ""),
    ])
    def test_units_and_plain_decimals(self, text, value, unit):
        metric = "PSNR" if "PSNR" in text else "accuracy"
        [r] = results(text, (M, metric), (D, "Set5"))
        assert (r.value, r.unit, r.metric, r.dataset) == (value, unit, metric, "Set5")

    def test_metric_before_with_of_colon_and_by(self):
        found = results("Ours gets an FID of 2.70, a mIoU: 77.4 and reduces FLOPs by 44%.",
                        (M, "FID"), (M, "mIoU"), (M, "FLOPs"))
        assert [(r.value, r.metric, r.rule, r.kind) for r in found] == [
            (2.7, "FID", "metric_before", "absolute"),
            (77.4, "mIoU", "metric_before", "absolute"),
            (44.0, "FLOPs", "metric_before", "improvement")]

    def test_unit_that_is_the_metric(self):
        [r] = results("DDRNet runs at 102 FPS on Cityscapes.", (M, "FPS"), (D, "Cityscapes"))
        assert (r.value, r.unit, r.metric, r.rule, r.dataset) == (
            102.0, "FPS", "FPS", "metric_unit", "Cityscapes")

    @pytest.mark.parametrize("text, expected", [
        ("Ours improves mAP by 2.1% on COCO.", (2.1, "%", "improvement")),
        ("Ours gives +2.1 mAP on COCO.", (2.1, "", "improvement")),
        ("Ours gives a 2.1 points better mAP on COCO.", (2.1, "points", "improvement")),
        ("Ours gives 4.5% higher mAP on COCO.", (4.5, "%", "improvement")),
        ("Ours gives an improvement of 2.1% in mAP on COCO.", (2.1, "%", "improvement")),
        ("Ours loses only −0.4 mAP on COCO.", (-0.4, "", "improvement")),
        ("Ours gives 45.1% mAP on COCO.", (45.1, "%", "absolute")),
    ])
    def test_kind_absolute_or_improvement(self, text, expected):
        [r] = results(text, (M, "mAP"), (D, "COCO"))
        assert (r.value, r.unit, r.kind) == expected
        assert (r.metric, r.dataset) == ("mAP", "COCO")

    @pytest.mark.parametrize("text", [
        "Ours is 3.2x faster than ViT.",
        "Ours is 3.2× faster than ViT.",
        "Ours gives a 3.2X speed-up over ViT.",
        "Ours raises the inference speed by 3.2x over ViT.",
    ])
    def test_multipliers_need_a_speed_word_or_a_metric(self, text):
        [r] = results(text)
        assert (r.value, r.unit, r.kind, r.metric) == (3.2, "x", "improvement", None)

    def test_multiplier_with_a_metric(self):
        [r] = results("Ours has 3.8x lower latency on GPU.", (M, "latency"))
        assert (r.value, r.unit, r.kind, r.metric, r.rule) == (
            3.8, "x", "improvement", "latency", "metric_after")

    def test_list_shares_its_metric_and_aligns_with_methods_and_datasets(self):
        found = results("DaViT-T, DaViT-S and DaViT-B achieve 82.8%, 84.2%, and 84.6% top-1 "
                        "accuracy on ImageNet-1K.", (X, "DaViT-T"), (X, "DaViT-S"),
                        (X, "DaViT-B"), (M, "top-1 accuracy"), (D, "ImageNet-1K"))
        assert [(r.value, r.metric, r.method, r.dataset) for r in found] == [
            (82.8, "top-1 accuracy", "DaViT-T", "ImageNet-1K"),
            (84.2, "top-1 accuracy", "DaViT-S", "ImageNet-1K"),
            (84.6, "top-1 accuracy", "DaViT-B", "ImageNet-1K")]

    def test_respectively_aligns_datasets(self):
        found = results("Ours achieves 94.1% and 69.0% on UCF101 and HMDB51, respectively.",
                        (D, "UCF101"), (D, "HMDB51"))
        assert [(r.value, r.dataset, r.metric, r.rule) for r in found] == [
            (94.1, "UCF101", None, "no_metric"), (69.0, "HMDB51", None, "no_metric")]

    def test_respectively_aligns_metrics_after_the_list(self):
        found = results("It improves by up to 4.80x and 3.44x for latency and model size "
                        "respectively.", (M, "latency"), (M, "model size"))
        assert [(r.value, r.metric) for r in found] == [(4.8, "latency"), (3.44, "model size")]

    def test_respectively_aligns_a_sentence_of_results(self):
        found = results("Ours beats MAE by +0.3% accuracy, +1.7 mIoU and +0.9 AP on "
                        "ImageNet-1K, ADE20K and COCO respectively.",
                        (M, "accuracy"), (M, "mIoU"), (M, "AP"), (D, "ImageNet-1K"),
                        (D, "ADE20K"), (D, "COCO"))
        assert [(r.value, r.metric, r.dataset) for r in found] == [
            (0.3, "accuracy", "ImageNet-1K"), (1.7, "mIoU", "ADE20K"), (0.9, "AP", "COCO")]

    def test_dataset_after_on_wins_over_a_nearer_one_before(self):
        found = results("Ours yields 77.4% mIoU at 102 FPS on Cityscapes and 74.7% mIoU at "
                        "230 FPS on CamVid.", (M, "mIoU"), (M, "FPS"), (D, "Cityscapes"),
                        (D, "CamVid"))
        assert [(r.value, r.metric, r.dataset) for r in found] == [
            (77.4, "mIoU", "Cityscapes"), (102.0, "FPS", "Cityscapes"),
            (74.7, "mIoU", "CamVid"), (230.0, "FPS", "CamVid")]

    def test_fronted_dataset_of_the_sentence(self):
        [r] = results("On Kinetics-600, a classifier on CVRL features reaches 70.4% top-1 "
                      "accuracy, outperforming ImageNet pre-training.", (D, "Kinetics-600"),
                      (D, "ImageNet"), (M, "top-1 accuracy"), (X, "CVRL"))
        assert (r.dataset, r.method) == ("Kinetics-600", "CVRL")

    def test_unknown_name_after_on_leaves_the_dataset_unknown(self):
        # "V1" is no dataset entity: a score with neither metric nor dataset is dropped
        abstract = "Ours reaches 68.7% on V1 and 90.0% on K400."
        start = len("A paper\n\n") + abstract.index("90.0%")
        assert results(abstract, (D, "K400")) == [
            Result(90.0, "%", "absolute", None, "K400", None, "90.0%", start, start + 5, 1,
                   "no_metric")]

    def test_coordinated_result_continues_the_measurement_before_it(self):
        found = results("Ours gets 84.3% mIoU on Cityscapes and 54.3% on ADE20K, and an FID "
                        "of 1.70 on FFHQ and 2.89 on LSUN.", (M, "mIoU"), (M, "FID"),
                        (D, "Cityscapes"), (D, "ADE20K"), (D, "FFHQ"), (D, "LSUN"))
        assert [(r.value, r.metric, r.dataset, r.rule) for r in found] == [
            (84.3, "mIoU", "Cityscapes", "metric_after"),
            (54.3, "mIoU", "ADE20K", "metric_inherited"),
            (1.7, "FID", "FFHQ", "metric_before"),
            (2.89, "FID", "LSUN", "metric_inherited")]

    def test_coordination_stops_at_a_measure_of_its_own(self):
        found = results("It gains 4% in accuracy and 10% in forgetting on COCO.",
                        (M, "accuracy"), (D, "COCO"))
        assert [r.text for r in found] == ["4%"]

    def test_dataset_named_before_the_number_in_its_clause(self):
        [r] = results("It is strong on Habitat and competitive on ObjectNav with a success "
                      "rate of 64.0%.", (D, "Habitat"), (M, "success rate"))
        assert (r.value, r.metric, r.dataset) == (64.0, "success rate", None)
        [r] = results("It is competitive on ObjectNav, and on Habitat it has a success rate "
                      "of 64.0%.", (D, "Habitat"), (M, "success rate"))
        assert r.dataset == "Habitat"

    @pytest.mark.parametrize("text", [
        "We test on LVU, COIN and Breakfast, gaining up to 9.6% accuracy.",
        "It gains 1% accuracy on both LVU and COIN.",
        "It reaches >90% accuracy on the visual wake words dataset, unlike LVU.",
    ])
    def test_a_dataset_in_a_list_or_an_unknown_named_one_is_not_guessed(self, text):
        [r] = results(text, *[(D, d) for d in ("LVU", "COIN", "Breakfast") if d in text],
                      (M, "accuracy"))
        assert (r.metric, r.dataset) == ("accuracy", None)

    def test_cost_metrics_get_a_dataset_only_from_on(self):
        found = results("Evaluated on COCO, our detector has 46% less latency and 25% "
                        "fewer parameters, and runs at 102 FPS on COCO.",
                        (D, "COCO"), (M, "latency"), (M, "parameters"), (M, "FPS"))
        assert [(r.value, r.metric, r.dataset) for r in found] == [
            (46.0, "latency", None), (25.0, "parameters", None), (102.0, "FPS", "COCO")]

    def test_on_this_benchmark_points_back(self):
        [r] = results("It exceeds 87% accuracy on this benchmark, ImageNet-1K.",
                      (M, "accuracy"), (D, "ImageNet-1K"))
        assert r.dataset == "ImageNet-1K"

    def test_pretraining_dataset_is_not_the_evaluation_dataset(self):
        found = results("Pre-trained on ImageNet-22k, our model obtains a top-1 accuracy of "
                        "87.7%. It also transfers to COCO.", (D, "ImageNet-22k"), (D, "COCO"),
                        (M, "top-1 accuracy"))
        assert [(r.value, r.dataset) for r in found] == [(87.7, None)]

    def test_paper_with_one_dataset_gives_it_to_results_with_a_metric(self):
        found = results("We train on ImageNet. The model reaches a top-1 accuracy of 81.2%.",
                        (D, "ImageNet"), (M, "top-1 accuracy"))
        assert [(r.value, r.dataset) for r in found] == [(81.2, "ImageNet")]

    def test_method_is_not_the_object_of_a_comparison(self):
        [r] = results("Our TNT reaches 81.5% top-1 accuracy, above what DeiT reaches.",
                      (X, "TNT"), (X, "DeiT"), (M, "top-1 accuracy"))
        assert r.method == "TNT"
        found = results("We propose TNT. Compared to DeiT, it gives 2.1% higher top-1 "
                        "accuracy.", (X, "DeiT"), (X, "TNT", True), (M, "top-1 accuracy"))
        [r] = found
        assert r.method == "TNT"  # the paper's proposed method, not the baseline

    def test_gain_in_parentheses_takes_its_results_metric_and_dataset(self):
        found = results("It improves TriviaQA R@5 to 78.2% (+1.4).", (D, "TriviaQA"),
                        (M, "R@5"))
        assert [(r.value, r.kind, r.metric, r.dataset, r.rule) for r in found] == [
            (78.2, "absolute", "R@5", "TriviaQA", "metric_before"),
            (1.4, "improvement", "R@5", "TriviaQA", "metric_inherited")]

    def test_approximately_and_at_least_marks_are_kept_in_the_text(self):
        [r] = results("It reduces FLOPs by >85.0% on ImageNet.", (M, "FLOPs"), (D, "ImageNet"))
        assert (r.value, r.text) == (85.0, ">85.0%")


class TestNotResults:
    @pytest.mark.parametrize("text", [
        "We pre-train on ImageNet-1K and report top-1 accuracy.",  # a name
        "In 2023, accuracy on COCO rose.",  # a year
        "ResNet-50 and ViT-L/16 reach a good accuracy on COCO.",  # names
        "Our 7B model beats the 70B one in accuracy on COCO.",  # sizes
        "As in [12] and [3, 4], accuracy on COCO is reported.",  # citations
        "Table 2 and Section 3.2 list the accuracy on COCO.",  # references
        "We use 10 images per class and 3 datasets, reporting accuracy on COCO.",  # counts
        "It trains 152 layers with 650 million parameters for accuracy on COCO.",
        "Accuracy on COCO rises from 54.2% to 82.0% with ours.",  # start of from..to
        "The accuracy gain on COCO ranges from 0.3% to 3.0%, ranging from 0.3% to 3.0%.",
        "Accuracy on COCO improves by 4-8x and by 8–60%.",  # ranges
        "We run on 256 x 256 images and on 512×512 crops of COCO for accuracy.",  # sizes
        "Only 1.5% of the parameters are tuned for accuracy on COCO.",  # a share
        "It matches the accuracy of 60 examples per class (5%) on COCO.",  # lone parenthesis
        "Accuracy on COCO is 64.0% for us vs. 65.0% for them.",
        "Ours reaches 10%, 3%, and 9% in forgetting on COCO.",  # a measure we do not know
        "Ours enables a 4x larger batch on COCO.",  # a multiplier with no speed word
        "Ours reaches 80.2 ± 0.3 accuracy on COCO.",
    ])
    def test_skipped(self, text):
        found = results(text, *[(t, name) for t, name in ((M, "accuracy"), (M, "Accuracy"),
                                                          (D, "COCO")) if name in text])
        allowed = {"80.2", "64.0%", "82.0%"}  # the results these sentences do report
        assert [r for r in found if r.text not in allowed] == []
        assert all(r.text != "65.0%" and r.text != "54.2%" and r.text != "0.3" for r in found)

    def test_value_after_plus_minus_is_kept_and_spread_is_not(self):
        found = results("Ours reaches an accuracy of 80.2 ± 0.3 on COCO.",
                        (M, "accuracy"), (D, "COCO"))
        assert [r.text for r in found] == ["80.2"]

    def test_score_glued_to_its_metric_is_a_result_and_a_size_is_not(self):
        found = results("Focus-DETR gets 50.4AP on COCO with 1.5B parameters.",
                        (M, "AP"), (D, "COCO"))
        assert rows(found) == [(50.4, "", "absolute", "AP", "COCO", None)]

    def test_number_without_unit_needs_an_adjacent_metric(self):
        assert results("We evaluate 12 models on COCO and report accuracy.",
                       (M, "accuracy"), (D, "COCO")) == []

    def test_percentage_without_metric_needs_a_dataset_in_its_sentence(self):
        assert results("Ours is 40% better than before. We test on COCO.", (D, "COCO")) == []

    def test_numbers_in_mentions_and_urls_are_not_results(self):
        assert results("See https://x.org/v2/2.5 and COCO 2017 with 99 AP.",
                       (EntityType.URL, "https://x.org/v2/2.5"), (D, "COCO 2017")) == []


class TestSentences:
    def test_split_sentences_keeps_decimals_and_the_title(self):
        text = "Title 2.0\n\nWe get 89.7% here. Then 2.1 more! (And so on.) Done"
        spans = split_sentences(text)
        assert [text[s:e] for s, e in spans] == [
            "Title 2.0", "We get 89.7% here.", "Then 2.1 more!", "(And so on.) Done"]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


class TestWithTheExtractor:
    def test_real_sentence(self, extractor):
        ex = extractor.extract(Paper(
            "p", "DaViT: Dual Attention Vision Transformers",
            "Our DaViT achieves 84.6% top-1 accuracy on ImageNet-1K, and reaches 53.8 box "
            "AP on COCO with a 2.1% gain over Swin-T in that setting."))
        assert [(r.value, r.unit, r.kind, r.metric, r.dataset, r.method)
                for r in ex.results] == [
            (84.6, "%", "absolute", "top-1 accuracy", "ImageNet-1K", "DaViT"),
            (53.8, "", "absolute", "box AP", "COCO", "DaViT"),
            (2.1, "%", "improvement", None, "COCO", "DaViT"),
        ]
        for r in ex.results:
            assert ex.paper.text[r.start:r.end] == r.text
            # sentence numbers agree with the mentions of the same sentence
            dataset = next(e for e in ex.entities if e.name == r.dataset)
            assert r.sentence in {m.sentence for m in dataset.mentions}

    def test_extract_many_and_extract_agree(self, extractor):
        paper = Paper("p", "T", "Ours reaches an FID of 2.70 on FFHQ.")
        one = extractor.extract(paper)
        [many] = list(extractor.extract_many([paper]))
        assert one.results == many.results
        assert [(r.value, r.metric, r.dataset) for r in one.results] == [(2.7, "FID", "FFHQ")]

    def test_results_round_trip_through_extractions_json(self, extractor):
        ex = extractor.extract(Paper("p", "T", "Ours reaches an FID of 2.70 on FFHQ."))
        d = ex.to_dict()
        assert d["results"] == [r.to_dict() for r in ex.results]
        assert PaperExtraction.from_dict(d).results == ex.results
        # an extraction line written before results existed still reads
        del d["results"]
        assert PaperExtraction.from_dict(d).results == []


class TestSeedBuild:
    """The build of the seed pages: REPORTS edges in the graph and in every export."""

    @staticmethod
    def reports(G) -> list[tuple[str, str, dict]]:
        return [(u, v, d) for u, v, d in G.edges(data=True) if d["type"] == "REPORTS"]

    def test_extractions_carry_results_and_the_graph_has_reports(self, seed_build):
        import json

        lines = (seed_build.out_dir / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
        results = [r for line in lines for r in json.loads(line)["results"]]
        assert len(results) >= 100
        on_dataset = [r for r in results if r["dataset"]]
        reports = self.reports(seed_build.graph)
        assert len(reports) == len(on_dataset)  # every result with a dataset, once
        G = seed_build.graph
        for u, v, d in reports:
            assert G.nodes[u]["label"] == "Paper" and G.nodes[v]["label"] == "Dataset"
            # the number is where the provenance says
            text = G.nodes[u]["title"] + "\n\n" + G.nodes[u]["abstract"]
            assert text[d["span_start"]:d["span_end"]] == d["text"]
            assert isinstance(d["value"], float) and d["kind"] in ("absolute", "improvement")
            assert G.has_edge(u, v, "USES_DATASET") or G.has_edge(u, v, "PROPOSES")
            if d["metric"] is not None:
                assert G.nodes[f"metric:{d['metric_key']}"]["name"] == d["metric"]

    def test_node_link_json_and_graphml_carry_reports(self, seed_build):
        import networkx as nx

        G = seed_build.graph  # read back from graph.json by the fixture
        n = len(self.reports(G))
        H = nx.read_graphml(seed_build.out_dir / "graph.graphml")
        found = [d for _, _, d in H.edges(data=True) if d.get("type") == "REPORTS"]
        assert len(found) == n
        assert all(isinstance(d["value"], float) and isinstance(d["span_start"], int)
                   for d in found)

    def test_neo4j_files_and_store_carry_reports(self, seed_build):
        import csv

        from kgraph.query.embedded import run_embedded

        n = len(self.reports(seed_build.graph))
        folder = seed_build.out_dir / "neo4j"
        with open(folder / "rels_REPORTS.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert rows[0][:3] == [":START_ID(Paper)", ":END_ID(Dataset)", ":TYPE"]
        assert {"value:double", "span_start:long", "metric:string"} <= set(rows[0])
        assert len(rows) - 1 == n
        script = (folder / "import.cypher").read_text(encoding="utf-8")
        assert "MERGE (a)-[r:REPORTS {span_start: row.span_start}]->(b)" in script
        assert f"{n} REPORTS" in script.splitlines()[2]
        found = run_embedded(seed_build.out_dir, "MATCH (:Paper)-[r:REPORTS]->(:Dataset) "
                                                 "RETURN count(r) AS n")
        assert found.rows == [[n]]
