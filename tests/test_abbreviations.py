"""Tests of :mod:`kgraph.extract.abbreviations`: each rule on tiny strings, then real text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kgraph.extract.abbreviations import (
    Abbreviation, abbreviation_map, find_abbreviations, spells, unspelled_version)

SEEDS = Path(os.environ.get("KGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "seeds"


def pairs(text: str) -> list[tuple[str, str]]:
    return [(a.short, a.long) for a in find_abbreviations(text)]


def seed_paragraphs() -> list[str]:
    files = sorted(SEEDS.glob("*.txt"))
    assert files, f"no seed pages in {SEEDS}"
    return [p for f in files for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]


class TestPatterns:
    def test_long_form_then_short_form(self):
        assert pairs("We use support vector machines (SVM) here.") == [
            ("SVM", "support vector machines")]

    def test_short_form_then_long_form(self):
        assert pairs("We train a CNN (convolutional neural network with skips).") == [
            ("CNN", "convolutional neural network with skips")]

    def test_two_words_that_are_no_short_form_are_a_long_form(self):
        assert pairs("We use ViT (Vision Transformer) here.") == [("ViT", "Vision Transformer")]

    def test_reversed_pattern_after_i_e(self):
        assert pairs("we maximise the ELBO (i.e. the evidence lower bound) of") == [
            ("ELBO", "evidence lower bound")]

    def test_reversed_long_form_starts_at_the_parenthesis(self):
        assert pairs("ENEIDE (Extracting Named Entities from Italian Digital Editions)") == [
            ("ENEIDE", "Extracting Named Entities from Italian Digital Editions")]
        assert pairs("we use LLMs (Phi3 and Llama3) here") == []
        assert pairs("VSC (continual visual spatial counting)") == []

    def test_reversed_pattern_after_lead_in_words(self):
        assert pairs("a GAN (short for generative adversarial network) is") == [
            ("GAN", "generative adversarial network")]

    def test_reversed_pattern_needs_a_capital(self):
        assert pairs("we train a model (a multi layer perceptron) here") == []

    def test_several_definitions_in_order(self):
        text = "peak signal to noise ratio (PSNR) and structural similarity (SSIM)"
        assert pairs(text) == [("PSNR", "peak signal to noise ratio"),
                               ("SSIM", "structural similarity")]


class TestOffsets:
    def test_offsets_slice_exactly(self):
        text = "Recently, generative adversarial networks (GANs) won."
        (a,) = find_abbreviations(text)
        assert a == Abbreviation("GANs", "generative adversarial networks", 43, 47, 10, 41)
        assert text[a.short_start:a.short_end] == a.short
        assert text[a.long_start:a.long_end] == a.long

    def test_offsets_of_the_reversed_pattern(self):
        text = "A GAN (generative adversarial network, 2014) wins."
        (a,) = find_abbreviations(text)
        assert (a.short_start, a.short_end) == (2, 5)
        assert text[a.long_start:a.long_end] == "generative adversarial network"

    def test_offsets_past_non_ascii_text(self):
        text = "İİ ß — Fréchet Inception Distance (FID)"
        (a,) = find_abbreviations(text)
        assert text[a.short_start:a.short_end] == "FID"
        assert text[a.long_start:a.long_end] == "Fréchet Inception Distance"


class TestShortFormRules:
    @pytest.mark.parametrize("sf", ["ABCDEFGHIJK", "A", "-AB", "123", "x = y", "A B C D"])
    def test_invalid_short_forms(self, sf):
        # Too long, too short, not starting alphanumeric, no letter, equation, 4 words.
        assert pairs(f"Alpha Beta Charlie Delta Echo Foxtrot Golf Hotel India Juliet Kilo ({sf})") == []

    def test_ten_characters_is_allowed(self):
        assert pairs("Alpha Beta Charlie Delta Echo Foxtrot Golf Hotel India Juliet (ABCDEFGHIJ)") == [
            ("ABCDEFGHIJ", "Alpha Beta Charlie Delta Echo Foxtrot Golf Hotel India Juliet")]

    def test_short_form_needs_a_capital(self):
        assert pairs("look at the lower half of this figure (left)") == []

    def test_lower_case_letters_inside_short_form(self):
        assert pairs("mean average precision (mAP)") == [("mAP", "mean average precision")]
        assert pairs("Memory-based Dynamic Graph Neural Networks (MDGNNs)") == [
            ("MDGNNs", "Memory-based Dynamic Graph Neural Networks")]

    def test_name_without_matching_letters_is_no_definition(self):
        assert pairs("We present a video approach (iSeeBetter) for upscaling.") == []

    @pytest.mark.parametrize("content", ["Lee, 2020", "Lee 2020", "Lee et al.", "Lee and Ma, 2020b"])
    def test_citation_after_matching_words(self, content):
        assert pairs("a Low-rank Embedding Estimator (Lee)") == [("Lee", "Low-rank Embedding Estimator")]
        assert pairs(f"a Low-rank Embedding Estimator ({content}) is") == []

    @pytest.mark.parametrize("content", [
        "Smith et al., 2020", "Smith, 2020", "Smith and Jones, 2019", "Smith 2020a",
        "2020", "3.4%", "+2.3\\%", "12-38%", "1", "x = 3", "$n^2$", "Fig. 2", "Sec 3.1",
        "e.g., CNN", "i.e. the sharpness of the loss", "ii", "iv", "a", "E.g.", "Cf.",
        "I.e., CNN",
    ])
    def test_not_abbreviations(self, content):
        assert pairs(f"Convolutional neural networks and Smith 2020 Fig Sec CNN ({content}) win") == []


class TestWindow:
    def test_long_form_within_window(self):
        # |SF| = 2 allows min(2 + 5, 2 * 2) = 4 words.
        assert pairs("alpha one two beta (AB)") == [("AB", "alpha one two beta")]

    def test_long_form_beyond_window(self):
        assert pairs("alpha one two three beta (AB)") == []

    def test_window_stops_at_sentence_start(self):
        assert pairs("Alpha beta gamma (ABG)") == [("ABG", "Alpha beta gamma")]
        assert pairs("Alpha. Beta gamma (ABG)") == []

    def test_window_stops_at_previous_parenthesis(self):
        assert pairs("alpha (x) beta (AB)") == []


class TestMatching:
    def test_first_character_must_start_a_word(self):
        assert pairs("bacon network (CN)") == []
        assert pairs("cool network (CN)") == [("CN", "cool network")]

    def test_first_character_after_a_hyphen_starts_a_word(self):
        assert pairs("Time-Dependent Layer Normalization (TD-LN)") == [
            ("TD-LN", "Time-Dependent Layer Normalization")]

    def test_rightmost_match_wins(self):
        # The paper's greedy matching takes the shortest long form ...
        assert pairs("a deep Convolutional Neural Network (CNN)") == [
            ("CNN", "Convolutional Neural Network")]

    def test_a_doubled_initial_takes_in_the_word_the_rightmost_match_cut(self):
        # ... which loses a word when the short form repeats an initial: the second
        # "E" of "EES" matched the "e" of "EigenScore", the second "P" of "PPO" the
        # "p" of "Optimization"
        assert pairs("we propose Efficient EigenScore (EES)") == [
            ("EES", "Efficient EigenScore")]
        assert pairs("trained with Proximal Policy Optimization (PPO) and") == [
            ("PPO", "Proximal Policy Optimization")]
        assert pairs("the concordance correlation coefficient (CCC) between") == [
            ("CCC", "concordance correlation coefficient")]
        # the word before is taken in only when it gives the doubled initial
        assert pairs("we then use Policy Optimization (PPO) here") == [
            ("PPO", "Policy Optimization")]

    def test_inner_letters_need_not_start_words(self):
        assert pairs("NOise Robust Temporal Optimal traNsport (Norton)") == [
            ("Norton", "NOise Robust Temporal Optimal traNsport")]

    def test_digits_are_matched(self):
        assert pairs("We use 3D Gaussian Splatting (3DGS) here.") == [
            ("3DGS", "3D Gaussian Splatting")]

    def test_digits_that_do_not_match(self):
        assert pairs("We fine-tune the large vision transformer (ViT-L/16) here.") == []
        assert pairs("the second selective state space model (Mamba-2) here.") == []

    def test_inner_digit_read_as_a_word(self):
        assert pairs("a Text-to-Image (T2I) model") == [("T2I", "Text-to-Image")]
        assert pairs("adding a Multi-choice Mask-to-Box (MM2B) step") == [
            ("MM2B", "Multi-choice Mask-to-Box")]
        assert pairs("Natural Language Inference for Patient Recruitment (NLI4PR) data") == [
            ("NLI4PR", "Natural Language Inference for Patient Recruitment")]
        assert pairs("we use Hierarchical Two-sample Tests (H2ST) here") == [
            ("H2ST", "Hierarchical Two-sample Tests")]

    def test_inner_digit_read_as_a_repeated_letter(self):
        # "to" is no word of the long form, so the digit doubles the "S"
        assert pairs("Structurally Stable Incremental Learning (S2IL) is") == [
            ("S2IL", "Structurally Stable Incremental Learning")]
        assert pairs("we propose Convolutional Transformer based Dual Discriminator "
                     "Generative Adversarial Networks (CT-D2GAN) to detect") == [
            ("CT-D2GAN", "Convolutional Transformer based Dual Discriminator "
                         "Generative Adversarial Networks")]
        assert pairs("a Dueling Double Deep Q-Network (D3QN) agent") == [
            ("D3QN", "Dueling Double Deep Q-Network")]

    def test_inner_digit_read_as_nothing(self):
        # neither "to" nor seven "S": the digit is left out
        assert pairs("a Sparse Layer Network (S7LN) for") == [("S7LN", "Sparse Layer Network")]

    def test_leading_and_trailing_digits_must_match(self):
        assert pairs("Opioid Named Entity Recognition (ONER-2025) from Reddit") == []
        assert pairs("the Swin Transformer (Swin2) is") == []
        assert pairs("on the Places dataset (Places2) and") == []

    def test_version_digit_after_an_acronym_of_initials(self):
        assert pairs("we design Vision MambaMixer (ViM2) and Time Series MambaMixer (TSM2)") \
            == [("ViM2", "Vision MambaMixer"), ("TSM2", "Time Series MambaMixer")]
        assert pairs("Speculative Jacobi-Denoising Decoding (SJD2) speeds up") == [
            ("SJD2", "Speculative Jacobi-Denoising Decoding")]

    def test_version_digit_needs_every_capital_on_a_word_start(self):
        # the plain matching finds s-a-m, but "a" and "m" start no words of the same name
        assert pairs("we use a semantic extraction model (SAM2) to") == []
        assert pairs("the Attention (AT2) layer") == []
        # initials, but of a clause far longer than the acronym
        assert pairs("Specifically, it utilizes a visual foundation model (SAM2) as") == []

    def test_unspelled_version(self):
        assert unspelled_version("SAM2", "Segment Anything Model")
        assert not unspelled_version("SAM2", "Segment Anything Model 2")
        assert not unspelled_version("D2GAN", "Dual Discriminator GAN")
        assert not unspelled_version("FID", "Frechet Inception Distance")

    def test_long_form_containing_the_short_form(self):
        assert pairs("the BERT model (BERT) is") == []
        assert pairs("we fine-tune on BERT (BERT)") == []

    def test_unicode_letters(self):
        assert pairs("Fréchet Inception Distance (FID)") == [("FID", "Fréchet Inception Distance")]
        assert pairs("Échelle Multi Niveaux (ÉMN)") == [("ÉMN", "Échelle Multi Niveaux")]


class TestSpells:
    """``spells``: a name and a long form found apart, matched as in rule 4."""

    def test_every_word_of_the_long_form_is_spelled_from(self):
        assert spells("SHViT", "Single-Head Vision Transformer")
        assert spells("ChannelViT", "Channel Vision Transformers")
        assert spells("CNNs", "Convolutional Neural Networks")

    def test_a_long_form_with_a_word_the_name_does_not_start_is_no_match(self):
        # "ViT" spells "Vision Transformer", not the adjective before it
        assert not spells("ViT", "efficient Vision Transformer")
        assert not spells("SHViT", "Multi-Head Vision Transformer")

    def test_a_name_needs_a_capital_and_one_word_and_a_long_form_two(self):
        assert not spells("vit", "Vision Transformer")
        assert not spells("Vi T", "Vision Transformer")
        assert not spells("HAT", "Transformer")

    def test_a_capital_of_the_name_matches_a_capital_or_a_word_start(self):
        assert spells("VIOLET", "VIdeO-LanguagE Transformer")
        assert spells("IRCAM", "Iterative Residual Cross-Attention Mechanism")
        assert not spells("ABP", "All-for-One subgraph")
        assert not spells("GSsplat", "Gaussian Splatting")

    def test_every_word_gives_a_letter_and_none_is_the_name(self):
        assert spells("NeRV", "neural representations for videos")
        assert not spells("SI", "Seed LiveInterpret 2.0")
        assert not spells("LMs", "LLM Hypnosis")
        assert not spells("LAMs", "LAM SIMULATOR")

    def test_the_papers_window_limits_the_long_form(self):
        # min(|SF| + 5, 2 |SF|) words: 4 for a two-letter name
        assert spells("ST", "Swin Transformer")
        assert not spells("ST", "Sparse and very deep Transformer")


class TestExtensions:
    def test_plural_short_form(self):
        assert pairs("Convolutional neural networks (CNNs) win") == [
            ("CNNs", "Convolutional neural networks")]
        assert pairs("Tiny Time Mixers (TTMs)") == [("TTMs", "Tiny Time Mixers")]

    def test_plural_s_is_not_matched(self):
        # Without dropping the "s", no word of the long form has one after the "m".
        assert pairs("large language model (LLMs)") == [("LLMs", "large language model")]

    def test_capital_s_is_part_of_the_acronym(self):
        assert pairs("a Mixture of Gaussian Splats (MGS)") == [("MGS", "Mixture of Gaussian Splats")]

    @pytest.mark.parametrize("content", ["CNNs; see Section 2", "CNNs, e.g. ResNet", "CNNs;ours"])
    def test_several_items_in_parenthesis(self, content):
        text = f"Convolutional neural networks ({content}) win"
        (a,) = find_abbreviations(text)
        assert (a.short, a.long) == ("CNNs", "Convolutional neural networks")
        assert text[a.short_start:a.short_end] == "CNNs"

    def test_long_form_does_not_begin_with_an_article(self):
        assert pairs("The Transformer (TT) is") == []
        assert pairs("we use the Transformer (TT)") == []
        assert pairs("we train our network (ON)") == []

    def test_first_letter_on_a_function_word_moves_to_an_earlier_word(self):
        assert pairs("a pretext task, Turning to Video for Transcript Sorting (TVTS), which") \
            == [("TVTS", "Turning to Video for Transcript Sorting")]
        # no earlier word starts with the letter: no definition
        assert pairs("the gain of going to Video for Transcript Sorting (TVTS)") == []

    def test_capitalised_article_inside_a_sentence(self):
        assert pairs("We present A Lite BERT (ALBERT) for") == [("ALBERT", "A Lite BERT")]
        assert pairs("A Lite BERT (ALBERT) is small.") == []

    def test_long_form_does_not_end_with_a_function_word(self):
        assert pairs("tasks: image classification and (IC) detection") == []
        assert pairs("two tasks: (i) image classification and (ii) detection") == []

    def test_quotes_and_tex_spaces_are_trimmed(self):
        assert pairs("we call it 'robust mean teacher' (RMT)") == [("RMT", "robust mean teacher")]
        assert pairs("a continual test-time adaptation~(CTTA)") == [
            ("CTTA", "continual test-time adaptation")]
        assert pairs("the ``Forgetting Prioritized Finetuning (FPF)") == [
            ("FPF", "Forgetting Prioritized Finetuning")]


class TestApi:
    def test_abbreviation_is_frozen(self):
        a = Abbreviation("A", "B", 0, 1, 2, 3)
        with pytest.raises(AttributeError):
            a.short = "C"  # type: ignore[misc]

    def test_map_first_definition_wins(self):
        text = "super-resolution (SR) and salient relevance (SR) and mean squared error (MSE)"
        assert abbreviation_map(text) == {"SR": "super-resolution", "MSE": "mean squared error"}

    def test_no_parenthesis(self):
        assert find_abbreviations("") == []
        assert find_abbreviations("no brackets here") == []

    def test_type_error(self):
        with pytest.raises(TypeError):
            find_abbreviations(None)  # type: ignore[arg-type]


class TestSeeds:
    def test_real_text_offsets(self):
        total = 0
        for paragraph in seed_paragraphs():
            for a in find_abbreviations(paragraph):
                assert paragraph[a.short_start:a.short_end] == a.short
                assert paragraph[a.long_start:a.long_end] == a.long
                assert a.long_end <= a.short_start or a.short_end <= a.long_start
                total += 1
        assert total > 300

    def test_real_definitions_found(self):
        found = {pair for p in seed_paragraphs() for pair in pairs(p)}
        expected = {
            ("PSNR", "peak signal to noise ratio"),
            ("CNNs", "Convolutional neural networks"),
            ("SSIM", "structural similarity"),
            ("SISR", "single-image super-resolution"),
            ("MDGNNs", "Memory-based Dynamic Graph Neural Networks"),
            ("TD-LN", "Time-Dependent Layer Normalization"),
            ("fMRI", "functional Magnetic Resonance Imaging"),
            ("SOTA", "state-of-the-art"),
            ("mAP", "mean average precision"),
            ("LSTM", "Long Short-Term Memory"),
            ("TNT", "Transformer iN Transformer"),
        }
        assert expected <= found, expected - found

    def test_real_non_definitions_skipped(self):
        shorts = {a.short for p in seed_paragraphs() for a in find_abbreviations(p)}
        assert not {"e.g.", "i.e.", "ii", "2020", "a", "L", "LlogL"} & shorts
        assert not any(ch in s for s in shorts for ch in "%=\\$^")
