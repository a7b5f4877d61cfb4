"""The generator of sftkit's bundled corpus (deterministic, seeded).

Everything in sftkit runs offline on data generated here from a hand-written grammar
and lexicon, so the ground truth of every example is known. The parts:

* :mod:`sftkit.synth.lexicon`  -- word lists; the seen / held-out sentiment split;
* :mod:`sftkit.synth.reviews`  -- a review grammar whose labels need word order
  (negation, contrast, expectation ...), and polarity-coherent corpus passages;
* :mod:`sftkit.synth.messages` -- ham and spam SMS, with deliberate overlap;
* :mod:`sftkit.synth.prose`    -- neutral news, recipes, how-to text, and junk;
* :mod:`sftkit.synth.zh_lexicon`, :mod:`sftkit.synth.zh_reviews` -- the same design
  in Chinese (中文商品评论: 否定, 转折, 程度副词), and neutral Chinese prose;
* :mod:`sftkit.synth.build`    -- splits, the noisy data-selection pool with its ground
  truth, the pretraining corpus, and writing files.

``build_corpus("data")`` with ``DEFAULT_SEED`` reproduces the committed ``data/`` files
byte for byte (the command line is ``sftkit data build --out data``).
"""
from sftkit.synth.build import DEFAULT_SEED, build_corpus, generate
from sftkit.synth.lexicon import HELDOUT_WORDS, SEEN_WORDS

__all__ = ["DEFAULT_SEED", "build_corpus", "generate", "HELDOUT_WORDS", "SEEN_WORDS"]
