"""The candidate-refinement rules (kgraph/extract/refine.py) through the real extractor."""

from __future__ import annotations

import pytest

from kgraph.extract import Extractor
from kgraph.extract.refine import expand_list
from kgraph.model import EntityType, Paper


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _names(extractor, abstract, etype, title="A study"):
    ex = extractor.extract(Paper("p", title, abstract))
    return {e.name for e in ex.of_type(etype)}


def _entity(extractor, abstract, etype, name, title="A study"):
    ex = extractor.extract(Paper("p", title, abstract))
    return next(e for e in ex.of_type(etype) if e.name == name)


def test_versions_glued_to_a_known_dataset_are_other_datasets(extractor):
    names = _names(extractor, "We validate our method on neuromorphic datasets, including "
                   "N-Caltech101 and N-Omniglot, and on Tiny-ImageNet-R and Ego4D-NLQ.",
                   EntityType.DATASET)
    assert {"N-Caltech101", "N-Omniglot", "Ego4D-NLQ", "Tiny-ImageNet-R"} <= names
    assert not names & {"Caltech-101", "Omniglot", "Ego4D", "ImageNet"}


def test_lower_case_words_after_a_hyphen_are_not_versions(extractor):
    names = _names(extractor, "We train an ImageNet-style classifier and report results on "
                   "the COCO dataset.", EntityType.DATASET)
    assert "ImageNet-style" not in names


def test_image_sizes_name_downsampled_benchmarks(extractor):
    names = _names(extractor, "We set new FID records on ImageNet 256 x 256 and ImageNet "
                   "512x512, and on ImageNet 64 with only 19 steps.", EntityType.DATASET)
    assert {"ImageNet 256x256", "ImageNet 512x512", "ImageNet 64x64"} <= names
    coordinated = _names(extractor, "Compared to prior models on ImageNet 256x256 and 512x512, "
                         "our model is faster.", EntityType.DATASET)
    assert {"ImageNet 256x256", "ImageNet 512x512"} <= coordinated


def test_version_lists_yield_one_dataset_per_version(extractor):
    names = _names(extractor, "Our model achieves state-of-the-art results on WSJ0-2/3mix "
                   "and on UVG8/17 video sequence benchmarks, and on CIFAR10&100.",
                   EntityType.DATASET)
    assert {"WSJ0-2mix", "WSJ0-3mix", "CIFAR-10", "CIFAR-100"} <= names
    assert "WSJ0-2/3mix" not in names


def test_a_plain_word_opening_a_title_case_compound_is_no_name(extractor):
    # "Text-based Person Retrieval": "Text" opens a longer name; "Retinex-based
    # methods" and "a Python-based tool" name what they build on
    names = _names(extractor, "We study Text-based Person Retrieval with a Query-based "
                   "Connector. Unlike Retinex-based methods, we use a Quopnet-based "
                   "tracker and Graph-Based Intent-Semantic Joint Learning.",
                   EntityType.METHOD)
    assert {"Retinex", "Quopnet"} <= names
    assert not names & {"Text", "Query", "Graph"}


def test_plain_words_joined_by_an_ampersand_are_one_name(extractor):
    names = _names(extractor, "We introduce the Who&When dataset and also test on the "
                   "Drive&Act benchmark and on CIFAR10&100.", EntityType.DATASET)
    assert {"Who&When", "Drive&Act", "CIFAR-10", "CIFAR-100"} <= names
    assert not names & {"Who", "When", "Drive", "DRIVE", "Act"}


@pytest.mark.parametrize("text, expected", [
    ("WSJ0-2/3mix", ["WSJ0-2mix", "WSJ0-3mix"]),
    ("Kinetics-400/600/700", ["Kinetics-400", "Kinetics-600", "Kinetics-700"]),
    ("Something-Something V1/V2", ["Something-Something V1", "Something-Something V2"]),
    ("UVG8/17", ["UVG8", "UVG17"]),
    ("WHAM!/WHAMR!", ["WHAM!", "WHAMR!"]),
    ("Tanks&Temples", []),
    ("MNIST/Fashion", ["MNIST", "Fashion"]),
    ("ViT", []),
    ("a/b", []),
])
def test_expand_list(text, expected):
    assert expand_list(text) == expected


def test_task_spans_grow_over_setting_and_modality_words(extractor):
    names = _names(extractor, "We study unsupervised video representation learning and "
                   "few-shot class-incremental learning.", EntityType.TASK)
    assert "unsupervised video representation learning" in {n.lower() for n in names}
    assert "few-shot class-incremental learning" in {n.lower() for n in names}
    assert "representation learning" not in {n.lower() for n in names}


@pytest.mark.parametrize("abstract, grown, absent", [
    # source-domain and subject settings
    ("We address single-source domain generalization for hyperspectral images, "
     "multi-source domain adaptation and cross-subject emotion recognition.",
     {"single-source domain generalization", "multi-source domain adaptation",
      "cross-subject emotion recognition"},
     {"domain generalization", "domain adaptation", "emotion recognition"}),
    # a hyphenated word whose parts are all modifiers; "quality" is none
    ("We study vision-language representation learning, real-time semantic segmentation "
     "and image-to-video generation, not the quality-aware segmentation.",
     {"vision-language representation learning", "real-time semantic segmentation",
      "image-to-video generation"},
     {"representation learning", "quality-aware segmentation"}),
    # the input a task is based on; a technique before "-based" or "-guided" is no input
    ("We study event-based optical flow estimation, audio-driven talking head generation "
     "and skeleton-based action recognition with a flow-based image editing model and "
     "semantic-guided super-resolution.",
     {"event-based optical flow estimation", "audio-driven talking head generation",
      "skeleton-based action recognition", "image editing", "super-resolution"},
     {"optical flow estimation", "flow-based image editing",
      "semantic-guided super-resolution"}),
], ids=["settings", "hyphenated-pairs", "inputs"])
def test_task_spans_grow_over_their_modifiers(extractor, abstract, grown, absent):
    names = {n.lower() for n in _names(extractor, abstract, EntityType.TASK)}
    assert grown <= names
    assert not names & absent


@pytest.mark.parametrize("abstract, present, absent", [
    # another operation's head after the compound names another task
    ("We study parameter-efficient image-to-video adaptation, text-to-motion retrieval "
     "and text-to-3D editing.",
     set(), {"image-to-video generation", "human motion generation", "text-to-3D generation"}),
    # the entry's own head, one of its operation, or none follows
    ("We test text-to-speech generation, sim-to-real adaptation and image-to-video models.",
     {"speech synthesis", "sim-to-real transfer", "image-to-video generation"}, set()),
    # the entry's own head coordinated with the other one
    ("It gives the best text-to-motion retrieval and generation results.",
     {"human motion generation"}, set()),
    # an entry without a form that has a head
    ("We study text-to-SQL parsing.", {"text-to-sql"}, set()),
    # written with spaces after "from": a prepositional phrase; elsewhere the task
    ("We adapt it from image to video domain and from 2D image to 3D avatar. "
     "It helps translation, text to speech, and summarization.",
     {"speech synthesis"}, {"image-to-video generation", "image-to-3d generation"}),
], ids=["other-head", "own-head", "coordinated", "no-head", "from"])
def test_an_x_to_y_alias_names_its_task_only_without_another_head(extractor, abstract,
                                                                   present, absent):
    names = {n.lower() for n in _names(extractor, abstract, EntityType.TASK)}
    assert {n.lower() for n in present} <= names
    assert not names & {n.lower() for n in absent}


@pytest.mark.parametrize("title, abstract, present, absent", [
    # one or two words after the short form complete a known task's name
    ("A study", "Models struggle on multivariate time series (TS) data. We study TS "
     "forecasting and TS anomaly detection.",
     {"time series forecasting", "time series anomaly detection"}, set()),
    # the short form is used before its definition too
    ("Better MGT detection with LLMs",
     "Detecting machine-generated text (MGT) matters.",
     {"machine-generated text detection"}, set()),
    # in a Title Case title
    ("Robust TS Forecasting", "We model multivariate time series (TS) data.",
     {"time series forecasting"}, set()),
    # no task: the long form and the words after the short form name none
    ("A study", "We model time series (TS) data. TS models are hard to train.",
     set(), {"time series models", "time series"}),
], ids=["after", "before-definition", "title-case", "none"])
def test_a_defined_short_form_before_the_rest_of_a_task_name_is_that_task(
        extractor, title, abstract, present, absent):
    names = {n.lower() for n in _names(extractor, abstract, EntityType.TASK, title=title)}
    assert present <= names
    assert not names & absent


def test_a_definition_inside_a_task_name_is_part_of_it(extractor):
    task = _entity(extractor, "We study time series (TS) forecasting.", EntityType.TASK,
                   "time series forecasting")
    assert [m.text for m in task.mentions] == ["time series (TS) forecasting"]
    # a long form that is a task already keeps its short form
    abstract = ("Recent advances in text-to-audio (TTA) generation excel. We integrate "
                "LLMs with TTA systems.")
    tasks = {e.name: e for e in extractor.extract(Paper("p", "A study", abstract))
             .of_type(EntityType.TASK)}
    assert set(tasks) == {"text-to-audio generation"}
    assert "TTA" in {m.text for m in tasks["text-to-audio generation"].mentions}


def test_the_naming_verb_before_a_title_case_task_is_no_modifier(extractor):
    names = {n.lower() for n in _names(
        extractor, "In this work, we introduce a new task named Multimodal Reference Visual "
        "Grounding (MRVG). It differs from named entity recognition.", EntityType.TASK)}
    assert "multimodal reference visual grounding" in names
    assert "named entity recognition" in names
    assert not any(n.startswith("named multimodal") for n in names)


def test_an_evaluative_or_counting_word_does_not_join_a_task(extractor):
    names = {n.lower() for n in _names(
        extractor, "We present a novel masked image modeling approach for multiple video "
        "recognition tasks, multiple instance learning and novel view synthesis.",
        EntityType.TASK)}
    assert {"masked image modeling", "video recognition"} <= names
    assert not any(n.startswith(("novel m", "multiple v")) for n in names)
    # fixed names that start with such a word are gazetteer entries
    assert {"multiple instance learning", "novel view synthesis"} <= names


def test_an_adjective_of_manner_or_shortcoming_opens_no_task(extractor):
    names = {n.lower() for n in _names(
        extractor, "It allows for successful zorb transfer and for systematic qwop "
        "analysis, and it avoids the problem of insufficient flimflam reasoning.",
        EntityType.TASK)}
    assert not any(n.startswith(("successful", "systematic", "insufficient"))
                   for n in names)


@pytest.mark.parametrize("abstract, task, absent", [
    ("Existing benchmarks for evaluating video understanding are small.",
     "video understanding", "evaluating video understanding"),
    ("We add a decoder for enhanced feature extraction.", "feature extraction",
     "enhanced feature extraction"),
    ("Tools for assessing multimodal reasoning are scarce.", "multimodal reasoning",
     "assessing multimodal reasoning"),
    # a verb whose object is the task
    ("Few systems exist for deploying pose generation on phones.", "pose generation",
     "deploying pose generation"),
    ("We release a benchmark for diagnosing multimodal reasoning.", "multimodal reasoning",
     "diagnosing multimodal reasoning"),
])
def test_a_purpose_word_before_a_task_is_no_part_of_it(extractor, abstract, task, absent):
    names = {n.lower() for n in _names(extractor, abstract, EntityType.TASK)}
    assert task in names
    assert absent not in names


def test_a_purpose_word_before_a_bare_task_head_leaves_no_task(extractor):
    names = {n.lower() for n in _names(
        extractor, "We route tokens for enhanced reasoning and for optimal segmentation.",
        EntityType.TASK)}
    assert not any(n.startswith(("enhanced", "optimal")) for n in names)


def test_a_verb_before_its_preposition_or_a_noun_before_and_opens_no_stripped_task(
        extractor):
    names = {n.lower() for n in _names(
        extractor, "We train a router for choosing between reasoning modes. However, "
        "SVG understanding and generation (U&G) remain hard.", EntityType.TASK)}
    # "understanding" is a noun here: the coordinated task keeps it
    assert "understanding and generation" in names
    assert not any(n.startswith(("between", "and ")) for n in names)


def test_an_adjective_of_degree_joins_a_task_only_before_what_it_measures(extractor):
    names = {n.lower() for n in _names(
        extractor, "Vision-language models exhibit high adversarial robustness. We study "
        "long video understanding and real image dehazing.", EntityType.TASK)}
    assert "adversarial robustness" in names
    assert "high adversarial robustness" not in names
    assert {"long video understanding", "real image dehazing"} <= names


def test_a_model_name_before_a_task_does_not_join_it(extractor):
    names = {n.lower() for n in _names(
        extractor, "Developing neural network image classification models is costly.",
        EntityType.TASK)}
    assert names == {"image classification"}


def test_a_technique_word_does_not_join_a_task(extractor):
    names = {n.lower() for n in _names(
        extractor, "We present contrastive video representation learning.", EntityType.TASK)}
    assert "video representation learning" in names
    assert not any(n.startswith("contrastive") for n in names)


def test_a_shape_only_task_phrase_ending_in_a_weak_head_is_no_task(extractor):
    abstract = ("A module for semantic zorb learning and a loss for flimflam layer "
                "alignment help a network for qwop tooth detection. We add a head for "
                "video representation learning.")
    names = {n.lower() for n in _names(extractor, abstract, EntityType.TASK)}
    assert "qwop tooth detection" in names
    # the gazetteer still reads a known task with such a head
    assert "video representation learning" in names
    assert not any(n.endswith(("zorb learning", "layer alignment")) for n in names)


def test_a_definition_in_the_paper_beats_a_gazetteer_alias(extractor):
    abstract = ("Implicit neural representations (INR) encode videos as networks. "
                "Our INR compresses video well.")
    assert "ImageNet-R" not in _names(extractor, abstract, EntityType.DATASET)
    # an entry whose own name is the short form stays
    cnn = ("Convolutional neural networks (CNN) are strong. A CNN is used on ImageNet.")
    assert "CNN" in _names(extractor, cnn, EntityType.METHOD)


@pytest.mark.parametrize("abstract, etype, other", [
    # the short form is an entry's own name, but the long form is a known name of
    # another type: the paper's sense wins in every mention
    ("Models help multimodal misinformation detection (MMD). We improve MMD systems.",
     EntityType.TASK, EntityType.METRIC),
    ("We use the mean absolute error (MAE) and report MAE.",
     EntityType.METRIC, EntityType.METHOD),
    ("We pretrain a masked autoencoder (MAE). The MAE is then fine-tuned.",
     EntityType.METHOD, EntityType.METRIC),
])
def test_a_short_form_keeps_only_the_sense_its_definition_gives(extractor, abstract, etype,
                                                                other):
    ex = extractor.extract(Paper("p", "A study", abstract))
    short = abstract.split("(")[1].split(")")[0]

    def mentioned(t):
        return [m.start for e in ex.of_type(t) for m in e.mentions if m.text == short]

    assert mentioned(other) == []
    assert len(mentioned(etype)) == 2


def test_a_gloss_after_a_known_name_is_no_definition_of_another_sense(extractor):
    abstract = ("We test on GAIA (real-world tasks) and MATH (mathematical reasoning). "
                "Agents fail on MATH.")
    assert "MATH" in _names(extractor, abstract, EntityType.DATASET)


def test_a_context_guess_on_a_defined_short_form_follows_the_definition(extractor):
    abstract = ("Pancreas segmentation in computed tomography (CT) is hard. "
                "We evaluate on CT from 82 patients.")
    assert "CT" not in _names(extractor, abstract, EntityType.DATASET)


def test_dataset_qualified_and_bare_task_heads(extractor):
    names = _names(extractor, "Our method improves ImageNet classification and transfers "
                   "to detection and segmentation tasks.", EntityType.TASK)
    # ImageNet is the benchmark of image classification (data/words/dataset_tasks.tsv)
    assert {"image classification", "detection", "segmentation"} <= names
    assert "classification" not in names


def test_a_task_word_after_a_benchmark_names_the_benchmarks_task(extractor):
    ex = extractor.extract(Paper("p", "A study", "Results on ImageNet-1K classification and "
                                 "PASCAL VOC 2007 detection are strong. On Kinetics-400 "
                                 "classification it is fast."))
    tasks = {t.name: t for t in ex.of_type(EntityType.TASK)}
    assert [m.text for m in tasks["image classification"].mentions] == ["classification"]
    assert "object detection" in tasks and "detection" not in tasks
    # Kinetics is no image benchmark: its "classification" stays what the text says
    assert "classification" in tasks


def test_every_task_of_the_dataset_task_list_is_a_known_task():
    from importlib import resources

    from kgraph.extract.gazetteer import builtin_gazetteer

    path = resources.files("kgraph") / "data" / "words" / "dataset_tasks.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(rows) > 10 and all(len(r) == 3 for r in rows)
    for _family, _head, task in rows:
        entry = builtin_gazetteer().lookup(task, EntityType.TASK)
        assert entry is not None and entry.name == task, task


def test_a_bare_task_head_joins_the_papers_task(extractor):
    ex = extractor.extract(Paper("p", "Semantic segmentation with less data",
                                 "We study semantic segmentation. On segmentation tasks our "
                                 "model is strong."))
    tasks = ex.of_type(EntityType.TASK)
    assert [t.name.lower() for t in tasks] == ["semantic segmentation"]
    # a mention, but not an alias: "segmentation" must not merge tasks across papers
    assert "segmentation" in {m.text for m in tasks[0].mentions}
    assert "segmentation" not in tasks[0].aliases


def test_a_bare_task_head_joins_the_task_named_before_it_among_several(extractor):
    ex = extractor.extract(Paper(
        "p", "Learning priors for imaging",
        "Liver segmentation suffers from low contrast, and brain tumor segmentation from "
        "small lesions. Our network performs two segmentation tasks."))
    tasks = {t.name.lower(): t for t in ex.of_type(EntityType.TASK)}
    assert "segmentation" not in tasks
    assert "liver segmentation" in tasks and "brain tumor segmentation" in tasks
    # the bare head is a mention of the last task named before it, not a task of its own
    assert "segmentation" in {m.text for m in tasks["brain tumor segmentation"].mentions}
    assert "segmentation" not in {m.text for m in tasks["liver segmentation"].mentions}


def test_reconstruction_alone_is_an_objective_not_a_task(extractor):
    # the pretext objective of a masked model; a named reconstruction task stays one
    ex = extractor.extract(Paper(
        "p", "A study", "The encoder is pretrained on the reconstruction task and then "
        "applied to reconstruction tasks. It also improves MRI reconstruction."))
    tasks = ex.of_type(EntityType.TASK)
    assert [t.name for t in tasks] == ["MRI reconstruction"]
    assert {m.text for m in tasks[0].mentions} == {"MRI reconstruction"}
    ex = extractor.extract(Paper("p", "A study", "It is pretrained on reconstruction tasks."))
    assert not ex.of_type(EntityType.TASK)


def test_a_general_task_name_joins_the_papers_specific_task(extractor):
    ex = extractor.extract(Paper(
        "p", "A study", "Object detection is a core problem of vision. We study "
        "open-vocabulary object detection on COCO."))
    tasks = ex.of_type(EntityType.TASK)
    assert [t.name.lower() for t in tasks] == ["open-vocabulary object detection"]
    assert "Object detection" in {m.text for m in tasks[0].mentions}
    assert "Object detection" not in tasks[0].aliases
    # a general name the paper defines with a short form stays a task of its own
    ex = extractor.extract(Paper(
        "p", "A study", "Time series forecasting (TSF) matters. We address multivariate "
        "time series forecasting."))
    names = {t.name.lower() for t in ex.of_type(EntityType.TASK)}
    assert {"time series forecasting", "multivariate time series forecasting"} <= names
    # so does one the paper writes twice or more on its own
    ex = extractor.extract(Paper(
        "p", "A study", "Medical image segmentation needs labels. We address 3D medical "
        "image segmentation, as medical image segmentation lacks them."))
    names = {t.name.lower() for t in ex.of_type(EntityType.TASK)}
    assert {"medical image segmentation", "3d medical image segmentation"} <= names


def test_a_bare_task_head_joins_the_papers_task_with_its_short_form(extractor):
    ex = extractor.extract(Paper(
        "p", "Lightweight networks for single image super-resolution",
        "Deep networks have advanced super-resolution (SR) a lot. We design an SR "
        "network for single image super-resolution."))
    tasks = ex.of_type(EntityType.TASK)
    assert [t.name.lower() for t in tasks] == ["single image super-resolution"]
    # the short form is a mention of this paper's task, not an alias across papers
    assert {"super-resolution", "SR"} <= {m.text for m in tasks[0].mentions}
    assert "SR" not in tasks[0].aliases


def test_bare_names_do_not_merge_specific_entities_across_papers(extractor):
    from kgraph.graph import build_graph
    exs = [extractor.extract(Paper("a", "A", "We study semantic segmentation. On segmentation "
                                   "tasks our model reaches 50% top-1 accuracy; accuracy "
                                   "matters.")),
           extractor.extract(Paper("b", "B", "We study instance segmentation. On segmentation "
                                   "tasks our model reaches 40% top-5 accuracy; accuracy "
                                   "matters."))]
    G = build_graph(exs)
    names = {d["name"].lower() for _, d in G.nodes(data=True) if d.get("label") in ("Task", "Metric")}
    assert {"semantic segmentation", "instance segmentation", "top-1 accuracy",
            "top-5 accuracy"} <= names


def test_attributive_suffixes_are_cut_from_pattern_names(extractor):
    names = _names(extractor, "Unlike VGG-based and xLSTM-based models, ours is light.",
                   EntityType.METHOD)
    assert not any(n.endswith("-based") for n in names)
    assert "xLSTM" in names


@pytest.mark.parametrize("abstract, name", [
    ("To solve this, we propose Softmax-aware Binarization, which adapts to the data.",
     "Softmax-aware Binarization"),
    ("We propose Octree-Based Adaptive Tokenization, which allocates tokens by detail.",
     "Octree-Based Adaptive Tokenization"),
])
def test_a_title_case_name_after_an_attributive_compound_is_whole(extractor, abstract, name):
    ex = extractor.extract(Paper("p", "A study", abstract))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert name in methods and methods[name].proposed
    assert not {"Softmax", "Octree"} & set(methods)


@pytest.mark.parametrize("abstract, whole", [
    # a known family, or an acronym, after the compound: built on the first name
    ("Much knowledge in a Transformer-based Large Language Model is in its layers.",
     "Transformer-based Large Language Model"),
    ("We propose a CNN-based LIC model that is fast.", "CNN-based LIC"),
    # the long form of a definition is the name
    ("We propose kNN-based Latent Space Broadening (LSB) to enhance efficiency.",
     "kNN-based Latent Space Broadening"),
])
def test_an_attributive_compound_before_a_known_name_is_still_cut(extractor, abstract, whole):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert whole not in {e.name for e in ex.entities}
    assert not [e for e in ex.entities if e.proposed and e.name in ("k-NN", "CNN", "Transformer")]


@pytest.mark.parametrize("abstract, name", [
    ("We propose a Cross-layer Binarization scheme and learnable scaling factors.",
     "Cross-layer Binarization"),
    ("Specifically, we first introduce a Dual-Latent Sharing scheme, which transfers "
     "features.", "Dual-Latent Sharing"),
    ("We design a Token Mixing mechanism for long inputs.", "Token Mixing"),
    ("We also propose a novel Ping-Pong loss to improve consistency.", "Ping-Pong loss"),
    ("During testing, we propose a Knowledge Graph Augmented Inference method that "
     "locates categories.", "Knowledge Graph Augmented Inference"),
])
def test_a_name_a_proposal_verb_gives_a_part_is_proposed(extractor, abstract, name):
    ex = extractor.extract(Paper("p", "A study", abstract))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert name in methods and methods[name].proposed
    assert len([e for e in ex.entities if e.proposed]) == 1


@pytest.mark.parametrize("abstract", [
    "We propose a Bayesian framework for model selection.",      # one plain word
    "We propose a CNN-based framework for detection.",           # built on CNN
    "We propose a Vision Transformer framework for detection.",  # a known family
    # the task the method is for, defined by the paper
    "Continual self-supervised learning (CSSL) is hard. We propose a novel CSSL method.",
    # the name comes after the naming word
    "We propose a Bottom-Up Patch Summarization approach named BUS, which is fast.",
])
def test_a_proposal_verb_before_no_name_of_a_part_proposes_none(extractor, abstract):
    ex = extractor.extract(Paper("p", "A study", abstract))
    proposed = {e.name for e in ex.entities if e.proposed}
    assert not proposed - {"BUS"}


def test_a_name_set_off_by_i_e_after_a_describing_phrase_is_described(extractor):
    ex = extractor.extract(Paper("p", "A study", "To reduce the impact of positives, we "
                                 "design a novel loss function, i.e., Disj-InfoNCE. We also "
                                 "curate a benchmark for evaluation, i.e, A2 Bench."))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert methods["Disj-InfoNCE"].proposed
    assert "A2 Bench" in {e.name for e in ex.of_type(EntityType.DATASET)}


def test_capitalised_cue_word_is_the_head_of_the_name(extractor):
    names = _names(extractor, "We build on the Single-Head Vision Transformer and compare "
                   "with INT8 models.", EntityType.METHOD)
    assert "Single-Head Vision Transformer" in names
    assert "Single-Head Vision" not in names and "INT8" not in names


def test_cost_metric_needs_a_comparison_not_a_count(extractor):
    described = _names(extractor, "We train Transformer language models with up to 410M "
                       "parameters on two corpora.", EntityType.METRIC)
    assert "parameters" not in described
    compared = _names(extractor, "Our model matches the baseline with 40% fewer parameters.",
                      EntityType.METRIC)
    assert "parameters" in compared


def test_unknown_method_defined_by_an_abbreviation_is_proposed(extractor):
    ent = _entity(extractor, "We design a Dual-Modality Fusion (DMF) module that merges "
                  "both streams.", EntityType.METHOD, "DMF")
    assert ent.proposed
    family = _names(extractor, "Spiking neural networks (SNNs) are efficient.",
                    EntityType.METHOD)
    ex = extractor.extract(Paper("p", "A study", "Spiking neural networks (SNNs) are "
                                 "efficient."))
    assert not any(e.proposed for e in ex.of_type(EntityType.METHOD)), family


def test_a_definition_in_a_passive_report_of_earlier_work_is_not_proposed(extractor):
    ex = extractor.extract(Paper("p", "A study", "Parameter-Efficient Glorp Tuning (PEGT) methods "
                                 "have been proposed to update few parameters. In this work, "
                                 "we present ZorbBlo, a simple yet effective approach."))
    assert [(e.name, e.proposed) for e in ex.of_type(EntityType.METHOD)] == [
        ("PEGT", False), ("ZorbBlo", True)]
    # the paper's own voice, or a passive of the present, still presents its own work
    for abstract in ("Glorp-Aware Zorbing (GAZ) modules have been proposed, and we add one.",
                     "In this paper, a novel Glorp-Aware Zorbing (GAZ) module is proposed."):
        ent = _entity(extractor, abstract, EntityType.METHOD, "GAZ")
        assert ent.proposed, abstract


def test_a_plural_short_form_in_mixed_case_names_the_family_the_title_works_on(extractor):
    ex = extractor.extract(Paper(
        "p", "Astraea: Token-wise Acceleration for Video Diffusion Transformers",
        "Video diffusion transformers (vDiTs) are slow. We introduce ASTRAEA, a framework "
        "that searches configurations for vDiT-based video generation."))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert {e.name for e in ex.entities if e.proposed} == {"Astraea"}
    assert "vDiTs" in methods["vDiT"].aliases


@pytest.mark.parametrize("abstract, name", [
    ("We propose a novel method, FreeGrasp, leveraging the world knowledge of VLMs.",
     "FreeGrasp"),
    ("We introduce a simple yet effective defense strategy, POSD, which reduces jailbreaks.",
     "POSD"),
    ("We propose a novel framework, Multi-modal Multiplexing Modeling (MMPM), designed for "
     "streaming.", "MMPM"),
])
def test_a_name_set_off_after_a_proposed_method_phrase_is_proposed(extractor, abstract, name):
    assert _entity(extractor, abstract, EntityType.METHOD, name).proposed


@pytest.mark.parametrize("abstract, name, etype", [
    ("We introduce GLORB~(Glorp Language Observation Reasoning IndeX), a novel benchmark "
     "with 700 videos.", "GLORB", EntityType.DATASET),
    ("We propose Causal Glorp Likelihood (CGL), a statistical measure that assesses "
     "inferability.", "CGL", EntityType.METRIC),
])
def test_a_definition_set_off_by_a_description_takes_its_type(extractor, abstract, name,
                                                              etype):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert [(e.type, e.name) for e in ex.entities] == [(etype, name)]


@pytest.mark.parametrize("abstract, name, proposed", [
    ("We also provide GlorpDetector, a contrastive learning framework that detects text.",
     "GlorpDetector", False),
    ("We address this limitation by introducing SyGLORP, a metric-based approach to "
     "selecting samples.", "SyGLORP", True),
    ("We introduce the Glorp Agent, an extensible architecture that integrates agents.",
     "Glorp Agent", True),
    ("This study examines the effectiveness of GLORPTopic, a state-of-the-art topic model.",
     "GLORPTopic", False),
    ("Our framework has two components: (1) ZoomGlorp, a coarse-to-fine strategy that "
     "identifies text regions, and (2) a decoder.", "ZoomGlorp", False),
    ("For a better design, CirroGlorp, which is a lightweight network for cloud masking, "
     "replaces the encoder.", "CirroGlorp", False),
])
def test_a_name_a_method_phrase_describes_is_a_method(extractor, abstract, name, proposed):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert [(e.type, e.name, e.proposed) for e in ex.entities] == [
        (EntityType.METHOD, name, proposed)]


@pytest.mark.parametrize("abstract", [
    "We build on a prior pipeline; Thirdly, a dual-driven optimization strategy helps.",
    "We use glorp learning (GL). This motivates our strategy for GL, an embarrassingly "
    "simple method.",
    "On GLORP-7, the framework improves accuracy.",
])
def test_a_method_phrase_after_an_adverb_a_defined_short_form_or_the_is_no_name(extractor,
                                                                               abstract):
    assert not _names(extractor, abstract, EntityType.METHOD)


def test_a_description_reads_through_hyphenated_compounds(extractor):
    ex = extractor.extract(Paper("p", "A study", "Based on our data, we propose GLORVE, an "
                                 "LMM-based metric for evaluating generated videos."))
    assert [(e.type, e.name) for e in ex.entities if e.name == "GLORVE"] == [
        (EntityType.METRIC, "GLORVE")]


def test_a_name_set_off_after_a_method_phrase_nobody_proposes_is_not(extractor):
    ex = extractor.extract(Paper("p", "A study", "Prior work used a strong model, GPT-4, "
                                 "and an older approach, BM25, for retrieval."))
    assert not any(e.proposed for e in ex.entities)


def test_a_plural_abbreviation_the_title_spells_is_the_family_built_on(extractor):
    ex = extractor.extract(Paper(
        "p", "Window Token Concatenation for Efficient Visual Large Language Models",
        "To improve the efficiency of Visual Large Language Models (VLLMs), we propose "
        "Window Token Concatenation (WiCo)."))
    assert {e.name for e in ex.entities if e.proposed} == {"WiCo"}
    assert "VLLM" in {e.name for e in ex.of_type(EntityType.METHOD)}


def test_method_opening_the_title_is_proposed_unless_a_family(extractor):
    ex = extractor.extract(Paper("p", "Pointer Networks",
                                 "We introduce a new neural architecture."))
    assert any(e.proposed for e in ex.of_type(EntityType.METHOD))
    ex = extractor.extract(Paper("p", "Vision Transformer with Deformable Attention",
                                 "Vision Transformers (ViT) are strong."))
    assert not any(e.proposed and e.name == "Vision Transformer"
                   for e in ex.of_type(EntityType.METHOD))


def test_a_head_word_after_the_short_form_types_the_definition(extractor):
    text = ("PGN captures information through the designed Historical Information "
            "Extraction (HIE) layer. Few-shot class-incremental learning (FSCIL) methods "
            "forget old classes.")
    methods = _names(extractor, text, EntityType.METHOD)
    assert "HIE" in methods
    assert "HIE" not in _names(extractor, text, EntityType.TASK)
    assert "FSCIL" not in methods  # "(FSCIL) methods" are methods for a task


def test_a_title_case_definition_before_a_singular_family_word_is_a_method(extractor):
    text = ("We propose an Entropy-based Out-Of-distribution Detection (EOOD) framework. "
            "Then we design a Multi-object Glorp Reasoning (MoGR) algorithm. "
            "Prior video anomaly detection (VAD) models fail, and few-shot "
            "class-incremental learning (FSCIL) methods forget.")
    ex = extractor.extract(Paper("p", "A study", text))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert methods["EOOD"].proposed and methods["MoGR"].proposed
    tasks = {a for e in ex.of_type(EntityType.TASK) for a in [e.name, *e.aliases]}
    assert not tasks & {"EOOD", "MoGR", "Multi-object Glorp Reasoning"}
    assert {"video anomaly detection", "few-shot class-incremental learning"} <= tasks
    assert not methods.keys() & {"VAD", "FSCIL"}


def test_a_definition_an_appositive_calls_a_method_is_one(extractor):
    text = ("We introduce Confidence-Aware Glorp Generation (CAGG), a framework that improves "
            "answers. We also use multi-glorp prediction (MGP), a novel lightweight approach "
            "optimized for speech. Finally we define Glorp Question Answering (GlQA), a task "
            "that tests a model, and the Glorp Consistency Benchmark (GCB), a framework for "
            "evaluating characters.")
    ex = extractor.extract(Paper("p", "A study", text))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert "Confidence-Aware Glorp Generation" in methods["CAGG"].aliases
    assert methods["CAGG"].proposed
    assert "multi-glorp prediction" in methods["MGP"].aliases
    tasks = {a for e in ex.of_type(EntityType.TASK) for a in [e.name, *e.aliases]}
    assert not tasks & {"CAGG", "Confidence-Aware Glorp Generation", "MGP",
                        "multi-glorp prediction"}
    # a task called a task, and a benchmark called a framework, keep their types
    assert "Glorp Question Answering" in tasks and "GlQA" not in methods
    assert "GCB" not in methods


def test_a_definition_an_appositive_calls_a_task_is_one(extractor):
    text = ("To address these issues, we introduce Knowledge Glorp Deletion (KGD), a new task that "
            "considers both concerns. We also build Glorp Trajectory Prompting (GTP), a "
            "task-agnostic framework. We draw on electronic glorp records (EGRs), a task "
            "that is slow.")
    ex = extractor.extract(Paper("p", "A study", text))
    methods = {a for e in ex.of_type(EntityType.METHOD) for a in [e.name, *e.aliases]}
    tasks = {a for e in ex.of_type(EntityType.TASK) for a in [e.name, *e.aliases]}
    assert {"Knowledge Glorp Deletion", "KGD"} <= tasks and "KGD" not in methods
    # "task-agnostic" is a modifier: a framework is a method
    assert "GTP" in methods and "GTP" not in tasks
    # a plural is what a task works on, not the task
    assert "EGRs" not in tasks

def test_a_definition_of_the_title_name_is_the_method_unless_called_a_task(extractor):
    ex = extractor.extract(Paper(
        "p", "GLARE: Glorp-aware Learning for Anisotropic Resolution Enhancement",
        "Images are anisotropic. We present Glorp-aware Learning for Anisotropic Resolution "
        "Enhancement (GLARE), which uses no external data."))
    [method] = [e for e in ex.of_type(EntityType.METHOD) if e.name == "GLARE"]
    assert method.proposed
    assert "Glorp-aware Learning for Anisotropic Resolution Enhancement" in method.aliases
    assert not {a for e in ex.of_type(EntityType.TASK) for a in [e.name, *e.aliases]} & \
        {"GLARE", "Glorp-aware Learning for Anisotropic Resolution Enhancement"}
    ex = extractor.extract(Paper(
        "p", "GOD: Glorp Object Detection with Point Clouds",
        "We extend object detection to a novel task named glorp object detection (GOD), "
        "which predicts future boxes."))
    [task] = [e for e in ex.of_type(EntityType.TASK) if "GOD" in e.aliases]
    assert task.name.lower() == "glorp object detection"
    assert not any(e.name.startswith("named") for e in ex.entities)


def test_a_name_the_paper_calls_a_dataset_is_no_method_too(extractor):
    ex = extractor.extract(Paper(
        "p", "GlorpGesture: Gesture Recognition with Event Cameras",
        "We build the GlorpGesture dataset, with 5,000 clips of 38 gestures. Baselines "
        "trained on GlorpGesture reach 62% accuracy."))
    assert {e.name for e in ex.of_type(EntityType.METHOD)} == set()
    [dataset] = ex.of_type(EntityType.DATASET)
    assert dataset.name == "GlorpGesture" and dataset.proposed
    assert len(dataset.mentions) == 3  # the title's, the cue's and the propagated one
    # a paper that calls the name a model as plainly names two things
    ex = extractor.extract(Paper(
        "p", "GlorpCap: Expressive 3D Scene Understanding",
        "We present GlorpCap, an expressive 3D captioning model. To enable this task, we "
        "generated the GlorpCap dataset."))
    assert "GlorpCap" in {e.name for e in ex.of_type(EntityType.METHOD)}
    assert "GlorpCap" in {e.name for e in ex.of_type(EntityType.DATASET)}


def test_a_definition_modifying_the_next_noun_names_nothing(extractor):
    text = ("We propose GlorpNet, which learns unified Glorp Frame View (GFV) representations "
            "and generalizes to out-of-glorp (OOG) scenarios. We design a Glorp Fusion (GF) "
            "module.")
    ex = extractor.extract(Paper("p", "A study", text))
    assert {e.name for e in ex.entities if e.proposed} == {"GlorpNet", "GF"}
    surfaces = {a for e in ex.entities for a in [e.name, *e.aliases]}
    assert not surfaces & {"GFV", "OOG", "Glorp Frame View", "out-of-glorp"}


def test_what_the_text_lists_as_metrics_are_metrics(extractor):
    text = ("We report metrics such as answer accuracy, Glorp Joint Error and mGlorp. "
            "Metrics (e.g., TriScore, Positive predicted value) vary. It also improves "
            "metrics like simply averaging accuracy, and a measure of uncertainty.")
    metrics = _names(extractor, text, EntityType.METRIC)
    assert {"answer accuracy", "Glorp Joint Error", "mGlorp", "TriScore"} <= metrics
    assert not metrics & {"Positive", "simply averaging accuracy", "uncertainty"}


def test_a_definition_of_a_non_entity_is_dropped_in_both_forms(extractor):
    text = ("We propose a decoder of visual perception from magnetoencephalography (MEG) "
            "recordings, and run it on microcontroller units (MCUs).")
    ex = extractor.extract(Paper("p", "A study", text))
    surfaces = {m.text.lower() for e in ex.entities for m in e.mentions}
    assert not surfaces & {"meg", "magnetoencephalography", "mcus", "microcontroller units"}


@pytest.mark.parametrize("title, expected, absent", [
    ("Lossless Compression with Probabilistic Circuits", {"Lossless Compression"}, set()),
    # after "for", "in", "towards" a "... Learning" phrase is a task; leading the title
    # it names the method as often
    ("MCUNetV2: Memory-Efficient Patch-based Inference for Tiny Deep Learning",
     {"Tiny Deep Learning"}, {"Memory-Efficient Patch-based Inference"}),
    ("Rethinking Positive Pairs in Contrastive Learning", {"Contrastive Learning"}, set()),
    ("Iterative Soft Shrinkage Learning for Sinogram Upsampling", {"Sinogram Upsampling"},
     {"Iterative Soft Shrinkage Learning", "Soft Shrinkage Learning"}),
    ("Using Small Models to Compare Language Learning", {"Language Learning"},
     {"Compare Language Learning"}),
    # after "based on" a title names a technique, as after "via"
    ("Few-shot Text Segmentation Based on Attribute Learning", set(),
     {"Attribute Learning"}),
    ("A Glorp Model Based on Sinogram Upsampling", set(), {"Sinogram Upsampling"}),
    # the Latin adverb is no part of a task
    ("A priori compression of convolutional networks", set(), {"priori compression"}),
    ("TempME: Towards the Explainability of Temporal Graph Neural Networks via Motif "
     "Discovery", set(), {"Motif Discovery"}),
    ("A Closer Look at Rehearsal-Free Continual Learning", set(), {"Free Continual Learning"}),
    ("Rethinking Sinogram Upsampling via a Mutual Encoder-Decoder", {"Sinogram Upsampling"},
     {"Rethinking Sinogram Upsampling"}),
    ("PAIF: Image Fusion for Attack-Tolerant Sinogram Upsampling",
     {"Sinogram Upsampling"}, {"Attack-Tolerant Sinogram Upsampling"}),
    ("Disentanglement via Latent Quantization", set(), {"Latent Quantization"}),
    # a technique phrase that spells the title's name is the name's long form
    ("TEMPO: Temporal Preference Optimization of Video LLMs", set(),
     {"Temporal Preference Optimization"}),
    ("AdaRank: Adaptive Rank Pruning for Enhanced Model Merging", set(),
     {"Adaptive Rank Pruning"}),
    ("GLaMa: Image Quantization for Streaming Video", {"Image Quantization"}, set()),
    # so is any phrase that spells it before "for": the task comes after "for"
    ("GMatch: Geometry-Constrained Feature Matching for RGB-D Object Pose Estimation",
     {"RGB-D Object Pose Estimation"}, {"Geometry-Constrained Feature Matching"}),
    ("MARIC: Multi-Agent Reasoning for Image Classification", {"Image Classification"},
     {"Multi-Agent Reasoning"}),
    # a phrase that does not spell the name is the title's task
    ("GlorpNet: Dense Event Localization for Audio-Visual Understanding",
     {"Dense Event Localization"}, set()),
    # a verb of purpose after "to" is no part of the task; a noun after "to" is
    ("Glorp Flow Matching to Accelerate Sinogram Upsampling", {"Sinogram Upsampling"},
     {"Accelerate Sinogram Upsampling"}),
    ("Benchmarks to include recognition of specific instances", set(),
     {"include recognition"}),
    ("A Guide to Structureless Sinogram Upsampling", {"Structureless Sinogram Upsampling"},
     set()),
])
def test_tasks_named_by_the_title(extractor, title, expected, absent):
    ex = extractor.extract(Paper("p", title, "We study this problem."))
    found = {m.text for e in ex.of_type(EntityType.TASK) for m in e.mentions}
    assert expected <= found
    assert not absent & found


def test_a_title_phrase_the_abstract_defines_as_the_method_is_no_task(extractor):
    paper = Paper("p", "Divide-and-Conquer: Dual-Hierarchical Optimization for Semantic 4D "
                  "Gaussian Splatting", "We propose Dual-Hierarchical Optimization (DHO), which "
                  "separates static and dynamic rendering.")
    ex = extractor.extract(paper)
    assert not ex.of_type(EntityType.TASK)
    dho = {e.name: e for e in ex.of_type(EntityType.METHOD)}["DHO"]
    assert dho.proposed
    long_form = "Dual-Hierarchical Optimization"
    assert [m.sentence for m in dho.mentions if m.text == long_form] == [0, 1]


@pytest.mark.parametrize("abstract", [
    "Flows may overlap. We introduce Contrastive Glorp Matching, an extension to the flow "
    "matching objective that enforces uniqueness.",
    "We propose Contrastive Glorp Matching for better samples.",
])
def test_a_title_phrase_the_abstract_proposes_as_the_method_is_no_task(extractor, abstract):
    ex = extractor.extract(Paper("p", "Contrastive Glorp Matching for Image Generation",
                                 abstract))
    assert "Contrastive Glorp Matching" not in {e.name for e in ex.of_type(EntityType.TASK)}
    method = {e.name: e for e in ex.of_type(EntityType.METHOD)}["Contrastive Glorp Matching"]
    assert method.proposed and [m.sentence for m in method.mentions][0] == 0


def test_measures_multipliers_and_formula_pieces_are_not_names(extractor):
    text = ("Our SHViT-S4 is 3.3x faster than MobileViTv2 x1.0 on GPU and runs in 4ms, "
            "beating Omega(k^2d models.")
    methods = _names(extractor, text, EntityType.METHOD)
    assert "MobileViTv2" in methods
    assert not methods & {"MobileViTv2 x1.0", "3.3x", "4ms", "Omega(k^2d"}


def test_title_openers_are_cut_from_the_title_name(extractor):
    ex = extractor.extract(Paper("p", "Beyond LLaVA-HD: Diving into High-Resolution Models",
                                 "We study this."))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    # the name after "Beyond" is what the paper goes beyond, not its own
    assert "LLaVA-HD" in methods and not methods["LLaVA-HD"].proposed
    assert "Beyond LLaVA-HD" not in methods
    ex = extractor.extract(Paper("p", "Beyond Semantics: Rediscovering Spatial Awareness",
                                 "We study this."))
    assert "Semantics" not in {e.name for e in ex.entities}  # a title-case word, no name
    ex = extractor.extract(Paper("p", "Sonata: Self-Supervised Learning of Points",
                                 "We study this."))
    assert [e.name for e in ex.entities if e.proposed] == ["Sonata"]


def test_a_version_glued_to_a_known_model_is_that_version(extractor):
    methods = _names(extractor, "We match features in the pretrained DINO-v2 embedding space.",
                     EntityType.METHOD)
    assert "DINOv2" in methods and "DINO" not in methods


def test_size_words_and_variant_prefixes_glued_to_a_known_model(extractor):
    methods = _names(extractor, "We compare DaViT-Tiny with LV-ViT and V-MoE-Base, and use a "
                     "Mask-RCNN head and WideResNet-40.", EntityType.METHOD)
    assert {"DaViT-Tiny", "LV-ViT", "V-MoE-Base", "WideResNet-40"} <= methods
    assert not methods & {"DaViT", "Vision Transformer", "R-CNN"}


def test_sizes_of_a_known_model_are_distinct_models(extractor):
    # the gazetteer holds families; a size or patch marker glued to one is another model
    methods = _names(extractor, "DiT-XL/2 reaches an FID of 2.27 while DiT-B/4 is worse. "
                     "MobileNetV3-Large and MobileNetV3-Small run on phones.",
                     EntityType.METHOD)
    assert {"DiT-XL/2", "DiT-B/4", "MobileNetV3-Large", "MobileNetV3-Small"} <= methods
    assert not methods & {"DiT", "MobileNetV3"}


def test_lower_case_size_words_glued_to_a_known_model(extractor):
    # "GPT-5-nano" is another model than GPT-5, as "DaViT-Tiny" is than DaViT
    methods = _names(extractor, "We compare GPT-5-nano, E5-large and DeBERTa-v3-base; "
                     "YOLOv8-nano runs on phones.", EntityType.METHOD)
    assert {"GPT-5-nano", "E5-large", "DeBERTa-v3-base", "YOLOv8-nano"} <= methods
    assert not methods & {"GPT-5", "E5", "DeBERTaV3", "YOLOv8"}


def test_a_size_word_after_a_glued_depth(extractor):
    # the tokenizer keeps "DDRNet-23" whole; the size word after it is part of the name
    methods = _names(extractor, "DDRNet-23-slim yields 77.4% mIoU at 102 FPS on Cityscapes.",
                     EntityType.METHOD, title="Real-time semantic segmentation")
    assert "DDRNet-23-slim" in methods and "DDRNet-23" not in methods


def test_a_size_glued_to_the_first_word_of_the_abstract(extractor):
    # the paragraph break after the title is no part of the word
    methods = _names(extractor, "DaViT-Tiny reaches 82.8% top-1 accuracy on ImageNet.",
                     EntityType.METHOD, title="Dual attention")
    assert "DaViT-Tiny" in methods and "DaViT" not in methods


def test_a_parameter_count_after_a_variant_marker_names_the_model(extractor):
    methods = _names(extractor, "Compared to its base model, Qwen2-VL-2B, our agent outperforms "
                     "Qwen2.5-VL-7B.", EntityType.METHOD)
    assert {"Qwen2-VL-2B", "Qwen2.5-VL-7B"} <= methods
    assert not methods & {"Qwen2", "Qwen2.5"}


@pytest.mark.parametrize("abstract, model", [
    ("We fine-tune Qwen2.5-Math-1.5B on a small set of proofs.", "Qwen2.5-Math-1.5B"),
    ("We distil into DeepSeek-R1-Distill-Qwen-7B and measure length.",
     "DeepSeek-R1-Distill-Qwen-7B"),
    # a dataset cue before a checkpoint does not make it a dataset
    ("Extensive experiments on Qwen3-8B-Base show consistent gains.", "Qwen3-8B-Base"),
    ("We run experiments on Qwen2.5-VL-7B and find gains.", "Qwen2.5-VL-7B"),
])
def test_words_and_a_parameter_count_after_a_known_model_name_a_checkpoint(extractor,
                                                                            abstract, model):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert model in {e.name for e in ex.of_type(EntityType.METHOD)}
    assert model not in {e.name for e in ex.of_type(EntityType.DATASET)}


@pytest.mark.parametrize("abstract, not_a_name", [
    # "-1.5M" is as often the size of a dataset
    ("We evaluate on GPT-Edit-1.5M and report gains.", "GPT-Edit-1.5M"),
    # a lower-case word other than a tag is no part of the name
    ("Qwen3-14B-driven agents win.", "Qwen3-14B-driven"),
])
def test_no_checkpoint_without_a_count_in_billions_and_name_parts(extractor, abstract,
                                                                   not_a_name):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert not_a_name not in {m.text for e in ex.of_type(EntityType.METHOD) for m in e.mentions}


def test_a_size_glued_to_the_papers_own_model_is_a_variant(extractor):
    ex = extractor.extract(Paper("p", "SHViT: Single-Head Vision Transformer",
                                 "On ImageNet-1k, our SHViT-S4 is 3.3x faster than MobileViTv2."))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert "SHViT-S4" in methods and methods["SHViT-S4"].proposed
    assert [m.text for m in methods["SHViT"].mentions] == ["SHViT"]


@pytest.mark.parametrize("title, abstract, dataset", [
    # an appositive whose head is a dataset word; the proposal verb said nothing of type
    ("Benchmarking knowledge injection",
     "We introduce Companies, a new dataset that we release to measure knowledge injection.",
     "Companies"),
    ("Point tracking without texture",
     "We create GIFT, a challenging synthetic benchmark comprising 1800 indoor videos. "
     "We evaluate current trackers on GIFT.", "GIFT"),
    # the title's subtitle names what the prefix is, and every mention follows it
    ("ICE-Bench: A Unified and Comprehensive Benchmark for Image Creating and Editing",
     "We introduce ICE-Bench to evaluate image generation models. ICE-Bench covers 31 tasks.",
     "ICE-Bench"),
    ("COIG-P: A High-Quality and Large-Scale Chinese Preference Dataset for Alignment",
     "We propose COIG-P for alignment.", "COIG-P"),
    # a hyphenated prefix that is no name alone stays in the name
    ("Tracing generated images",
     "We introduce AI-FAKER, a comprehensive multimodal dataset with 280,000 samples.",
     "AI-FAKER"),
    # a testbed and a subset are datasets too
    ("Knowledge injection", "We introduce DeepKnowledge, a synthetic experimental testbed "
     "designed for evaluation.", "DeepKnowledge"),
    ("Guidance for the blind", "We also develop GuideDogQA, a subset of 818 samples "
     "featuring multiple-choice questions.", "GuideDogQA"),
    # the name set off after the describing phrase
    ("Pose regression anywhere",
     "To benchmark it, we created a large-scale dataset, 360SPR, with over 200K panoramas.",
     "360SPR"),
    # modifiers coordinated by commas, long and hyphenated ones, before the head
    ("GlorpMath-103K: A Large-Scale, Challenging, Decontaminated, and Verifiable "
     "Mathematical Dataset for Advancing Reasoning", "We study reasoning.", "GlorpMath-103K"),
    ("GLMA: Multi-Environment, Multi-Species, Low-Altitude Aerial Footage Dataset",
     "We study drones.", "GLMA"),
    ("Glorp4-SAR: A Multi-Resolution, Multi-Polarization, Multi-Scene, Multi-Source Dataset "
     "and Benchmark for Fusion Detection", "We study fusion.", "Glorp4-SAR"),
    ("Counting birds", "We present GlorpBirds, the first large, expert-annotated dataset "
     "for counting.", "GlorpBirds"),
    # a title-case participle after the head, a compound opening with a function word
    ("Glorpseeks: An Iterative Benchmark Evaluating LLMs Multi-Turn Ability",
     "We study LLMs.", "Glorpseeks"),
    ("GLORP: a new in-the-Wild Image Linkage Dataset for image attribution",
     "We study attribution.", "GLORP"),
    # "Reading" after "Machine", no dataset word, opens no post-modifier
    ("GlorpQA-COVID: COVID-19 Machine Reading Comprehension Dataset for Vietnamese",
     "We study reading.", "GlorpQA-COVID"),
    # a colon sets off the description in the abstract as a comma does
    ("Beyond real versus fake", "We introduce GlorpHQ: a new benchmark for human-centered "
     "intent analysis, shifting the paradigm.", "GlorpHQ"),
    ("Dexterous manipulation", "We use a headset to collect GlorpDex: the largest and most "
     "diverse dataset of dexterous human manipulation to date.", "GlorpDex"),
    # "which is" between the comma and the description
    ("Cloud masks", "We also release SkyGlorp, which is a large dataset of cloud images.",
     "SkyGlorp"),
    # an adverb before the participle after the head
    ("Schematic diagrams", "This paper introduces GLORP-QA, the first benchmark specifically "
     "designed to evaluate the reading of schematic diagrams.", "GLORP-QA"),
])
def test_a_name_the_paper_describes_as_a_dataset_is_one(extractor, title, abstract, dataset):
    ex = extractor.extract(Paper("p", title, abstract))
    assert dataset in {e.name for e in ex.of_type(EntityType.DATASET)}
    assert dataset not in {e.name for e in ex.of_type(EntityType.METHOD)}


@pytest.mark.parametrize("title, abstract, method", [
    # the head of the phrase is no dataset word, whatever dataset word follows it
    ("Endo-TTAP: Robust Endoscopic Tissue Tracking",
     "We present Endo-TTAP, a novel framework addressing these challenges through attention.",
     "Endo-TTAP"),
    ("ResLPR: A LiDAR Data Restoration Network and Benchmark for Robust Place Recognition",
     "We study place recognition.", "ResLPR"),
    ("GLiNER-biomed: A Suite of Efficient Models for Biomedical Named Entity Recognition",
     "We study entity recognition.", "GLiNER-biomed"),
    ("SCORE: Soft Label Compression-Centric Dataset Condensation via Coding Rate Optimization",
     "We study condensation.", "SCORE"),
    # a subtitle that opens with a verb is no description of the name
    ("RETROcode: Leveraging a Code Database for Improved Code Generation",
     "We study code generation.", "RETROcode"),
    ("X-Former: A model trained on the ImageNet dataset", "We study vision.", "X-Former"),
    # a list of nouns, one of them a dataset word, describes nothing
    ("GlorpNLP: Current Status, Challenges and Future Directions for Hausa NLP",
     "We study NLP.", "GlorpNLP"),
    ("Glorp Models: Concepts, Progress, Applications and Challenges", "We study models.",
     "Glorp Models"),
    # a compound's second part is no head
    ("GlorpBH: Prototypical Multi-Dataset Training Beyond Human Pose Estimation",
     "We study pose.", "GlorpBH"),
])
def test_a_dataset_word_outside_the_head_does_not_make_a_dataset(extractor, title, abstract,
                                                                method):
    ex = extractor.extract(Paper("p", title, abstract))
    assert method in {e.name for e in ex.of_type(EntityType.METHOD) if e.proposed}
    assert method not in {e.name for e in ex.of_type(EntityType.DATASET)}


@pytest.mark.parametrize("title, abstract, metric", [
    ("Benchmarking video editing",
     "To enhance object-level evaluation, we introduce FiVE-Acc, a novel metric leveraging "
     "vision-language models. FiVE-Acc agrees with people.", "FiVE-Acc"),
    ("ContrastScore: Towards Better Evaluation", "We propose ContrastScore, a contrastive "
     "evaluation metric designed for text generation.", "ContrastScore"),
    ("FreD: A Conditional Distance Measure for Text-to-Image Models",
     "We propose FreD to evaluate generators.", "FreD"),
    ("Knowledge conflicts in context", "We introduce a novel knowledge consistency metric, "
     "Confidence Gain, which detects knowledge conflicts.", "Confidence Gain"),
    # a defined long form set off after the describing phrase
    ("Bone loss analysis", "We propose a keypoint detection metric, Percentage of Relative "
     "Correct Keypoints (PRCK), which normalises by tooth size.", "PRCK"),
    ("A New GLOPE: Domain-agnostic Evaluation of Chunking", "We propose GLOPE, a "
     "domain-agnostic, automatic evaluation metric for chunking.", "GLOPE"),
])
def test_a_name_the_paper_describes_as_a_metric_is_one(extractor, title, abstract, metric):
    ex = extractor.extract(Paper("p", title, abstract))
    assert metric in {e.name for e in ex.of_type(EntityType.METRIC)}
    assert metric not in {e.name for e in ex.of_type(EntityType.METHOD)}


@pytest.mark.parametrize("title, abstract, method", [
    # a metric word that is not "metric" or "measure" heads what the method is about
    ("FDS: Frequency-Aware Denoising Score for Text-Guided Editing", "We study editing.", "FDS"),
    ("SCJD: Sparse Correlation and Joint Distillation for Pose Estimation",
     "We study pose estimation.", "SCJD"),
])
def test_a_metric_word_outside_the_describing_head_does_not_make_a_metric(extractor, title,
                                                                        abstract, method):
    ex = extractor.extract(Paper("p", title, abstract))
    assert method in {e.name for e in ex.of_type(EntityType.METHOD)}
    assert method not in {e.name for e in ex.of_type(EntityType.METRIC)}


def test_a_parenthesis_inside_a_compound_modifier_is_not_the_head(extractor):
    # "(QEM)-based representation": the head comes after the parenthesis
    names = _names(extractor, "We extend PoNQ, a Quadric Error Metrics (QEM)-based "
                   "representation, and propose QEMesh. PoNQ is fast.", EntityType.METRIC)
    assert "PoNQ" not in names


@pytest.mark.parametrize("abstract, task", [
    ("To address this dilemma, we introduce a new task, Scene-agnostic Pose Regression "
     "(SPR), which needs no retraining. We benchmark SPR on panoramas.",
     "Scene-agnostic Pose Regression"),
    ("We propose a novel scene understanding task called Visual Jenga. Visual Jenga asks "
     "which object can be removed.", "Visual Jenga"),
    ("We introduce a new task called Semantic Human Contact estimation, and a model.",
     "Semantic Human Contact estimation"),
    # the name first, then the appositive
    ("In this paper, we introduce Aggregative Glorp Answering, a novel task requiring "
     "models to reason over chat logs.", "Aggregative Glorp Answering"),
    ("We introduce TTR, a new problem setting where models must trace tables.", "TTR"),
])
def test_a_name_the_paper_gives_a_new_task_is_a_task(extractor, abstract, task):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert task in {e.name for e in ex.of_type(EntityType.TASK)}
    assert not ex.of_type(EntityType.METHOD)
    assert not [e for e in ex.entities if e.proposed]


@pytest.mark.parametrize("abstract", [
    "We propose GlorpNet, a new task decomposition method for planning.",
    "We propose GlorpNet, a novel task-aware module for planning.",
])
def test_an_appositive_where_task_modifies_a_noun_names_no_task(extractor, abstract):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert "GlorpNet" in {e.name for e in ex.of_type(EntityType.METHOD) if e.proposed}
    assert "GlorpNet" not in {e.name for e in ex.of_type(EntityType.TASK)}


def test_a_new_pre_training_task_is_a_method(extractor):
    ex = extractor.extract(Paper("p", "A study", "We design a new pre-training task, Masked "
                                 "Visual-token Modeling (MVM), for better video modeling."))
    assert "MVM" in {e.name for e in ex.of_type(EntityType.METHOD) if e.proposed}


def test_a_head_word_alone_before_the_comma_is_no_dataset_name(extractor):
    names = _names(extractor, "This paper introduces the Misleading Chart Question Answering "
                   "(Misleading ChartQA) Benchmark, a large-scale multimodal dataset.",
                   EntityType.DATASET)
    assert "Benchmark" not in names


def test_every_mention_of_a_defined_short_form_joins_its_entity(extractor):
    ex = extractor.extract(Paper("p", "A style model", "Global receptive fields matter for image "
                                 "style transfer (ST). Existing ST backbones are costly."))
    tasks = [e for e in ex.of_type(EntityType.TASK) if "ST" in {m.text for m in e.mentions}]
    assert len(tasks) == 1
    assert {m.text for m in tasks[0].mentions} >= {"image style transfer", "ST"}
    assert sum(m.text == "ST" for m in tasks[0].mentions) == 2


def test_a_hyphenated_metric_before_a_noun_is_a_modifier(extractor):
    names = _names(extractor, "We study inference-time scaling and bit-width configurations. "
                   "Our model cuts the inference time by 40% at the same bit-width.",
                   EntityType.METRIC)
    assert "inference time" in names  # the measure itself, with its number
    ex = extractor.extract(Paper("p", "A study", "Spending 4x more inference-time compute "
                                 "and 2x more training-time compute helps."))
    assert not ex.of_type(EntityType.METRIC)


def test_detection_accuracy_is_accuracy_not_the_tracking_metric_deta(extractor):
    names = _names(extractor, "Our detector reaches a detection accuracy of 91.2% on COCO.",
                   EntityType.METRIC)
    assert "accuracy" in names and "DetA" not in names


@pytest.mark.parametrize("abstract, etype, name", [
    ("To reduce bias, we propose a cognitive debiasing approach, called self-debiasing, that "
     "enhances the reliability of the model.", EntityType.METHOD, "self-debiasing"),
    ("Based on the learned codebook, we propose a new distillation target, namely soft code "
     "assignments, to transfer the structural knowledge.", EntityType.METHOD,
     "soft code assignments"),
    ("We introduce a novel preprocessing technique called \"patch and shuffle,\" which "
     "segments input images into patches.", EntityType.METHOD, "patch and shuffle"),
    ("We design a novel conditioning mechanism called style basis, which extracts key poses "
     "from the reference.", EntityType.METHOD, "style basis"),
])
def test_a_lower_case_phrase_the_paper_names_is_its_own_method(extractor, abstract, etype,
                                                                name):
    entity = _entity(extractor, abstract, etype, name)
    assert entity.proposed
    assert entity.mentions[0].rule == "pattern:named_phrase"


def test_a_named_phrase_takes_the_type_of_its_head_word(extractor):
    ex = extractor.extract(Paper("p", "A study", (
        "We devise two metrics, namely neighborhood precision and neighborhood recall, to "
        "assess the neighbors. We propose a new task called perspective-conditioned "
        "segment-level review feedback generation, in which a model writes feedback.")))
    assert {"neighborhood precision", "neighborhood recall"} <= {
        e.name for e in ex.of_type(EntityType.METRIC)}
    assert "perspective-conditioned segment-level review feedback generation" in {
        e.name for e in ex.of_type(EntityType.TASK)}
    assert not {e.name for e in ex.of_type(EntityType.METHOD) if e.proposed}


def test_a_named_phrase_keeps_the_hyphenated_parts_of_its_last_word(extractor):
    names = _names(extractor, "We introduce a new task called fast robust open-world "
                   "audio-visual event-grounding, and a model for it.", EntityType.TASK)
    assert "fast robust open-world audio-visual event-grounding" in names


def test_every_item_named_after_a_plural_head_is_named(extractor):
    ex = extractor.extract(Paper("p", "A study", (
        "We introduce three critical strategies, namely the local prompt, depth-guided "
        "spatial control, and extended self-attention, making the results consistent. "
        "We present two capacity enhancing strategies, namely Multi-Directional Cyclic "
        "Shifted Mechanism and Inter-Pooling Mechanism, for long-distance connections.")))
    proposed = {e.name for e in ex.of_type(EntityType.METHOD) if e.proposed}
    assert {"local prompt", "depth-guided spatial control", "extended self-attention",
            "Multi-Directional Cyclic Shifted Mechanism", "Inter-Pooling Mechanism"} <= proposed
    assert "making" not in {e.name for e in ex.entities}


@pytest.mark.parametrize("abstract", [
    # no proposal: the paper evaluates on datasets it names
    "The proposed method is evaluated on two public datasets, namely the iMiGUE data and "
    "the SMG data, and achieves the best performance.",
    # a single plain word is a word, not a name
    "To avoid information loss, we introduce a new pruning paradigm, termed bypass, which "
    "preserves tokens.",
    # a task head ends a task name; what follows names something else
    "Few attention heads in LLMs contribute to visual understanding, termed visual heads, "
    "as we show.",
])
def test_naming_words_without_a_proposed_name(extractor, abstract):
    ex = extractor.extract(Paper("p", "A study", abstract))
    assert not [e for e in ex.entities if any(
        m.rule == "pattern:named_phrase" for m in e.mentions)]


def test_a_task_opening_a_sentence_is_named_in_lower_case(extractor):
    ex = extractor.extract(Paper("p", "Segmenting Satellite Images", (
        "Remote sensing image segmentation is costly. We cut the cost of remote sensing "
        "image segmentation. Video Object Segmentation is another story.")))
    tasks = {e.name: e for e in ex.of_type(EntityType.TASK)}
    assert "remote sensing image segmentation" in tasks
    assert {m.text for m in tasks["remote sensing image segmentation"].mentions} == {
        "Remote sensing image segmentation", "remote sensing image segmentation"}
    # Title Case is how the paper writes a name, not a sentence's first capital
    assert "Video Object Segmentation" in {a for e in tasks.values() for a in e.aliases}


def _all_names(extractor, abstract):
    ex = extractor.extract(Paper("p", "A study", abstract))
    return {e.name for e in ex.entities}


@pytest.mark.parametrize("abstract, fragment, short", [
    ("Additionally, we propose the Expression Edit Distance (EED) Score, a novel "
     "evaluation metric for formulas.", "Score", "EED"),
    ("The Growth Modelling (GroMo) Grand Challenge at ACM Multimedia asks for crop "
     "growth forecasts.", "Grand", None),
    ("We report results on the public Wuhan University (WHU) Building Dataset and "
     "on the Inria benchmark.", "Building", None),
])
def test_a_name_continued_across_a_short_form_is_no_name_of_its_own(
        extractor, abstract, fragment, short):
    names = _all_names(extractor, abstract)
    assert fragment not in names
    assert short is None or short in names  # the definition stays


def test_a_name_shaped_word_after_a_short_form_is_a_name(extractor):
    names = _names(extractor, "We attack six state-of-the-art (SOTA) LightningDiT models "
                   "and report results.", EntityType.METHOD)
    assert "LightningDiT" in names


@pytest.mark.parametrize("abstract, name, sense", [
    # APL is also AP_L, the COCO metric for large objects
    ("We introduce an adaptive part discovery and learning method, called APL, which "
     "finds object parts. Our APL plugs into existing frameworks.", "APL", EntityType.METRIC),
    # TAO is also a tracking dataset
    ("We then run a warm-up stage using our offline reinforcement learning approach "
     "called TAO, followed by fine-tuning.", "TAO", EntityType.DATASET),
])
def test_a_name_the_paper_coins_has_the_type_its_head_word_gives(extractor, abstract,
                                                                  name, sense):
    ex = extractor.extract(Paper("p", "A study", abstract))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert name in methods and methods[name].proposed
    assert len(methods[name].mentions) == abstract.count(name)  # every mention joins it
    assert not ex.of_type(sense)  # the gazetteer's sense is gone from the paper


def test_a_name_the_text_calls_what_the_gazetteer_knows_keeps_its_sense(extractor):
    # MAE is a method and a metric in the gazetteer; "approach" picks the method sense,
    # which stays the gazetteer's entry
    ex = extractor.extract(Paper("p", "A study", "We pre-train the encoder with a masked "
                                 "image modeling approach called MAE."))
    mae = next(e for e in ex.of_type(EntityType.METHOD) if e.name == "MAE")
    assert [m.rule.split(":")[0] for m in mae.mentions] == ["gazetteer"]
    assert not ex.of_type(EntityType.METRIC)


def test_no_name_ends_in_a_hyphen(extractor):
    ex = extractor.extract(Paper("p", "A study", (
        "We compare six chat models-including Claude and Mistral-on posts, and prior "
        "open math datasets-including MegaMath and OpenWebMath-but none is enough. "
        "Unlike CNN- and Transformer-based models, our Semantic- and Distortion-aware "
        "module helps E- commerce.")))
    names = {e.name for e in ex.entities}
    assert not [n for n in names if n.endswith("-")]
    assert {"Mistral", "OpenWebMath"} <= names  # the name before the dash stays
    assert "Semantic" not in names and "E" not in names


def test_no_guess_starts_inside_a_hyphenated_word(extractor):
    # patterns anchored on the last part of a hyphenated name take the whole name
    ex = extractor.extract(Paper("p", "Editing videos", (
        "We present Shape-for-Motion, a novel framework for editing. Shape-for-Motion "
        "achieves this with a Gather-and-Distribute module. Skywork-R1V3 achieves "
        "strong results.")))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert {"Shape-for-Motion", "Gather-and-Distribute", "Skywork-R1V3"} <= set(methods)
    assert not {"Motion", "Distribute", "R1V3"} & set(methods)
    assert methods["Shape-for-Motion"].proposed
    # a lower-case prefix, a count or a size before the dash is no part of a name,
    # and a known name the proposal grows into is not the paper's own
    ex = extractor.extract(Paper("p", "Segmenting organs", (
        "We propose Dino U-Net, a novel architecture for scans. It beats non-DMP "
        "models and Qwen2.5-7B and 14B-Instruct models.")))
    names = {e.name: e for e in ex.entities}
    assert "DMP" in names and "Instruct" in names
    assert not names["U-Net"].proposed


def test_an_organisation_or_a_place_alone_is_no_entity(extractor):
    # "like" and "including" list anything; a company or a country is no method,
    # while its products keep their names
    names = _all_names(extractor, "Providers like Google and OpenAI received most data. We "
                       "collect sentences from jurisdictions including India and China. Our "
                       "system outperforms Google Translate and NVIDIA NeMo.")
    assert names == {"Google Translate", "NVIDIA NeMo"}


def test_a_programming_language_or_a_software_library_is_no_method(extractor):
    # the tools a method is written in or runs on; an acronym that spells one of them
    # and names a method stays
    names = _all_names(extractor, "We present OnPrem, a Python-based toolkit built on "
                       "PyTorch-based models. It generalizes across languages like Python "
                       "and Java and platforms including Windows, Linux and Android. We "
                       "propose Concept-based Unsupervised Domain Adaptation (CUDA). We "
                       "compare it with pipelines of BERT, NLTK and spaCy.")
    assert not names & {"Python", "PyTorch", "Java", "Windows", "Linux", "Android", "NLTK",
                        "spaCy"}
    assert {"OnPrem", "CUDA"} <= names


def test_what_people_do_is_no_task_while_tasks_about_people_keep_their_names(extractor):
    ex = extractor.extract(Paper(
        "p", "Continual learners",
        "Our model learns new classes without forgetting, similar to human learning, and "
        "is aligned with human reasoning. ChatGPT underperforms human translation (HT) "
        "in Human-LLM dialogs. We also study human pose estimation and human video "
        "generation."))
    tasks = {e.name.lower() for e in ex.of_type(EntityType.TASK)}
    assert not tasks & {"human learning", "human reasoning", "human translation"}
    assert {"human pose estimation", "human video generation"} <= tasks
    assert "Human-LLM" not in {e.name for e in ex.entities}


def test_a_sensor_a_modality_an_interface_or_a_field_is_no_method(extractor):
    names = _all_names(extractor, "We fuse wearable inertial measurement units (IMUs) with "
                       "WiFi-based sensing on whole slide images (WSIs) and ECG signals. "
                       "Graphical user interface (GUI) agents and Generative AI (GenAI) "
                       "tools lag behind our SensorNet. Deep learning (DL) models detect "
                       "facial action units (AUs). We train DL models to find AUs.")
    assert not names & {"IMU", "WiFi", "WSI", "ECG", "GUI", "GenAI", "Generative AI", "DL",
                        "AU", "AUs"}
    assert "SensorNet" in names


def test_a_capitalised_common_word_the_paper_writes_in_lower_case_is_no_name(extractor):
    # "Deep Learning models": the capital comes from the Title Case phrase, and the
    # paper writes "learning" too; a name capitalised on its own mid-sentence stays
    names = _all_names(extractor, "Deep Learning models have achieved remarkable success "
                       "in learning from data. Motivated by the recently proposed Learngene "
                       "framework, we study small parts termed learngene.")
    assert "Learning" not in names
    assert "Learngene" in names


def test_a_training_loss_is_no_metric(extractor):
    # a measure the paper optimises is no result; "loss" after a result word, or with
    # its size, is a drop in the result
    text = ("We train with an MSE loss and an LPIPS perceptual loss, and we replace the "
            "Intersection over Union loss with a KL divergence term. Loss functions such "
            "as cross-entropy or Dice are common. We propose differentiable marginal L1 "
            "Average Calibration Error (mL1-ACE) as an auxiliary loss. Our model "
            "reaches 31 dB PSNR and 0.92 SSIM with minimal accuracy loss and a FID loss "
            "of 0.3 against a weighted Chamfer Distance Loss baseline.")
    metrics = set(_names(extractor, text, EntityType.METRIC))
    assert not metrics & {"MSE", "LPIPS", "IoU", "KL divergence", "Dice",
                          "marginal L1 Average Calibration Error", "mL1-ACE"}
    assert {"PSNR", "SSIM", "accuracy", "FID"} <= metrics
    # no other reading of the loss's words takes its place
    assert not {"Union", "LPIPS", "KL"} & _all_names(extractor, text)


def test_a_name_joins_the_written_out_name_it_spells_in_an_apposition(extractor):
    ex = extractor.extract(Paper(
        "p", "Efficient vision backbones",
        "We introduce SHViT, a Single-Head Vision Transformer that obtains a good "
        "speed-accuracy tradeoff. SHViT runs fast on mobile devices."))
    methods = [e for e in ex.of_type(EntityType.METHOD) if "SHViT" in e.aliases]
    assert len(methods) == 1
    assert methods[0].name == "SHViT"
    assert "Single-Head Vision Transformer" in methods[0].aliases
    assert methods[0].proposed


def test_a_title_name_joins_the_name_it_spells_in_the_abstract(extractor):
    ex = extractor.extract(Paper(
        "p", "Channel Vision Transformers: An Image Is Worth Many Words",
        "Images often contain many channels. Our proposed model, ChannelViT, constructs "
        "patch tokens independently from each input channel. ChannelViT outperforms "
        "ViT on classification."))
    methods = [e for e in ex.of_type(EntityType.METHOD)
               if {"ChannelViT", "Channel Vision Transformers"} & set(e.aliases)]
    assert len(methods) == 1
    assert {"ChannelViT", "Channel Vision Transformers"} <= set(methods[0].aliases)


def test_a_name_and_a_long_form_it_spells_far_apart_stay_two_entities(extractor):
    ex = extractor.extract(Paper(
        "p", "A study of sparse models",
        "We build on the Sparse Mixture Transformer of earlier work. Many methods were "
        "compared over the years, with mixed results on standard benchmarks. "
        "Finally, we present SMT, our own model, which runs faster."))
    names = {e.name for e in ex.of_type(EntityType.METHOD)}
    assert {"Sparse Mixture Transformer", "SMT"} <= names


def test_a_family_and_its_version_spelling_one_long_form_stay_apart(extractor):
    ex = extractor.extract(Paper(
        "p", "Better video representations",
        "We introduce neural representations for videos NeRV++, an enhanced implicit "
        "neural video representation, over the original NeRV decoder architecture."))
    names = {e.name for e in ex.of_type(EntityType.METHOD)}
    assert {"NeRV++", "NeRV"} <= names


@pytest.mark.parametrize("abstract,listed", [
    ("We report +5.3% top-1 accuracy on ImageNet for ViT-B/16 and Mixer-B/16, respectively.",
     {"Mixer-B/16"}),
    ("Our method gets 78.63%|81.96% top-1 accuracies for ResNet-50|ConvNeXt-T|Mixer-S/16|"
     "Mixer-B/16 trained on ImageNet-1K.", {"Mixer-S/16", "Mixer-B/16"}),
    ("We compare GPT-4o, Gemini2-Flash and Gemini2-Pro on our benchmark.",
     {"Gemini2-Flash", "Gemini2-Pro"}),
    ("Four classifiers were compared: TabNet, XGBoost, and FooFormer-L.",
     {"TabNet", "FooFormer-L"}),
])
def test_a_name_listed_with_a_known_model_is_a_model(extractor, abstract, listed):
    ex = extractor.extract(Paper("p", "A study", abstract))
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert listed <= set(methods)
    assert all(not methods[name].proposed for name in listed)
    assert all("pattern:method_sibling" in {m.rule for m in methods[name].mentions}
               for name in listed)


@pytest.mark.parametrize("abstract,not_listed", [
    # a comma alone joins no list
    ("On MedXpertQA MM, GPT-5 improves reasoning by 20 points.", "MedXpertQA MM"),
    # no name is part of a word
    ("We use two open-access language models: t-lite-instruct-0.1 and gemma3-27b-it.",
     "instruct-0.1"),
    # a family lists kinds, not models
    ("We review how LLMs and KGs can be combined.", "KGs"),
    # the last item modifies a noun after it
    ("We test compositionality in Mistral, OpenAI Large, and GoogleAI embedding models.",
     "GoogleAI"),
    # the first half of a suspended compound, and a plain Title Case phrase
    ("Compared to previous NeRF- and 3DGS-based baselines, our method is faster.", "NeRF-"),
    ("We combine BERT and Numerical Calculation for this.", "Numerical Calculation"),
    # a citation key is no name
    ("Joint training is common (MiDaS, ZeroDepth and guizilini2023towards).",
     "guizilini2023towards"),
    # sizes and versions are no models of their own
    ("We fine-tune Qwen2.5 7B and 72B on our data.", "72B"),
])
def test_a_list_that_is_no_list_of_models_adds_none(extractor, abstract, not_listed):
    names = _names(extractor, abstract, EntityType.METHOD)
    assert not_listed not in names
    assert not any(not_listed in name for name in names - {"Qwen2.5 7B"})
