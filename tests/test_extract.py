"""The extraction stage on the real spaCy pipeline: entities, provenance, rules."""

from __future__ import annotations

import json

import pytest
import spacy

from kgraph.canonical import canonical_key
from kgraph.errors import InputError
from kgraph.extract import Extractor
from kgraph.extract.gazetteer import builtin_gazetteer, load_gazetteer
from kgraph.extract.patterns import is_name_shaped, load_rules
from kgraph.extract.pipeline import PIPELINE, build_pipeline
from kgraph.model import EntityType, Paper


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _by_type(ex, etype):
    return {e.name: e for e in ex.of_type(etype)}


def test_pipeline_is_blank_english_with_kgraph_components():
    nlp = build_pipeline()
    assert nlp.lang == "en"
    assert tuple(nlp.pipe_names) == PIPELINE
    assert nlp.meta.get("vectors", {}).get("width", 0) == 0


def test_every_mention_slices_the_paper_text_exactly(extractor):
    paper = Paper("p", "TecoGAN: Temporal Coherence for Video Super-Resolution",
                  "We propose TecoGAN, evaluated on the Vid4 dataset in terms of PSNR and "
                  "LPIPS. Convolutional neural networks (CNNs) fail here. "
                  "Code: https://github.com/thunil/TecoGAN.")
    ex = extractor.extract(paper)
    assert ex.entities
    for ent in ex.entities:
        for m in ent.mentions:
            assert paper.text[m.start:m.end] == m.text
            assert m.rule


def test_title_is_sentence_zero_and_abstract_sentences_count_up(extractor):
    paper = Paper("p", "A study of COCO", "First sentence about ImageNet. Second one on KITTI.")
    ex = extractor.extract(paper)
    sentences = {e.name: e.mentions[0].sentence for e in ex.of_type(EntityType.DATASET)}
    assert sentences["COCO"] == 0
    assert sentences["ImageNet"] == 1
    assert sentences["KITTI"] == 2


def test_gazetteer_aliases_merge_into_one_canonical_entity(extractor):
    paper = Paper("p", "T", "We train on ImageNet-1k and report IN-1K results; detection on "
                  "MS COCO and COCO test-dev.")
    ds = _by_type(extractor.extract(paper), EntityType.DATASET)
    assert set(ds) == {"ImageNet-1K", "COCO"}
    assert set(ds["ImageNet-1K"].aliases) == {"ImageNet-1k", "IN-1K"}


def test_versions_stay_distinct(extractor):
    paper = Paper("p", "T", "Pre-trained on ImageNet-21K and fine-tuned on ImageNet-1K; "
                  "video results on Kinetics-400 and Kinetics-600.")
    ds = _by_type(extractor.extract(paper), EntityType.DATASET)
    assert {"ImageNet-21K", "ImageNet-1K", "Kinetics-400", "Kinetics-600"} <= set(ds)


def test_slash_list_names_every_version(extractor):
    ds = _by_type(extractor.extract(Paper("p", "T", "Experiments on CIFAR-10/100 show gains.")),
                  EntityType.DATASET)
    assert {"CIFAR-10", "CIFAR-100"} <= set(ds)


def test_mixed_case_name_does_not_match_an_ordinary_word(extractor):
    ex = extractor.extract(Paper("p", "T", "We run multiple trials on the largest scope; "
                                 "the shape bias of deep neural networks (DNNs) matters."))
    assert not ex.of_type(EntityType.DATASET)
    assert not ex.of_type(EntityType.METHOD)


def test_mixed_case_name_with_only_its_first_capital_inside_a_sentence(extractor):
    ex = extractor.extract(Paper("p", "T", "We pretrain on Librispeech and Imagenet, then "
                                 "test on Imagenet-C and the Webshop benchmark."))
    assert {"LibriSpeech", "ImageNet", "ImageNet-C", "WebShop"} <= set(
        _by_type(ex, EntityType.DATASET))
    # a sentence start, a Title Case phrase, a variant without its hyphen and an
    # all-capitals acronym are no such spelling
    ex = extractor.extract(Paper("p", "T", "Multiple runs help. The Multiple Needles In A "
                                 "Haystack task is hard. We propose DreamTexture, a novel "
                                 "Shape-from-Texture approach, and MAPLE, a robot policy."))
    names = {e.name for e in ex.entities}
    assert not names & {"MultiPL-E", "Shap-E", "MaPLe"}


def test_a_dataset_name_of_capitalised_words_is_no_lower_case_phrase(extractor):
    ex = extractor.extract(Paper("p", "T", "We collect natural questions that are hard to "
                                 "answer, convert hateful memes into benign ones and map an "
                                 "aerial image dataset, despite the subjectivity of manual "
                                 "annotation and the raindrops on the lens."))
    assert not ex.of_type(EntityType.DATASET)
    ex = extractor.extract(Paper("p", "T", "We test on Natural Questions and the Hateful "
                                 "Memes dataset, reach 90% accuracy on the visual wake "
                                 "words dataset and 84.3% mIoU on the cityscapes validation "
                                 "set, and compare on long-range-arena tasks."))
    assert {"Natural Questions", "Hateful Memes", "Visual Wake Words", "Cityscapes",
            "Long Range Arena"} <= set(_by_type(ex, EntityType.DATASET))


def test_model_family_glued_to_a_dataset_is_no_version_of_it(extractor):
    ex = extractor.extract(Paper("p", "T", "We fuse features from Places-CNN and "
                                 "Imagenet-CNN, and evaluate on ImageNet-C."))
    datasets = set(_by_type(ex, EntityType.DATASET))
    assert "ImageNet-C" in datasets
    assert not {"ImageNet-CNN", "Imagenet-CNN", "Places-CNN"} & datasets


def test_abbreviation_and_long_form_are_one_entity(extractor):
    paper = Paper("p", "T", "Convolutional neural networks (CNNs) beat peak signal to noise "
                  "ratio (PSNR) baselines; CNNs improve PSNR by 2 dB.")
    ex = extractor.extract(paper)
    methods = _by_type(ex, EntityType.METHOD)
    metrics = _by_type(ex, EntityType.METRIC)
    assert "CNN" in methods
    assert {"Convolutional neural networks", "CNNs"} <= set(methods["CNN"].aliases)
    assert "PSNR" in metrics and "peak signal to noise ratio" in metrics["PSNR"].aliases


def test_a_task_written_with_a_defined_short_form_is_the_task_written_out(extractor):
    paper = Paper("p", "Zero-Shot Biomedical Relation Extraction with LLMs",
                  "It is unclear how well these models perform on biomedical relation "
                  "extraction (RE). We study biomedical RE on seven datasets, and biomedical "
                  "RE errors.")
    tasks = {e.name: e for e in extractor.extract(paper).of_type(EntityType.TASK)}
    assert "biomedical RE" not in tasks
    assert "biomedical RE" in tasks["biomedical relation extraction"].aliases


def test_unknown_abbreviation_is_typed_by_its_head_word(extractor):
    paper = Paper("p", "T", "We measure the Zylo Alignment Score (ZAS) of each layer.")
    metrics = _by_type(extractor.extract(paper), EntityType.METRIC)
    assert "ZAS" in metrics
    assert "Zylo Alignment Score" in metrics["ZAS"].aliases


def test_known_metric_or_dataset_ending_a_long_form_types_the_abbreviation(extractor):
    paper = Paper("p", "T", "In this paper, we introduce CODA, a tokenizer. Our approach achieves a "
                  "reconstruction FID (rFID) of 0.43. We use scans of the Developing Human "
                  "Connectome Project (dHCP).")
    ex = extractor.extract(paper)
    assert "Developing Human Connectome Project" in _by_type(ex, EntityType.DATASET)["dHCP"].aliases
    assert "reconstruction FID" in _by_type(ex, EntityType.METRIC)["rFID"].aliases
    assert {e.name for e in ex.of_type(EntityType.METHOD)} == {"CODA"}
    # a task name ending a long form does not make the method a task
    paper = Paper("p", "T", "We propose Prototype Guided Backdoor Defense (PGBD), a defense.")
    assert _by_type(extractor.extract(paper), EntityType.METHOD)["PGBD"].proposed


def test_long_form_head_before_a_preposition_types_the_abbreviation(extractor):
    paper = Paper("p", "T", "We propose the Pixel-level Classifier for Single Image "
                  "Super-Resolution (PCSR), a novel method. We collect a Zylo Benchmark "
                  "for Retrieval Augmentation (ZBRA). Unsupervised domain adaptation for "
                  "semantic segmentation (UDASS) aims to transfer knowledge.")
    ex = extractor.extract(paper)
    methods = _by_type(ex, EntityType.METHOD)
    assert methods["PCSR"].proposed   # a classifier, not the task it is for
    paper = Paper("p", "T", "We develop a hybrid dynamic-Transformer block(HDTB) for it.")
    assert "hybrid dynamic-Transformer block" in \
        _by_type(extractor.extract(paper), EntityType.METHOD)["HDTB"].aliases
    assert "ZBRA" in _by_type(ex, EntityType.DATASET)
    # a process noun before the preposition is not the head: the task it names
    tasks = _by_type(ex, EntityType.TASK)
    assert "UDASS" in tasks["unsupervised domain adaptation for semantic segmentation"].aliases

def test_proposed_method_from_title_prefix_and_proposal_verb(extractor):
    paper = Paper("p", "PRES: Toward Scalable Memory-Based Dynamic Graph Neural Networks",
                  "We present PRES, an iterative scheme. PRES outperforms TGN.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["PRES"].proposed
    assert len(methods["PRES"].mentions) == 3


def test_a_capitalised_proposal_verb_inside_a_name_proposes_nothing(extractor):
    # "Design" in "Electronic Design Automation" is no verb; "we design X" still is
    text = ("LLMs have sparked interest in applying them to Electronic Design Automation "
            "(EDA) tasks. We design CircuitMind for analog circuit synthesis.")
    ex = extractor.extract(Paper("p", "T", text))
    assert {e.name for e in ex.entities if e.proposed} == {"CircuitMind"}
    assert "Automation" not in {e.name for e in ex.entities}


def test_abbreviation_in_a_proposal_sentence_is_proposed(extractor):
    paper = Paper("p", "T", "We propose a Text-Semantics-Aware Patch Selector (TSPS) that "
                  "keeps salient patches.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["TSPS"].proposed


def test_a_versioned_acronym_defined_in_a_proposal_sentence_is_proposed(extractor):
    paper = Paper("p", "T", "We design Time Series MambaMixer (TSM2) for forecasting. "
                  "TSM2 beats strong baselines.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["TSM2"].proposed
    assert "Time Series MambaMixer" in methods["TSM2"].aliases


def test_a_definition_the_paper_says_is_proposed_is_a_proposed_method(extractor):
    paper = Paper("p", "T", "To obtain a larger receptive field, Hybrid Spatio-Temporal "
                  "Aggregation (HSTA) is proposed. Then a Cross-Modal Asymmetric Adapter "
                  "(CMAA) is carefully designed to align features.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["HSTA"].proposed and methods["CMAA"].proposed


@pytest.mark.parametrize("abstract", [
    "Rotary Layer Scaling (RLS) was proposed to stabilise training; we study it.",
    "Speech Foundation Models (SFMs) are designed to serve many tasks.",
    "A new benchmark for industrial panel monitoring (IPM) is constructed.",
])
def test_a_passive_that_reports_a_class_or_a_problem_proposes_nothing(extractor, abstract):
    ex = extractor.extract(Paper("p", "T", abstract))
    assert not [e.name for e in ex.entities if e.proposed and e.type is EntityType.METHOD]


def test_a_version_defined_by_its_family_name_stays_that_version(extractor):
    paper = Paper("p", "T", "We prompt the Segment Anything Model (SAM2) with boxes and "
                  "compare it with SAM.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert {"SAM", "SAM 2"} <= set(methods)
    assert "SAM2" in methods["SAM 2"].aliases


def test_a_lower_case_plural_defined_in_a_proposal_sentence_is_a_class(extractor):
    # what the paper's own work combines or handles, not what it introduces
    text = ("Our approach combines diverse small transformer-based large language models "
            "(sLLMs) with voting. We propose a pipeline that flags adverse events (AEs) in "
            "reports. We introduce Hybrid Perception Blocks (HPBs) to fuse features.")
    assert _proposed(extractor, text) == {"HPB"}
    assert not any("AEs" in e.aliases  # and no method at all
                   for e in extractor.extract(Paper("p", "T", text)).entities)
    # unless the title opens with it: the paper's subject
    assert _proposed(extractor, "We introduce the concept of scalable neural network kernels "
                     "(SNNKs), the replacements of layers.",
                     title="Scalable Neural Network Kernels") == {"SNNK"}


def test_latex_quantities_variables_and_macros_are_no_names(extractor):
    ex = extractor.extract(Paper("p", "T", r"Our method is more than 8$\times$ faster than "
                                 r"prior approaches, at 0.80$\pm$0.02 reliability against "
                                 r"boundaries like a$_1^-$. To address this, we introduce "
                                 r"\SysName, a novel visual prompting mechanism, and "
                                 r"A$^3$Tune, a novel fine-tuning framework."))
    assert [e.name for e in ex.of_type(EntityType.METHOD)] == ["A$^3$Tune"]


def test_definition_after_a_latex_tie_is_proposed(extractor):
    # arXiv abstracts keep TeX's non-breaking space: "approach~(CoTTA)"
    paper = Paper("p", "T", "We propose a continual glorp adaptation approach~(CoGA) which "
                  "comprises two parts.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["CoGA"].proposed
    mention = next(m for m in methods["CoGA"].mentions if m.text == "CoGA")
    assert paper.text[mention.start:mention.end] == "CoGA"


def test_definition_after_for_in_a_proposal_sentence_is_the_problem(extractor):
    paper = Paper("p", "T", "We present a bag of tricks framework for zero-shot glorp "
                  "learning (ZSGL), a challenging setting. We propose the Zylo Fusion "
                  "Network (ZFN).")
    ex = extractor.extract(paper)
    assert not any(e.proposed for e in ex.entities if "ZSGL" in e.aliases + [e.name])
    assert _by_type(ex, EntityType.METHOD)["ZFN"].proposed


@pytest.mark.parametrize("tool", ["using the", "utilizing", "via"])
def test_definition_the_proposal_uses_is_not_proposed(extractor, tool):
    # "we propose ... using the Random Digit String (RDS)": a tool, not the paper's own
    paper = Paper("p", "T", f"We propose QuoRAG, a framework that unifies sources {tool} "
                  "Random Glorp String (RGS) and a Glorp Fusion Module (GFM).")
    ex = extractor.extract(paper)
    methods = _by_type(ex, EntityType.METHOD)
    assert methods["QuoRAG"].proposed and methods["GFM"].proposed
    assert not any(e.proposed for e in ex.entities if "RGS" in e.aliases + [e.name])


def test_known_method_presented_as_the_papers_own_is_proposed(extractor):
    # a lexicon entry in its own paper: "the proposed X (ABBR)", "our proposed method 'x' (ABBR)"
    paper = Paper("p", "Deep Dual-resolution Networks for Real-time Semantic Segmentation",
                  "The proposed deep dual-resolution networks (DDRNets) are composed of two "
                  "deep branches. Our proposed method 'robust mean teacher' (RMT) adapts.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["DDRNet"].proposed and methods["RMT"].proposed


def test_known_family_described_as_novel_is_not_proposed(extractor):
    paper = Paper("p", "T", "We propose CKGAN, a novel generative adversarial network (GAN) "
                  "variant, and a novel retrieval-augmented generation (RAG) framework.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["CKGAN"].proposed
    assert not methods["GAN"].proposed and not methods["RAG"].proposed


def test_a_name_a_verb_of_use_takes_is_not_proposed(extractor):
    ex = extractor.extract(Paper("p", "T", "For pose detection, we leverage MediaPipe, a "
                                 "lightweight and efficient framework. LEO-MINI employs "
                                 "MMoE, a novel mixture of experts module."))
    methods = _by_type(ex, EntityType.METHOD)
    assert not methods["MediaPipe"].proposed
    assert methods["MMoE"].proposed  # called new: the paper's own part


def test_our_name_is_proposed_unless_it_modifies_what_follows(extractor):
    paper = Paper("p", "T", "Our proposed model, ChannelViT, builds patch tokens. Our "
                  "PC-based algorithm is fast. Our PyTorch code is public. Our ConvNets "
                  "learn class probabilities.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["ChannelViT"].proposed
    assert not methods["PC"].proposed          # "-based": a method the work uses
    assert "PyTorch" not in methods            # the tool the code is written in
    assert not methods["CNN"].proposed         # a method family is never the paper's own


def test_name_a_proposal_verb_introduces_with_a_head_word_is_proposed(extractor):
    paper = Paper("p", "T", "We propose the UniRepLKNet architecture. We present a novel "
                  "Terminator architecture. We propose a Cross-layer Binarization scheme.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["UniRepLKNet"].proposed and methods["Terminator"].proposed
    # a hyphenated modifier is not a name cut before its head word
    assert "Cross" not in methods and methods["Cross-layer Binarization"].proposed
    paper = Paper("p", "T", "We introduce a novel Adapter Network that combines features. "
                  "We introduce a Transformer decoder.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    # the head word can be part of the capitalised name
    assert methods["Adapter Network"].proposed
    assert not methods["Transformer"].proposed   # a family is never the paper's own


def test_name_after_a_proposed_head_word_is_proposed(extractor):
    paper = Paper("p", "T", "We propose a variant model AdaMEOW that learns weights. We "
                  "design a new driving framework WoTE. We introduce a Local Model "
                  "Residual Block, which integrates two blocks.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["AdaMEOW"].proposed and methods["WoTE"].proposed
    paper = Paper("p", "T", "We propose a novel deep neural method (HDRTNet) which fuses IR.")
    assert _by_type(extractor.extract(paper), EntityType.METHOD)["HDRTNet"].proposed
    # a capitalised "Model" is part of a name, not the head word that introduces one
    assert not any(m.proposed for name, m in methods.items() if "Residual" in name)


def _proposed(extractor, abstract: str, title: str = "T") -> set[str]:
    """Names of the entities extracted as proposed from one paper."""
    return {e.name for e in extractor.extract(Paper("p", title, abstract)).entities
            if e.proposed}


@pytest.mark.parametrize("abstract, own", [
    ("For a better design of FCN architecture, KiteNet, which is a fully end-to-end "
     "network for HSI classification, is proposed to exploit global context. Code has "
     "been made available at: https://github.com/someone/KiteNet.", {"KiteNet"}),
    # names compared by letters and digits, case folded; datasets too
    ("The U-Kite2 network segments organs. Code: https://github.com/someone/UKite2",
     {"U-Kite2"}),
    ("The HOSS ReID dataset pairs optical and SAR ship images of ports. Data and code are "
     "at https://github.com/someone/Hoss-ReID.", {"HOSS ReID"}),
], ids=["method", "spelling", "dataset"])
def test_name_of_the_linked_repository_is_proposed(extractor, abstract, own):
    assert _proposed(extractor, abstract) == own


@pytest.mark.parametrize("abstract", [
    # a link in brackets right after the name points to it, whoever made it
    "We train a model on our data. It achieves top-1 performance on Open Kite Reasoning "
    "Leaderboard (https://huggingface.co/spaces/opencompass/Open_Kite_Reasoning_Leaderboard) "
    "among small models.",
    # a verb of use before the link
    "We evaluate segmenters on HOSS ReID. We have used the dataset HOSS ReID from "
    "https://github.com/someone/Hoss-ReID to evaluate these models.",
    # a model the gazetteer knows: a fork, or the repository its makers keep
    "We fine-tune SegFormer on our drone images and compare it with Restormer. Weights "
    "are at https://github.com/someone/SegFormer.",
    # a repository name alone makes no entity
    "We study video generation with a self-supervised loss. Code is at "
    "https://github.com/someone/MegaKiteGAN.",
], ids=["bracketed-link", "used", "known", "name-alone"])
def test_repository_link_to_what_the_paper_uses_proposes_nothing(extractor, abstract):
    assert _proposed(extractor, abstract) == set()


def test_repository_of_a_family_proposes_only_the_new_version(extractor):
    # "SALMONN-omni" released in the SALMONN repository: the family stays earlier work
    assert _proposed(extractor, "We introduce KiteNet-omni, a speech LLM. Existing models "
                     "such as KiteNet and KiteGPT are half-duplex. Demos are at "
                     "https://github.com/someone/KiteNet.", "KiteNet-omni: a speech model") \
        == {"KiteNet-omni"}


def test_a_hyphenated_part_name_a_proposal_verb_introduces_is_proposed(extractor):
    # the head after the name ("module"), or its own last word ("Module", "Branch")
    assert _proposed(extractor, "We propose a Slope-Aware Adaptive Feature module that "
                     "predicts weights. We introduce the SAM-Noise Module, which refines "
                     "noise. We design a Detail-oriented Inference Branch to keep details.") \
        == {"Slope-Aware Adaptive Feature", "SAM-Noise Module", "Detail-oriented Inference Branch"}
    # a known name, or one ending in a family, is not the paper's own part
    assert not _proposed(extractor, "We propose a CNN-Transformer hybrid model. We introduce "
                         "a novel Mixture-of-Experts architecture. We propose a U-Net "
                         "architecture with attention.")


def test_named_parts_a_proposed_method_consists_of_are_proposed(extractor):
    title = "Cloud segmentation from satellite images"
    assert _proposed(extractor, "In this paper, we propose StratoSeg, a lightweight "
                     "framework consisting of a multi-scale encoder and a CloudMix-Attn "
                     "module.", title) == {"StratoSeg", "CloudMix-Attn"}
    # a known name and a tool the part is built with are not the paper's own
    assert _proposed(extractor, "We propose StratoSeg for cloud masks. StratoSeg comprises "
                     "two key modules: the Sky Context Fusion Module and a VQ-VAE tokenizer, "
                     "with a registration module based on the Kessler-Flow Refinement "
                     "algorithm.", title) == {"StratoSeg", "Sky Context Fusion Module"}
    # nor are the parts of a thing the paper does not propose
    assert _proposed(extractor, "A baseline classifier consists of a Sky Context Fusion "
                     "Module and the CloudMix-Attn module. We propose StratoSeg.", title) \
        == {"StratoSeg"}


def test_a_definition_joined_to_the_next_word_by_a_dash_is_found(extractor):
    def entities(abstract):
        paper = extractor.extract(Paper("p", "Cloud masks from satellites", abstract))
        return {(e.name, e.proposed): sorted(e.aliases) for e in paper.entities}

    # the short form is an alias of its long form, used or proposed
    assert entities("Existing detectors rely on the Glorp Fusion Network (GFN)-based "
                    "backbone. We show that GFN fails on haze.") \
        == {("GFN", False): ["GFN", "Glorp Fusion Network"]}
    assert entities("In this paper, we propose Haze Suppression Decoding (HSD)-a "
                    "training-free strategy that removes haze. HSD runs in real time.") \
        == {("HSD", True): ["HSD", "Haze Suppression Decoding"]}
    # "(KFF)-guided decoder": what the new decoder builds on, not the paper's own name
    assert entities("We propose StratoSeg, a cloud segmentation framework with a novel "
                    "Kessler Flow Field (KFF)-guided decoder. The KFF is estimated per "
                    "image.") == {("StratoSeg", True): ["StratoSeg"],
                                  ("KFF", False): ["KFF", "Kessler Flow Field"]}


@pytest.mark.parametrize("abstract, own", [
    # a verb that takes in parts, after the proposed name
    ("We propose StratoSeg for cloud masks. StratoSeg integrates three modules: Sky "
     "Context Fusion Module, a fusion step, and a Haze Residual Gate module.",
     {"StratoSeg", "Sky Context Fusion Module", "Haze Residual Gate"}),
    # such verbs also take in existing tools: only a multi-word name a component head
    # ends or follows is the paper's own
    ("We propose StratoSeg for cloud masks. StratoSeg integrates a phase-aware Wave-MLP "
     "and an SPD-Conv module to sharpen edges.", {"StratoSeg"}),
    # "the model" / "This framework" opening the clause refers back to the proposed method
    ("We propose StratoSeg for cloud masks. Moreover, the model incorporates a Sky Context "
     "Fusion Module to merge scales. This framework further consists of a Cloud Edge "
     "Refinement Module.",
     {"StratoSeg", "Sky Context Fusion Module", "Cloud Edge Refinement Module"}),
    # with no method of its own, "the model" is someone else's
    ("We study cloud masks with existing detectors. The model incorporates a Sky Context "
     "Fusion Module to merge scales.", set()),
    # an encoder or decoder is a part too
    ("We propose StratoSeg for cloud masks. StratoSeg incorporates a Dual-Frequency Haze "
     "Encoder and a Multi-Scale Gated Cloud Decoder.",
     {"StratoSeg", "Dual-Frequency Haze Encoder", "Multi-Scale Gated Cloud Decoder"}),
    # "leverages", "employs": with the paper's method as subject, its parts
    ("We propose StratoSeg for cloud masks. StratoSeg leverages a Sky Context Fusion "
     "Module and employs LR-ASPP. Our method employs a Haze Residual Gate module.",
     {"StratoSeg", "Sky Context Fusion Module", "Haze Residual Gate"}),
    ("We propose StratoSeg for cloud masks. Prior work leverages a Sky Context Fusion "
     "Module.", {"StratoSeg"}),
    # "we" of a paper that proposes a method
    ("We propose StratoSeg for cloud masks. We employ a Sky Context Fusion Module to merge "
     "scales.", {"StratoSeg", "Sky Context Fusion Module"}),
    ("We study cloud masks. We employ a Sky Context Fusion Module to merge scales.", set()),
], ids=["integrates", "existing-tools", "the-model", "no-own-method", "encoder-decoder",
        "leverages", "other-subject", "we", "we-without-own-method"])
def test_named_components_a_proposed_method_takes_in_are_proposed(extractor, abstract, own):
    assert _proposed(extractor, abstract, "Cloud segmentation from satellite images") == own


def test_hyphenated_words_before_the_head_word_count_as_words(extractor):
    # "test-time" is three tokens, one word: the description still fits the rule,
    # and a name the lexicon knows is proposed in the paper that presents it
    assert _proposed(extractor, "We propose a continual test-time adaptation approach "
                     "(CoTTA) which comprises two parts. We introduce a novel reference-free "
                     "preference optimization framework DualReform that generates passages.") \
        == {"CoTTA", "DualReform"}
    # five words, or a new noun phrase ("the diffusion model"), are too far from the verb
    assert not _proposed(extractor, "This paper proposes a reinforcement learning-based latent "
                         "diffusion model (LDM) fine-tuning method. This study presents a novel "
                         "approach leveraging the diffusion model Instruct Pix2Pix to make data.")


@pytest.mark.parametrize("head", ["strategy", "pipeline", "paradigm", "regularization",
                                  "technique", "tool"])
def test_name_after_a_proposed_head_word_of_any_kind_of_method_is_proposed(extractor, head):
    # Strategies, pipelines and paradigms are methods a paper introduces as surely as
    # models are: "we design a geometric perturbation strategy GeoDP to ..."
    paper = Paper("p", "T", f"We design a geometric perturbation {head} GeoDP to reduce "
                  "the noise. GeoDP is compared with DP-SGD.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["GeoDP"].proposed


def test_kind_before_the_head_word_is_no_name_when_a_name_follows(extractor):
    paper = Paper("p", "T", "Previous AD methods are weak. We propose a novel AD framework: "
                  "FOcus-the-Discrepancy (FOD), which spots anomalies. We also develop a new "
                  "CR model EMRDM. Finally, we introduce a novel VAR Erasure framework VARE.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["FOD"].proposed and methods["EMRDM"].proposed
    # "AD" and "CR" say what kind of framework and model the named ones are
    assert not any(methods[k].proposed for k in ("AD", "CR") if k in methods)
    # several words before the head spell out the name after it: one entity, the paper's
    assert methods["VARE"].proposed and "VAR Erasure" in methods["VARE"].aliases


def test_proposal_verb_after_to_without_the_papers_voice_proposes_nothing(extractor):
    paper = Paper("p", "T", "These results highlight the pressing need to develop FooNet "
                  "capable of reasoning. In this work, we aim to develop GlimNet.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert "FooNet" not in methods or not methods["FooNet"].proposed
    assert methods["GlimNet"].proposed
    # the name before the title's colon is the paper speaking
    paper = Paper("p", "HP-Edit: A Post-Training Framework for Image Editing",
                  "Specifically, HP-Edit leverages a pretrained model to develop HP-Scorer, "
                  "an automatic evaluator.")
    assert _by_type(extractor.extract(paper), EntityType.METHOD)["HP-Scorer"].proposed

def test_name_the_paper_calls_novel_is_proposed(extractor):
    paper = Paper("p", "T", "HEAL first builds a feature space via a novel multi-scale "
                  "foreground-aware Pyramid Fusion network. It also uses a novel Zorb "
                  "Interaction Network. A novel SirenNet-based architecture is trained. "
                  "We compare with the Quux Fusion network.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["Pyramid Fusion"].proposed
    assert methods["Zorb Interaction Network"].proposed
    assert not methods["Quux Fusion"].proposed
    assert "SirenNet" not in methods or not methods["SirenNet"].proposed


def test_state_of_the_art_with_a_capital_is_no_name(extractor):
    paper = Paper("p", "T", "NAPA-VQ outperforms the State-of-the-art NECIL methods.")
    names = {e.name for e in extractor.extract(paper).entities}
    assert "NAPA-VQ" in names and not any(n.startswith("State") for n in names)


def test_function_word_glued_inside_a_hyphenated_name_is_part_of_it(extractor):
    paper = Paper("p", "T", "In this paper, we present a new Tool Learning method "
                  "Chain-of-Tools. We also build Stitch-a-Recipe. It is evaluated on "
                  "SemanticKITTI-to-SemanticSTF adaptation.")
    ex = extractor.extract(paper)
    methods = _by_type(ex, EntityType.METHOD)
    assert methods["Chain-of-Tools"].proposed and methods["Stitch-a-Recipe"].proposed
    assert "Chain" not in methods and "Recipe" not in methods
    # "to" joins two names into a mapping, not one name
    names = {e.name for e in ex.entities}
    assert "SemanticKITTI-to-SemanticSTF" not in names

def test_one_letter_glued_before_a_name_is_part_of_it(extractor):
    paper = Paper("p", "T", "Inspired by SFANet, the first model, which is named M-SFANet, "
                  "is fast. We propose k-FPF. We train a U-Net and a pseudo-3D U-Net.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["M-SFANet"].proposed and methods["k-FPF"].proposed
    assert "SFANet" not in methods and "FPF" not in methods
    # "Net" is a capitalised word, not a name by its shape: U-Net stays the known model
    assert [m.text for m in methods["U-Net"].mentions] == ["U-Net", "U-Net"]


def test_name_called_out_as_recent_work_is_not_proposed(extractor):
    paper = Paper("p", "T", "A recent state space model called Mamba is fast. We propose a "
                  "block called LaBlock. Unlike existing methods, we propose a model called "
                  "FooNet.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert not methods["Mamba"].proposed
    assert methods["LaBlock"].proposed and methods["FooNet"].proposed


@pytest.mark.parametrize("naming", ["abbreviated as", "denoted as"])
def test_name_given_after_abbreviated_or_denoted_is_proposed(extractor, naming):
    paper = Paper("p", "Iterative Glorp Decoding for Image Dehazing",
                  f"We propose a novel Iterative Glorp Decoding framework, {naming} IGD-Haze, "
                  "which leverages a pre-trained VQGAN.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["IGD-Haze"].proposed and not methods["VQGAN"].proposed


def test_title_opening_with_part_of_a_longer_name_proposes_the_longer_one(extractor):
    paper = Paper("p", "xLSTM-UNet can be an Effective Segmentation Backbone",
                  "We propose xLSTM-UNet, which uses xLSTM as its backbone.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["xLSTM-UNet"].proposed and not methods["xLSTM"].proposed


def test_a_known_name_opening_the_title_before_with_is_what_the_paper_extends(extractor):
    def proposed(title, name):
        abstract = f"{name} improves generalization. We filter gradients."
        return {e.name for e in extractor.extract(Paper("p", title, abstract)).entities
                if e.proposed}

    sam = "Sharpness-Aware Minimization"
    assert proposed(f"{sam} with Z-Score Gradient Filtering", sam) == set()
    assert proposed(f"{sam} for Efficiently Improving Generalization", sam) == {sam}
    # a name no lexicon knows is the paper's own before "with" too
    assert proposed("GlorpNet with Z-Score Gradient Filtering", "GlorpNet") == {"GlorpNet"}


def test_title_prefix_that_is_a_phrase_proposes_no_name(extractor):
    for title in ["LLMs as Deceptive Agents: How Prompting Works",
                  "AI Hiring with LLMs: A Context-Aware Framework",
                  "DINO in the Room: Leveraging 2D Foundation Models"]:
        ex = extractor.extract(Paper("p", title, "We study the question."))
        assert not [e.name for e in ex.entities if e.proposed], title
    ex = extractor.extract(Paper("p", "FortisAVQA and MAVEN: a Benchmark and a Framework",
                                 "We study the question."))
    assert {e.name for e in ex.entities if e.proposed} == {"FortisAVQA", "MAVEN"}
    ex = extractor.extract(Paper("p", "TS-LSTM and Temporal-Inception: Exploiting Dynamics",
                                 "We study the question."))
    assert "TS-LSTM" in {e.name for e in ex.entities if e.proposed}


@pytest.mark.parametrize("title, name, etype", [
    ("Hybrid Distillation: Connecting Masked Autoencoders with Contrastive Learners",
     "Hybrid Distillation", EntityType.METHOD),
    ("Prototype-Sample Relation Distillation: Towards Replay-Free Continual Learning",
     "Prototype-Sample Relation Distillation", EntityType.METHOD),
    ("Zorbic guiding: A multi-resolution refinement approach for segmentation",
     "Zorbic guiding", EntityType.METHOD),
    ("Deceptive Humor: A Synthetic Multilingual Benchmark Dataset",
     "Deceptive Humor", EntityType.DATASET),
])
def test_title_prefix_of_plain_capitalised_words_names_the_papers_own(extractor, title, name,
                                                                       etype):
    ex = extractor.extract(Paper("p", title, "We study the question."))
    own = {(e.name, e.type) for e in ex.entities if e.proposed}
    assert own == {(name, etype)}


@pytest.mark.parametrize("title, name, etype", [
    ("The Invisible QuopHand: 3D Hand Forecasting", "Invisible QuopHand", EntityType.METHOD),
    ("A New ZORB: Domain-agnostic Evaluation of Text Chunking", "New ZORB", EntityType.METHOD),
    ("The ZorbFIC dataset: Leveraging LLMs to Unveil Lawmaking", "ZorbFIC",
     EntityType.DATASET),
    ("A-QDM: Accelerating Diffusion through Model Assembly", "A-QDM", EntityType.METHOD),
])
def test_title_prefix_name_leaves_out_an_opening_article(extractor, title, name, etype):
    # "The X: ...": the article opens the title, not the name; "A-QDM" is no article
    ex = extractor.extract(Paper("p", title, "We study the question."))
    assert {(e.name, e.type) for e in ex.entities if e.proposed} == {(name, etype)}


@pytest.mark.parametrize("title, name, etype", [
    # hyphens inside one word do not count towards the prefix's four tokens
    ("Zorbotron-CC-Math: A 133 Billion-Token-Scale High Quality Math Pretraining Dataset",
     "Zorbotron-CC-Math", EntityType.DATASET),
    ("Zorbotron-CC-Math-Pro: Scaling Language Models", "Zorbotron-CC-Math-Pro",
     EntityType.METHOD),
    # the noun phrase after "Towards" describes the name
    ("Cross3DZorb: Towards a Large-scale Real-world Point Cloud Registration Benchmark",
     "Cross3DZorb", EntityType.DATASET),
    ("Zorb3R: Towards a Unified Framework for 3D Reconstruction", "Zorb3R",
     EntityType.METHOD),
    # a verb of making opens a description in a title; other verbs a verb phrase
    ("ZorbStack: Building Realistic Benchmarks for Retrieval", "ZorbStack",
     EntityType.DATASET),
    ("ZorbSentinel: Protecting Visual Datasets from Unauthorized Retrieval",
     "ZorbSentinel", EntityType.METHOD),
    ("RETROzorb: Leveraging a Code Database for Code Completion", "RETROzorb",
     EntityType.METHOD),
])
def test_title_prefix_type_from_the_subtitle(extractor, title, name, etype):
    ex = extractor.extract(Paper("p", title, "We study the question."))
    assert {(e.name, e.type) for e in ex.entities if e.proposed} == {(name, etype)}


@pytest.mark.parametrize("title, name, etype", [
    ("Zorb-1K -- A Large-Scale Multiview Video Dataset for Egocentric Vision", "Zorb-1K",
     EntityType.DATASET),
    ("ZorbNet \u2014 A Network Similar to ResNet but Learning Quotients", "ZorbNet",
     EntityType.METHOD),
    ("ZorbSeg - A Free Software for Stitching Underwater Videos", "ZorbSeg",
     EntityType.METHOD),
])
def test_a_spaced_dash_parts_a_title_name_from_its_subtitle_as_a_colon_does(extractor, title,
                                                                             name, etype):
    ex = extractor.extract(Paper("p", title, "We study the question."))
    assert {(e.name, e.type) for e in ex.entities if e.proposed} == {(name, etype)}


@pytest.mark.parametrize("title", [
    "ZorbNet-Aware Learning for Egocentric Vision",  # a hyphen in a word
    "ZorbNet\u2013Style Learning for Egocentric Vision",
    "Zorb-Based Learning for the A\u2013B Testing of Agents",  # a range
])
def test_a_dash_inside_a_title_word_parts_nothing(extractor, title):
    ex = extractor.extract(Paper("p", title, "We study the question."))
    assert not [e.name for e in ex.entities if e.proposed], title


@pytest.mark.parametrize("title", [
    "Fire Together Wire Together: A Dynamic Pruning Approach",  # stop words
    "Task Complexity Matters: An Empirical Study of Reasoning",  # a slogan, a study
    "Convergent Learning: Do different neural networks learn the same representations?",
    "Zorbic Ink: Exploring Large Language Models for Irony Detection",  # a verb of study
    "Computation-Efficient Era: A Comprehensive Survey of State Space Models",
    "CNN Features off-the-shelf: an Astounding Baseline for Recognition",
    "Graphically Speaking: Unmasking Abuse in Social Media",  # an adverb
    "Bridging the Gap: A Framework for Deepfake Detection",  # a verb form
    "Position: Agentic Systems Constitute a Key Component of AI",  # the kind of paper
    "Survey: Graph Neural Networks for Recommendation",
    "DeepZorb vs. o3-mini: How Well can Reasoning LLMs Evaluate MT?",  # a comparison
])
def test_title_prefix_of_plain_words_that_is_no_name_proposes_nothing(extractor, title):
    ex = extractor.extract(Paper("p", title, "We study the question."))
    assert not [e.name for e in ex.entities if e.proposed], title


def test_title_prefix_the_abstract_names_as_a_method_is_no_dataset_of_that_name(extractor):
    # PatternNet and MAVEN are also datasets of the gazetteer
    ex = extractor.extract(Paper(
        "p", "PatternNet: Visual Pattern Mining with Deep Neural Network",
        "We propose a novel deep neural network architecture called PatternNet. "
        "The proposed PatternNet leverages the filters of a CNN."))
    assert not ex.of_type(EntityType.DATASET)
    assert _by_type(ex, EntityType.METHOD)["PatternNet"].proposed
    ex = extractor.extract(Paper(
        "p", "MAVEN: Multi-modal Attention for Valence-Arousal Emotion Network",
        "This paper introduces MAVEN (Multi-modal Attention for Valence-Arousal Emotion "
        "Network), a novel architecture for emotion recognition."))
    assert not ex.of_type(EntityType.DATASET)
    maven = _by_type(ex, EntityType.METHOD)["MAVEN"]
    assert maven.proposed and "Multi-modal Attention for Valence-Arousal Emotion Network" \
        in maven.aliases
    # without a context pattern agreeing, the gazetteer's dataset keeps its sense
    ex = extractor.extract(Paper(
        "p", "Quilt-1M: One Million Image-Text Pairs for Histopathology",
        "We combine sources to create a larger collection, Quilt-1M, with 1M pairs."))
    assert "Quilt-1M" in _by_type(ex, EntityType.DATASET)
    assert "Quilt-1M" not in _by_type(ex, EntityType.METHOD)


def test_known_short_form_defined_as_something_else_takes_the_papers_sense(extractor):
    paper = Paper("p", "T", "We propose to learn from the concept of Sub-Pseudo Label (SPL). "
                  "SPL improves accuracy. We align CLIP with Masked Autoencoder (MAE); MAE is "
                  "pre-trained.")
    ex = extractor.extract(paper)
    methods, metrics = _by_type(ex, EntityType.METHOD), _by_type(ex, EntityType.METRIC)
    assert methods["SPL"].proposed and "SPL" not in metrics   # the paper's own SPL
    assert [m.text for m in methods["SPL"].mentions].count("SPL") == 2
    assert "MAE" in methods and "MAE" not in metrics          # the model, not the error
    # the known sense's own long form (or a close one) keeps it
    paper = Paper("p", "T", "Agents reach 61% success weighted by inverse path length (SPL). "
                  "SPL rises.")
    metrics = _by_type(extractor.extract(paper), EntityType.METRIC)
    assert [m.text for m in metrics["SPL"].mentions][-2:] == ["SPL", "SPL"]


def test_a_known_long_form_tells_the_sense_of_a_known_short_form(extractor):
    # VG is also an alias of the Visual Genome dataset; the paper spells out a task
    paper = Paper("p", "T", "Models locate objects through the Visual Grounding (VG) task. "
                  "We fine-tune OFA pre-trained on general-purpose VG datasets.")
    ex = extractor.extract(paper)
    assert not ex.of_type(EntityType.DATASET)
    tasks = _by_type(ex, EntityType.TASK)
    assert "VG" in tasks["visual grounding"].aliases


def test_acronym_glued_to_a_letter_is_not_its_hyphenated_namesake(extractor):
    # IN-R is ImageNet-R; INR (implicit neural representation) is not
    paper = Paper("p", "T", "We fit INRs to videos and test robustness on IN-R.")
    datasets = _by_type(extractor.extract(paper), EntityType.DATASET)
    assert [m.text for m in datasets["ImageNet-R"].mentions] == ["IN-R"]


def test_definition_worded_as_earlier_work_is_not_proposed(extractor):
    paper = Paper("p", "Fourier Mixing for Vision",
                  "We propose a novel Fourier Mixing Block (FMB). The recently proposed "
                  "Kolmogorov-Arnold Network (KAN) is slow. Neural Implicit Representation "
                  "(NIR) has recently gained attention, and we propose Selective Sparse "
                  "Routing (SSR).")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["FMB"].proposed and methods["SSR"].proposed
    assert not methods["KAN"].proposed and not methods["NIR"].proposed


def test_definition_listed_as_an_example_is_not_proposed(extractor):
    paper = Paper("p", "Cyclical Reflection for Reasoning Models",
                  "We propose Cyclical Reflection Scheduling (CRS), which outperforms "
                  "recent approaches such as Thought Interruption Penalty (TIP) and "
                  "baselines, e.g., Novelty Driven Search (NDS), and iterative algorithms, "
                  "like Cyclic Coordinate Descent (CCD). It beats strong baselines, including "
                  "Rejection Fine-Tuning (RFT). Our framework has two parts, including the "
                  "Dual Attention Module (DAM).")
    methods = {a: e for e in extractor.extract(paper).of_type(EntityType.METHOD)
               for a in (e.name, *e.aliases)}
    assert methods["Cyclical Reflection Scheduling"].proposed
    listed = ("Thought Interruption Penalty", "NDS", "CCD", "RFT")
    assert set(listed) <= set(methods)
    assert not any(methods[n].proposed for n in listed)
    # "including" after a proposal cue ("our") lists the paper's own parts
    assert methods["DAM"].proposed


def test_definition_the_paper_only_uses_is_not_proposed(extractor):
    paper = Paper("p", "Spectral Networks for Point Clouds",
                  "In this paper, we introduce SpecNet, a novel network that integrates the "
                  "Short-Time Fourier Transform (STFT). SpecNet leverages the Spatial-Position "
                  "Attention Module (SPAM) and is trained by using Material Point Method (MPM) "
                  "simulations.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["SpecNet"].proposed
    assert not methods["MPM"].proposed
    # an untyped definition the paper does not introduce is no entity at all
    assert "STFT" not in methods
    assert methods["SPAM"].proposed  # a component the paper's model uses is its own


def test_learning_setting_defined_by_abbreviation_is_a_task_named_by_its_long_form(extractor):
    paper = Paper("p", "T", "We study few-shot class-incremental learning (FSCIL) on three "
                  "benchmarks. We propose Deep Boosting Learning (DBL), a framework.")
    ex = extractor.extract(paper)
    tasks, methods = _by_type(ex, EntityType.TASK), _by_type(ex, EntityType.METHOD)
    assert "FSCIL" in tasks["few-shot class-incremental learning"].aliases
    assert methods["DBL"].proposed  # a learning framework the paper introduces


def test_in_context_learning_and_model_merging_are_tasks_not_methods(extractor):
    # learning settings and problems papers study, like meta-learning and model
    # compression: the definition "In-Context Learning (ICL)" names the setting the
    # framework works in, not a method the paper proposes
    paper = Paper("p", "T", "To address this challenge, we introduce TrajICL, an "
                  "In-Context Learning (ICL) framework for pedestrian trajectory "
                  "prediction. Model merging combines fine-tuned checkpoints.")
    ex = extractor.extract(paper)
    tasks, methods = _by_type(ex, EntityType.TASK), _by_type(ex, EntityType.METHOD)
    assert "ICL" in tasks["in-context learning"].aliases
    assert "model merging" in tasks
    assert "ICL" not in methods and methods["TrajICL"].proposed


def test_known_method_is_used_not_proposed(extractor):
    paper = Paper("p", "T", "We compare with ResNet-50 and BERT on standard benchmarks.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert {"ResNet-50", "BERT"} <= set(methods)
    assert not any(m.proposed for m in methods.values())


def test_dataset_cue_pattern_finds_unknown_dataset_names(extractor):
    paper = Paper("p", "T", "We collect the ZorbSpeech dataset and evaluate on the "
                  "QwopBench and FlimFlam-7 benchmarks.")
    ds = _by_type(extractor.extract(paper), EntityType.DATASET)
    assert {"ZorbSpeech", "QwopBench", "FlimFlam-7"} <= set(ds)
    assert ds["ZorbSpeech"].mentions[0].rule == "pattern:dataset_cue"


def test_names_listed_after_benchmarks_and_a_colon_are_datasets(extractor):
    paper = Paper("p", "T", "We evaluate the framework on five challenging benchmarks: "
                  "Zorb-QA, Qwop, FLIMF, and TVQA. It features two episodic datasets: "
                  "Hamlet and a synthetic script collection.")
    ds = _by_type(extractor.extract(paper), EntityType.DATASET)
    assert {"Zorb-QA", "Qwop", "FLIMF", "TVQA", "Hamlet"} <= set(ds)
    assert ds["Qwop"].mentions[0].rule == "pattern:dataset_colon_list"


def test_names_after_datasets_such_as_or_including_are_datasets(extractor):
    paper = Paper("p", "Qwopless: Learning When to Stop",
                  "We propose Qwopless, a framework. On several benchmarks such as Zorb "
                  "Algebra, FLIM-500, and QwopQA, Qwopless reduces the cost by 50%. "
                  "Experiments on datasets including Flimset-LT and GoodsZB show gains, "
                  "and on benchmarks like ZorbVid.")
    ex = extractor.extract(paper)
    ds, methods = _by_type(ex, EntityType.DATASET), _by_type(ex, EntityType.METHOD)
    assert {"Zorb Algebra", "FLIM-500", "QwopQA", "Flimset-LT", "GoodsZB", "ZorbVid"} <= set(ds)
    assert ds["FLIM-500"].mentions[0].rule == "pattern:dataset_such_as"
    assert ds["GoodsZB"].mentions[0].rule == "pattern:dataset_including"
    assert ds["ZorbVid"].mentions[0].rule == "pattern:dataset_like"
    # the list ends at the name after its last "and": the subject after it is no dataset
    assert "Qwopless" not in ds and methods["Qwopless"].proposed


def test_names_after_methods_such_as_or_including_are_methods(extractor):
    # unknown names listed after a plural method noun, alone or next to known ones
    paper = Paper("p", "A study of image super-resolution",
                  "Compared to state-of-the-art methods, e.g. ShuffleMixer, our model is "
                  "faster. We prune architectures such as VGG, ResNet, DenseNet and "
                  "StackedUnets. Diffusion models beat generative methods such as BigBiGAN. "
                  "We train baselines including QwopNet and LLMs (e.g., ZorbLM-7B).")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert {"ShuffleMixer", "StackedUnets", "BigBiGAN", "QwopNet", "ZorbLM-7B"} <= set(methods)
    assert methods["BigBiGAN"].mentions[0].rule == "pattern:method_such_as"
    assert methods["ZorbLM-7B"].mentions[0].rule == "pattern:method_for_example"
    assert not any(m.proposed for m in methods.values())


def test_a_name_right_after_the_noun_dataset_or_benchmark_is_a_dataset(extractor):
    paper = Paper("p", "Zorb: Scientific Claim Verification",
                  "On the authoritative medical benchmark Qwopbench, our method yields gains. "
                  "We build the underwater dataset FlimSet-10K with 800K images and reach "
                  "on the public dataset VidQO, 45.13%@full and 62.78%@rare. On the benchmarks "
                  "ZorbQA, FlimEval and QwopMath are good. We introduce a new benchmark "
                  "Zorb accompanied by diagnostic tasks.")
    ex = extractor.extract(paper)
    datasets = _by_type(ex, EntityType.DATASET)
    assert {"Qwopbench", "FlimSet-10K", "VidQO", "ZorbQA", "FlimEval", "QwopMath",
            "Zorb"} == set(datasets)
    assert datasets["Qwopbench"].mentions[0].rule == "pattern:dataset_head_name"
    # the title's name is the benchmark the text introduces, not a method
    assert datasets["Zorb"].proposed and "Zorb" not in _by_type(ex, EntityType.METHOD)


@pytest.mark.parametrize("abstract", [
    "We benchmark QwopNet against strong baselines.",
    "This paper benchmarks ZorbLM-7B on reasoning.",
    "Our model beats the benchmark QwopNet methods on the benchmark FLIM dataset.",
])
def test_benchmark_as_a_verb_or_a_modifier_names_no_dataset(extractor, abstract):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert not any(m.rule == "pattern:dataset_head_name"
                   for e in ex.entities for m in e.mentions)


def test_a_name_with_and_inside_does_not_end_a_list(extractor):
    paper = Paper("p", "T", "Experiments on challenging benchmarks, including Tanks and "
                  "Temples, Zorbfree, and Qwophike, demonstrate that it works.")
    assert {"Tanks and Temples", "Zorbfree", "Qwophike"} <= set(
        _by_type(extractor.extract(paper), EntityType.DATASET))


def test_devices_and_data_properties_defined_in_a_proposal_are_no_methods(extractor):
    paper = Paper("p", "A study",
                  "We propose QwopNet, a framework that tracks wildlife onboard unmanned "
                  "aerial vehicles (UAVs), caches key-value (KV) pairs and stays robust "
                  "out-of-distribution (OOD). We present Zorb, a detector for synthetic "
                  "aperture radar (SAR) images; SAR ships are small.")
    ex = extractor.extract(paper)
    names = {e.name for e in ex.entities}
    assert {"QwopNet", "Zorb"} <= {e.name for e in ex.of_type(EntityType.METHOD) if e.proposed}
    # not methods, and SAR is not the source-separation metric the gazetteer knows
    assert not {"UAV", "KV", "OOD", "SAR", "key-value"} & names


def test_a_kind_of_study_is_no_task(extractor):
    paper = Paper("p", "Zorb Merging for Speech Recognition: A Comparative Analysis",
                  "We present an empirical analysis of merging, a large-scale systematic "
                  "evaluation and a study of time series analysis.")
    tasks = set(_by_type(extractor.extract(paper), EntityType.TASK))
    assert {"speech recognition", "time series analysis"} <= {t.lower() for t in tasks}
    assert not {"Comparative Analysis", "empirical analysis",
                "large-scale systematic evaluation"} & tasks


def test_phrases_listed_after_tasks_such_as_are_tasks(extractor):
    paper = Paper("p", "T", "We evaluate on surgical tasks such as zorbic phase recognition, "
                  "qwop-tool segmentation and task progress estimation. Other tasks (e.g., "
                  "flimflam judgment prediction) remain hard. It covers three tasks: floorplan "
                  "synthesis, generating code and zorb captioning.")
    ex = extractor.extract(paper)
    tasks = _by_type(ex, EntityType.TASK)
    assert {"zorbic phase recognition", "qwop-tool segmentation", "task progress estimation",
            "flimflam judgment prediction", "floorplan synthesis"} <= set(tasks)
    assert tasks["floorplan synthesis"].mentions[0].rule == "pattern:task_list"
    # the list ends at an item that is no task phrase
    assert "zorb captioning" not in tasks


@pytest.mark.parametrize("abstract, found, rule, absent", [
    # Title Case items; an item ending in no task head, or written half in Title
    # Case, is none; after a hyphen a Title Case item goes on either way
    ("It helps on tasks such as Zorbic Tumor Classification, Qwop Judgment Prediction "
     "or Flimflam Grading. Two tasks: Blarg captioning and Wug detection. Tasks such as "
     "Instruction-Oriented Zorb Counting and Multi-document Qwop Summarization remain.",
     {"Zorbic Tumor Classification", "Qwop Judgment Prediction",
      "Instruction-Oriented Zorb Counting", "Multi-document Qwop Summarization"},
     "pattern:task_list", {"Flimflam Grading", "Blarg captioning", "Wug detection"}),
    # "the task of"; a shortcoming is no task, nor is a phrase with a determiner inside
    ("We study the task of zorbic amodal completion and the problem of flimflam wire "
     "detection. Models suffer from the problem of insufficient reasoning. It is the "
     "task of the design generation.",
     {"zorbic amodal completion", "flimflam wire detection"}, "pattern:task_of",
     {"insufficient reasoning", "reasoning", "design generation"}),
])
def test_what_a_text_calls_a_task_is_one(extractor, abstract, found, rule, absent):
    tasks = _by_type(extractor.extract(Paper("p", "T", abstract)), EntityType.TASK)
    assert found <= set(tasks)
    assert {tasks[name].mentions[0].rule for name in found} == {rule}
    assert not absent & set(tasks)


def test_a_word_ending_in_bench_names_a_benchmark(extractor):
    paper = Paper("p", "QwopBench: Evaluating LLMs on Spatial Puzzles",
                  "We introduce QwopBench. Baselines surpass others on ZorbBench and "
                  "Flim-bench, and TransFlim-Bench-101 ranks them. A Bench press is no name.")
    ex = extractor.extract(paper)
    datasets = _by_type(ex, EntityType.DATASET)
    assert set(datasets) == {"QwopBench", "ZorbBench", "Flim-bench", "TransFlim-Bench-101"}
    assert datasets["QwopBench"].proposed
    assert {e.name for e in ex.of_type(EntityType.METHOD)} == {"LLM"}
    paper = Paper("p", "T", "We propose Visual Quop Benchmark, which tests counting.")
    assert "Visual Quop Benchmark" in _by_type(extractor.extract(paper), EntityType.DATASET)
    paper = Paper("p", "Quop Lockbox Dataset: Behavior Recognition for Mice",
                  "We introduce an advanced corpus for Nepali, called the Zorbic Corpus.")
    datasets = _by_type(extractor.extract(paper), EntityType.DATASET)
    assert {"Zorbic Corpus", "Quop Lockbox Dataset"} <= set(datasets)
    assert datasets["Zorbic Corpus"].proposed and datasets["Quop Lockbox Dataset"].proposed


def test_a_capitalised_word_opening_a_list_item_is_no_name(extractor):
    # "(i) Current benchmarks" is capitalised as a sentence start is; a name that goes
    # on past its first word keeps it
    ex = extractor.extract(Paper("p", "T", (
        "We observe: (i) Current benchmarks are noisy, and (ii) Proprietary models "
        "outperform open ones. Our model has two parts: (1) Weather Fusion Encoder, "
        "which fuses streams, and 2) Cross-Attention module.")))
    names = {e.name for e in ex.entities}
    assert {"Weather Fusion Encoder", "Cross-Attention"} <= names
    assert not names & {"Current", "Proprietary"}


def test_a_name_after_called_the_is_the_papers_own(extractor):
    # "called a/the X", "termed the X": the article does not hide the name
    assert _proposed(extractor, "We introduce a hooking layer, called a LinearQuop, which "
                     "runs the network. We propose a novel framework, termed the tnZorb, "
                     "which works. We adopt models, namely the Decision Transformer (DT), "
                     "to bid.") == {"LinearQuop", "tnZorb"}


@pytest.mark.parametrize("abstract, name, proposed", [
    ("To benchmark it, we construct the Unified Spatio-Temporal Grounding (Uni-STG) "
     "dataset, comprising 480K instances.", "Uni-STG", True),
    ("We introduce the FoggyLane dataset, captured in real-world foggy scenes.",
     "FoggyLane", True),
    ("We use the recently released FoggyLane dataset.", "FoggyLane", False),
    ("We created a model trained on the FoggyLane dataset.", "FoggyLane", False),
    ("Here, the FoggyLane dataset was constructed by others.", "FoggyLane", False),
])
def test_a_dataset_the_paper_makes_is_proposed(extractor, abstract, name, proposed):
    datasets = _by_type(extractor.extract(Paper("p", "T", abstract)), EntityType.DATASET)
    assert datasets[name].proposed is proposed


def test_generic_metric_word_needs_evidence(extractor):
    without = extractor.extract(Paper("p", "T", "The network parameters are shared."))
    assert not without.of_type(EntityType.METRIC)
    with_ = extractor.extract(Paper("p", "T", "It needs 40% fewer parameters."))
    assert "parameters" in {e.name.lower() for e in with_.of_type(EntityType.METRIC)}
    # an alias of an everyday metric needs the same evidence as the word itself
    alias = extractor.extract(Paper("p", "T", "Models with a huge number of parameters "
                                    "are hard to deploy. Ours has fewer model parameters."))
    [metric] = alias.of_type(EntityType.METRIC)
    assert [m.text for m in metric.mentions] == ["model parameters"]
    # "FLOPS" written for the count of operations is FLOPs
    flops = extractor.extract(Paper("p", "T", "It needs 9 billion fewer FLOPS than NASNet."))
    assert [e.name for e in flops.of_type(EntityType.METRIC)] == ["FLOPs"]


def test_metric_word_naming_part_of_something_else_is_not_a_metric(extractor):
    paper = Paper("p", "T", "Larger memory banks improve results by 2%, and we reduce "
                  "memory by 40%. It runs 3x faster.")
    metrics = {e.name: e for e in extractor.extract(paper).of_type(EntityType.METRIC)}
    assert [m.text for m in metrics["memory footprint"].mentions] == ["memory"]
    assert "speedup" not in metrics  # "faster" compares, it names no measure


def test_dimensions_and_metrics_built_on_a_name_are_not_entities(extractor):
    paper = Paper("p", "T", "We combine human evaluation with 3D metrics on 2D and 3D "
                  "datasets. LLM-based metrics and FID-like scores fall short.")
    names = {e.name for e in extractor.extract(paper).entities}
    assert not names & {"2D", "3D", "LLM-based", "FID-like"}
    assert "LLM" not in {e.name for e in extractor.extract(paper).of_type(EntityType.METRIC)}
    paper = Paper("p", "T", "We study 3D object detection with a 3D-UNet.")
    names = {e.name for e in extractor.extract(paper).entities}
    assert "3D object detection" in names   # a dimension still modifies a task


def test_name_that_scores_a_number_is_not_a_metric(extractor):
    paper = Paper("p", "T", "ScholarCopilot scores 16.2/25 in generation quality, and we "
                  "introduce the CLEART score, an automated metric.")
    metrics = {e.name for e in extractor.extract(paper).of_type(EntityType.METRIC)}
    assert "CLEART" in metrics and "ScholarCopilot" not in metrics   # "scores" the verb


def test_capitalised_score_word_ends_a_metric_name(extractor):
    paper = Paper("p", "T", "We validate it via Generative Adversarial Metric and a "
                  "human study.")
    metrics = {e.name for e in extractor.extract(paper).of_type(EntityType.METRIC)}
    assert "Generative Adversarial Metric" in metrics


def test_repository_urls_are_normalised_and_other_links_kept(extractor):
    paper = Paper("p", "T", "Code is at https://github.com/thunil/TecoGAN.git. and the "
                  "project page https://ge.in.tum.de/publications/2019-tecogan-chu/ has more.")
    ex = extractor.extract(paper)
    repos = [e.name for e in ex.of_type(EntityType.REPOSITORY)]
    urls = [e.name for e in ex.of_type(EntityType.URL)]
    assert repos == ["https://github.com/thunil/TecoGAN"]
    assert urls == ["https://ge.in.tum.de/publications/2019-tecogan-chu"]


def test_lexicon_names_match_with_any_mix_of_hyphens_and_spaces(extractor):
    paper = Paper("p", "T", "Downstream tasks include text-video retrieval and "
                  "video-question answering.")
    tasks = {e.name for e in extractor.extract(paper).of_type(EntityType.TASK)}
    assert "video question answering" in tasks


def test_lexicon_names_match_in_british_spelling(extractor):
    paper = Paper("p", "T", "We study domain generalisation (DG) with batch normalisation "
                  "layers, and a model that prizes size.")
    ex = extractor.extract(paper)
    tasks = {e.name: e for e in ex.of_type(EntityType.TASK)}
    assert "domain generalization" in tasks
    assert "DG" in tasks["domain generalization"].aliases
    assert "Batch Normalization" in {e.name for e in ex.of_type(EntityType.METHOD)}


def test_vector_quantization_is_a_method_not_model_quantization(extractor):
    paper = Paper("p", "T", "We discretise latents with vector quantization (VQ) and "
                  "product quantization. Separately, we apply post-training quantization "
                  "to the decoder.")
    ex = extractor.extract(paper)
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert {"Vector Quantization", "Product Quantization"} <= set(methods)
    assert "VQ" in methods["Vector Quantization"].aliases
    # the mentions of the quantization task are the ones that name it
    task = next(e for e in ex.of_type(EntityType.TASK) if e.name == "model quantization")
    assert [m.text for m in task.mentions] == ["post-training quantization"]


def test_metric_variants_named_by_a_lower_case_prefix_are_their_own_metrics(extractor):
    paper = Paper("p", "T", "Our tokenizer reaches a gFID of 1.52 and a reconstruction FID of "
                  "0.50 on ImageNet, and 71.2 cIoU and 70.3 gIoU on RefCOCO, with a lower "
                  "nMSE than FID-guided baselines.")
    metrics = {e.name: e for e in extractor.extract(paper).of_type(EntityType.METRIC)}
    assert {"gFID", "rFID", "cIoU", "gIoU", "NMSE"} <= set(metrics)
    # generation and reconstruction FID are reported as separate numbers, not as FID
    assert "reconstruction FID" in metrics["rFID"].aliases


def test_learning_setting_after_for_is_a_task_but_not_in_a_title_name(extractor):
    paper = Paper("p", "Iterative Soft Shrinkage Learning for Efficient Image Super-Resolution",
                  "A loss function for weakly supervised learning, and a benchmark for "
                  "solving video recognition.")
    tasks = {e.name.lower() for e in extractor.extract(paper).of_type(EntityType.TASK)}
    assert "weakly supervised learning" in tasks
    assert not any("shrinkage" in t for t in tasks)   # the title's name of the method
    assert "solving video recognition" not in tasks


def test_state_space_models_and_codecs_are_known_methods(extractor):
    paper = Paper("p", "T", "We compare Mamba, S4 and RWKV, and code the outputs with "
                  "H.265/HEVC and JPEG 2000.")
    methods = {e.name for e in extractor.extract(paper).of_type(EntityType.METHOD)}
    assert {"Mamba", "S4", "RWKV", "H.265", "JPEG 2000"} <= methods


def test_task_phrase_after_for(extractor):
    paper = Paper("p", "T", "A recurrent model for video super-resolution and frame "
                  "interpolation tasks.")
    tasks = {e.key for e in extractor.extract(paper).of_type(EntityType.TASK)}
    assert "videosuperresolution" in tasks


def test_extract_many_streams_in_input_order(extractor):
    papers = [Paper(str(i), f"Paper {i}", f"We evaluate on COCO {i}.") for i in range(5)]
    out = list(extractor.extract_many(iter(papers), batch_size=2))
    assert [e.paper.id for e in out] == ["0", "1", "2", "3", "4"]


def test_empty_and_unicode_texts_do_not_break_extraction(extractor):
    for text in ["", "   ", "Ünïcödé ✓ 🚀 مرحبا (x)", "((((", "a" * 5000]:
        ex = extractor.extract(Paper("p", "T", text))
        for ent in ex.entities:
            for m in ent.mentions:
                assert ex.paper.text[m.start:m.end] == m.text


def test_user_lexicon_tsv_extends_the_gazetteer(tmp_path):
    lex = tmp_path / "astro.tsv"
    lex.write_text("name\ttype\taliases\nGaia DR3\tdataset\tGDR3\nQuasarNet\tmethod\t\n",
                   encoding="utf-8")
    ex = Extractor([str(lex)]).extract(Paper("p", "T", "QuasarNet is trained on GDR3 spectra."))
    assert "Gaia DR3" in _by_type(ex, EntityType.DATASET)
    assert "QuasarNet" in _by_type(ex, EntityType.METHOD)


def test_user_lexicon_jsonl_and_bad_lines(tmp_path):
    good = tmp_path / "lex.jsonl"
    good.write_text(json.dumps({"name": "Gaia DR3", "type": "dataset", "aliases": ["GDR3"]})
                    + "\n", encoding="utf-8")
    assert load_gazetteer(good)[0].aliases == ("GDR3",)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"name": "X", "type": "dataset"}\n{"name": "Y", "type": "galaxy"}\n',
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_gazetteer(bad)
    assert err.value.line == 2 and "galaxy" in str(err.value)
    with pytest.raises(InputError):
        load_gazetteer(tmp_path / "missing.tsv")


def test_builtin_gazetteers_load_with_every_type():
    gaz = builtin_gazetteer()
    types = {e.type for e in gaz}
    assert types == {EntityType.DATASET, EntityType.METRIC, EntityType.METHOD, EntityType.TASK}
    assert gaz.lookup("ms-coco", EntityType.DATASET).name == "COCO"


def test_no_form_names_two_builtin_entries_of_one_type():
    # the index keeps a form's first entry, so a second entry with that form would be
    # reachable only by chance of span order ("WOMD" as Waymo Open Dataset and as
    # Waymo Open Motion Dataset)
    owners: dict[tuple[EntityType, str], set[str]] = {}
    for entry in builtin_gazetteer():
        for form in entry.forms:
            owners.setdefault((entry.type, canonical_key(form)), set()).add(entry.source)
    shared = {key: sorted(srcs) for key, srcs in owners.items() if len(srcs) > 1}
    assert shared == {}


def test_a_common_word_name_in_a_title_case_title_needs_the_abstract(extractor):
    weather = Paper("p", "Robust LiDAR Segmentation in Adverse Weather",
                    "Adverse weather corrupts point clouds. We evaluate on SemanticKITTI.")
    names = {e.name for e in extractor.extract(weather).entities}
    assert "SemanticKITTI" in names and "Weather" not in names
    named = Paper("p", "Long-Term Forecasting on Weather and Traffic",
                  "Experiments on ETTh1, Weather and Traffic show lower MSE.")
    datasets = {e.name for e in extractor.extract(named).of_type(EntityType.DATASET)}
    assert {"Weather", "Traffic", "ETTh1"} <= datasets


def test_context_rules_load_and_compile():
    rules = load_rules()
    assert {"dataset_cue", "proposal", "metric_in_terms_of"} <= {r.id for r in rules}
    assert all(r.entity_elements for r in rules)
    with pytest.raises(ValueError, match="context.jsonl:1"):
        load_rules('{"id": "x"}', "context.jsonl")
    from kgraph.extract.patterns import ContextMatcher
    ContextMatcher(spacy.blank("en"), rules)


@pytest.mark.parametrize("word,expected", [
    ("TecoGAN", True), ("ResNet-101", True), ("K400", True), ("model", False),
    ("GPUs", False), ("Bayesian", False), ("x", False), ("241k", False), ("1.5B", False),
])
def test_name_shapes(word, expected):
    assert is_name_shaped(word) is expected


def test_a_count_with_a_magnitude_is_no_name_but_a_model_size_joins_its_name(extractor):
    paper = Paper("p", "A study", "When pretrained on 241k images from COCO with 1.5B "
                  "parameters, our model beats Llama-2-7B, Qwen2.5-7B-Instruct and LLaMA 7B.")
    ex = extractor.extract(paper)
    names = {e.name for e in ex.entities}
    assert not {"241k", "1.5B"} & names
    assert "COCO" in names
    aliases = {a for e in ex.of_type(EntityType.METHOD) for a in (e.name, *e.aliases)}
    assert {"Llama-2-7B", "Qwen2.5-7B", "LLaMA 7B"} <= aliases


def test_abbreviation_spelled_by_the_title_is_proposed(extractor):
    paper = Paper("p", "Zesty Mean Networks for Continual Test-Time Adaptation",
                  "The zesty mean network (ZMN) uses a symmetric cross-entropy loss.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["ZMN"].proposed


def test_a_defined_family_or_training_paradigm_is_not_proposed(extractor):
    paper = Paper("p", "Steering Diffusion Models with Rewards",
                  "Diffusion models (DMs) generate images. We fine-tune them with "
                  "supervised fine-tuning (SFT) and reinforcement learning (RL), and we "
                  "design a Reward Steering Module (RSM).")
    ex = extractor.extract(paper)
    methods = _by_type(ex, EntityType.METHOD)
    assert "diffusion models" in {a.lower() for a in methods["DMs"].aliases}
    assert not methods["DMs"].proposed and not methods["SFT"].proposed
    assert {e.name for e in ex.entities if e.proposed} == {"RSM"}


@pytest.mark.parametrize("title, abstract, own, absent", [
    # a lower-case plural long form names a class of models
    ("Forgery Detection", "Forged images spread via online social networks (OSN). Fine-tuned "
     "clinical large language models (cLLMs) help. Our key innovation is a Pairwise Channel "
     "Mixer (PCM).", "PCM", set()),
    # a task head after the short form: the pair is what the task works on
    ("Clinical text", "Our solution reaches a 96% F1-score in protected health information "
     "(PHI) detection. We propose a Dual Fusion Layer (DFL).", "DFL", {"PHI"}),
    # definitions before the paper starts presenting its work are background
    ("Post-hoc concept bottlenecks", "Concept bottleneck models (CBM) aim to produce "
     "interpretable predictions. Multi-Head Attention (MHA) plays a crucial role. In this "
     "paper, we present a post-hoc method that adds a Concept Fusion Layer (CFL) to MHA.", "CFL",
     set()),
])
def test_only_the_papers_own_definition_is_proposed(extractor, title, abstract, own, absent):
    ex = extractor.extract(Paper("p", title, abstract))
    assert {e.name for e in ex.entities if e.proposed} == {own}
    assert not absent & {e.name for e in ex.entities}


def test_coined_names_coordinated_after_a_proposal_verb_are_proposed(extractor):
    paper = Paper("p", "A study", "We introduce TokenAdapt and ColorAdapt to adapt tokens. "
                  "We propose DiffX and Spatial Local Disturbance for videos.")
    proposed = {e.name for e in extractor.extract(paper).entities if e.proposed}
    assert {"TokenAdapt", "ColorAdapt", "DiffX"} <= proposed
    assert not any("Disturbance" in n for n in proposed)


def test_variant_of_a_proposed_method_is_proposed(extractor):
    paper = Paper("p", "DiMR: Multi-Resolution Diffusion",
                  "We propose DiMR. Our largest model DiMR-XL achieves an FID of 1.7.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["DiMR"].proposed and methods["DiMR-XL"].proposed



@pytest.mark.parametrize("variant", ["QFNet-23-slim", "QFNet-XL"])
def test_variant_of_a_proposed_method_named_in_the_plural_is_proposed(extractor, variant):
    paper = Paper("p", "Fast Segmentation of Road Scenes",
                  "The proposed quick fusion networks (QFNets) have two branches. "
                  f"On one GPU, {variant} yields 75.1% mIoU on Cityscapes.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["QFNet"].proposed and methods[variant].proposed


def test_parameter_count_glued_to_a_new_name_is_a_variant(extractor):
    paper = Paper("p", "Pre-Trained Policy Discriminators are General Reward Models",
                  "We propose a scalable pre-training method named Policy Discriminative "
                  "Learning (POLAR). For instance, POLAR-7B could improve preference accuracy "
                  "from 54.8% to 81.0%. Its data POLAR-25K has 25K pairs and helps "
                  "Qianfan-POLAR-8B too. Code: see anonymous/POLAR-5714.")
    methods = _by_type(extractor.extract(paper), EntityType.METHOD)
    assert methods["POLAR-7B"].proposed
    # a dataset size, the end of a longer name and a URL's path are not variants
    assert not {"POLAR-25K", "POLAR-8B", "POLAR-5714"} & set(methods)


def test_a_language_before_dataset_is_no_dataset_but_a_name_with_one_is(extractor):
    paper = Paper("p", "A study of Low-Resource Languages",
                  "We build a Persian-language benchmark and report results on the "
                  "Vietnamese dataset and the Swedish Leaf dataset. Our Teacher Weight "
                  "Integration (TWI) helps on Urdu-English pairs.")
    names = {e.name: e.type for e in extractor.extract(paper).entities}
    assert not {"Persian-language", "Vietnamese", "Urdu-English"} & set(names)
    assert names["Swedish Leaf"] is EntityType.DATASET
    assert names["TWI"] is EntityType.METHOD
