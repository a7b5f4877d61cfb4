"""Settings that check themselves: :class:`TrainConfig` (the classifier) and :class:`LMConfig`
(the language model).

Every setting is declared once, as a dataclass field with its default, its help text and
its constraint. The constraint is checked when the config is made, so a bad value fails
where it is defined (in a script, a lesson or the command line alike), with one message
form, in the style of scikit-learn's parameter constraints::

    >>> TrainConfig(dropout=1.5)
    Traceback (most recent call last):
    ...
    sftkit.config.ConfigError: TrainConfig.dropout must be in [0, 1); got 1.5

The ``sftkit`` command builds its flags from the same fields (:func:`add_config_arguments`),
so a setting cannot exist in the library and be missing from the command, and the help
text is written once.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Sequence

# ----------------------------------------------------------------------------- constraints


class ConfigError(ValueError):
    """A setting outside its allowed values. ``field``, ``requirement`` and ``value`` say which."""

    def __init__(self, owner: str, name: str, requirement: str, value: Any):
        self.owner, self.field, self.requirement, self.value = owner, name, requirement, value
        super().__init__(f"{owner}.{name} must be {requirement}; got {value!r}")

    def as_flag(self) -> str:
        """The same message in terms of the command-line flag (``--dropout must be ...``)."""
        # "or None" is Python's way to say "the default": a command-line user leaves the flag out instead
        requirement = self.requirement.replace(" or None", " (or leave it out for the default)")
        return f"--{self.field.replace('_', '-')} must be {requirement}; got {self.value!r}"


@dataclass(frozen=True)
class Interval:
    """A number of ``kind`` (int or float) between ``low`` and ``high`` (``None`` = unbounded)."""

    kind: type
    low: float | None = None
    high: float | None = None
    closed: str = "both"  # "both", "left", "right" or "neither"
    allow_none: bool = False

    def accepts(self, value) -> bool:
        if value is None:
            return self.allow_none
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return False
        if self.kind is int and not float(value).is_integer():
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        lo_ok = self.low is None or (value >= self.low if self.closed in ("both", "left") else value > self.low)
        hi_ok = self.high is None or (value <= self.high if self.closed in ("both", "right") else value < self.high)
        return lo_ok and hi_ok

    def __str__(self) -> str:
        what = "an integer" if self.kind is int else "a number"
        if self.low is not None and self.high is not None:
            left = "[" if self.closed in ("both", "left") else "("
            right = "]" if self.closed in ("both", "right") else ")"
            text = f"in {left}{_num(self.low)}, {_num(self.high)}{right}"
            text = f"an integer {text}" if self.kind is int else text
        elif self.low is not None:
            strict = self.closed not in ("both", "left")
            if self.low == 0:
                text = f"{'a positive' if strict else 'a non-negative'} {what.split(' ', 1)[1]}"
            else:
                text = f"{what} {'>' if strict else '>='} {_num(self.low)}"
        elif self.high is not None:
            text = f"{what} {'<' if self.closed not in ('both', 'right') else '<='} {_num(self.high)}"
        else:
            text = what
        return text + (" or None" if self.allow_none else "")


@dataclass(frozen=True)
class Options:
    """One of a fixed set of strings."""

    values: tuple

    def accepts(self, value) -> bool:
        return isinstance(value, str) and value in self.values

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


@dataclass(frozen=True)
class Boolean:
    def accepts(self, value) -> bool:
        return isinstance(value, bool)

    def __str__(self) -> str:
        return "True or False"


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def setting(default, constraint, help: str, *, flag: bool = True):
    """A dataclass field with its constraint and help text (``flag=False``: not on the command line)."""
    return field(default=default, metadata={"constraint": constraint, "help": help, "flag": flag})


class _Validated:
    """Checks every field against its constraint after ``__init__`` (and in :meth:`replace`)."""

    def __post_init__(self):
        owner = type(self).__name__
        for f in dataclasses.fields(self):
            constraint = f.metadata.get("constraint")
            value = getattr(self, f.name)
            if constraint is not None and not constraint.accepts(value):
                raise ConfigError(owner, f.name, str(constraint), value)
            if (isinstance(constraint, Interval) and constraint.kind is int and value is not None
                    and not isinstance(value, FromData)):
                object.__setattr__(self, f.name, int(value))

    def replace(self, **changes):
        """A copy with some settings changed; unknown names raise ``TypeError``, bad values ``ConfigError``."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise TypeError(f"unknown {type(self).__name__} setting(s): {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)

    # the name lessons and older scripts use
    with_ = replace

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def complete_record(cls, record: dict) -> dict:
        """A recorded :meth:`to_dict` (as read back from JSON) with every setting added since it
        was written filled in at its default.

        A new setting defaults to the old behaviour, so a run recorded before it existed ran as
        that default does; the completed record compares equal to today's ``to_dict()`` of the
        same recipe (after a JSON round trip). Settings in the record win; unknown ones stay.
        """
        return {**json.loads(json.dumps(cls().to_dict())), **record}


# ----------------------------------------------------------------------------- the configs

from sftkit.text import CJK_DEFAULT, CJK_THRESHOLD, NON_ASCII_THRESHOLD, TOKENIZERS  # noqa: E402 (cheap: sftkit.text imports TensorFlow lazily)

POOLINGS = ("last", "mean_max", "concat")
AUGMENTATIONS = ("none", "token_dropout", "word_swap", "synonym")


PRETRAINED_LAYERS = ("auto", "embedding+lstm", "embedding")

#: The largest seed: NumPy and scikit-learn take seeds in [0, 2**32 - 1].
MAX_SEED = 2**32 - 1

#: The default sequence_length, and the least one taken from the data (issue 14).
DEFAULT_SEQUENCE_LENGTH = 48
#: The most tokens per text a length taken from the data may reach (the LSTM's time grows with it).
MAX_SEQUENCE_LENGTH = 256
#: The most tokens per text a user may ask for: an LSTM reads one token per step, so memory and time grow
#: with the length (100,000 steps on 240 six-token texts took 12 GB and minutes per epoch); longer
#: documents are better cut or split into passages.
SEQUENCE_LENGTH_LIMIT = 4096


class FromData(int):
    """The default ``sequence_length``: an ``int`` (48) that also says "not set by the user".

    It prints, compares and computes as the number it is. Only its type differs from a
    ``sequence_length`` given explicitly (``TrainConfig(sequence_length=48)``, ``--sequence-length
    48``), so training may lengthen the default to fit the texts
    (:meth:`TrainConfig.sequence_length_for`) and never changes a length the user chose.
    """



# The measured recipe (benchmarks/recipe_lab.py on reviews/val; figures in
# benchmarks/results/recipe.md). Below this many labelled examples the pretrained LSTM
# helps; from here on a fresh LSTM learns the task better and only the embedding is kept.
LSTM_TRANSFER_BELOW = 1500

#: With the pretrained LSTM, the share of the epoch budget the head trains alone before the LSTM
#: joins (``TrainConfig.freeze_epochs=None``; chosen on validation, see TrainConfig.freeze_epochs_for).
FROZEN_SHARE = 0.5


@dataclass
class TrainConfig(_Validated):
    """Hyperparameters of one classifier training run; the defaults are the recipe measured on
    the bundled reviews' validation split (issue 12) and suit a CPU.

    Raises :class:`ConfigError` (a ``ValueError``) for a value outside its constraint.
    """

    epochs: int | None = setting(None, Interval(int, 1, None, allow_none=True),
                                 "most epochs to train (default: enough for about 4,000 examples seen, "
                                 "10 to 40 epochs; see epochs_for)")
    batch_size: int = setting(32, Interval(int, 1, None), "examples per gradient step")
    learning_rate: float = setting(2e-3, Interval(float, 0, 1, closed="right"), "Adam's step size (of the head)")
    embedding_dim: int = setting(64, Interval(int, 1, None), "length of each word vector")
    lstm_units: int = setting(64, Interval(int, 1, None), "size of the LSTM's state")
    max_tokens: int = setting(10000, Interval(int, 3, None), "vocabulary size, [UNK] and padding included")
    sequence_length: int = setting(FromData(DEFAULT_SEQUENCE_LENGTH), Interval(int, 1, SEQUENCE_LENGTH_LIMIT),
                                   "tokens kept per text; longer texts are cut (default: 48, or the training texts' "
                                   "95th-percentile token length rounded up to a multiple of 8 when that is longer, "
                                   f"at most {MAX_SEQUENCE_LENGTH})")
    tokenizer: str = setting("auto", Options(TOKENIZERS),
                             "how a text becomes tokens: words (split on spaces, ASCII lower-cased: Keras's default), "
                             "unicode-words (the same for every script: NFKC, Unicode lower-case, every script's "
                             "punctuation removed), chars (one token per Chinese character), chars+bigrams, jieba "
                             f"(Chinese word segmentation), or auto ({CJK_DEFAULT} when more than {CJK_THRESHOLD:.0%} "
                             "of the letters are Chinese or another script written without spaces, unicode-words "
                             f"when more than {NON_ASCII_THRESHOLD:.0%} are not ASCII, else words; with --pretrained, "
                             "the language model's tokenizer)")
    dropout: float = setting(0.0, Interval(float, 0, 1, closed="left"), "dropout before the softmax layer")
    recurrent_dropout: float = setting(0.0, Interval(float, 0, 1, closed="left"),
                                       "dropout on the LSTM's recurrent state")
    embedding_dropout: float = setting(0.0, Interval(float, 0, 1, closed="left"),
                                       "dropout of whole word-vector channels for the length of a text "
                                       "(SpatialDropout1D after the embedding)")
    l2: float = setting(0.0, Interval(float, 0, None), "L2 weight penalty on every kernel")
    bidirectional: bool = setting(False, Boolean(), "read each text in both directions (not with a pretrained LSTM)")
    pooling: str = setting("last", Options(POOLINGS),
                           "what the softmax layer sees: the LSTM's last state (the seed's model), the mean "
                           "and max over all words, or all three (ULMFiT's concat pooling)")
    patience: int = setting(5, Interval(int, 0, None),
                            "stop after this many epochs without a better validation loss; 0 = never")
    seed: int = setting(0, Interval(int, 0, MAX_SEED), "random seed for splits, initial weights and shuffling")
    augment: str = setting("none", Options(AUGMENTATIONS),
                           "add augmented copies of the training texts (data augmentation, 数据增强); synonym "
                           "uses the pretrained model's nearest words")
    augment_copies: int = setting(1, Interval(int, 1, None), "with --augment: augmented copies per training text")
    pretrained_layers: str = setting("auto", Options(PRETRAINED_LAYERS),
                                     "with a pretrained model: the layers that start from it; auto = embedding "
                                     f"and LSTM below {LSTM_TRANSFER_BELOW} training examples, else the "
                                     "embedding only")
    freeze_embedding: str = setting("auto", Options(("auto", "always", "never")),
                                    "with a pretrained model: keep its word vectors as they are (words no labelled "
                                    "text contains then stay next to the words that do); auto = when the LSTM is "
                                    "pretrained too")
    freeze_epochs: int | None = setting(None, Interval(int, 0, None, allow_none=True),
                                        "with a pretrained model: gradual unfreezing, each pretrained layer group "
                                        "waits this many epochs longer than the group above it; 0 = none "
                                        "(default: half the epoch budget while the LSTM comes from the model, "
                                        "else 1; see freeze_epochs_for)")
    group_lr_factor: float = setting(2.6, Interval(float, 1, 100),
                                     "with a pretrained model: each pretrained layer group learns this many "
                                     "times more slowly than the group above it (ULMFiT's 2.6)")
    lm_epochs: int = setting(0, Interval(int, 0, None),
                             "with a pretrained model: first fine-tune the language model on the training "
                             "texts for this many epochs (ULMFiT's stage 2); 0 = skip")
    lm_learning_rate: float = setting(1e-3, Interval(float, 0, 1, closed="right"),
                                      "with --lm-epochs: the language model's step size")

    def epochs_for(self, n_examples: int) -> int:
        """``epochs``, or by default about 4,000 examples seen: ``ceil(4000 / n)`` within [10, 40]."""
        if self.epochs is not None:
            return self.epochs
        return int(min(40, max(10, math.ceil(4000 / max(1, n_examples)))))

    def sequence_length_for(self, lengths) -> int:
        """The sequence length to train with, given the token lengths of the training texts.

        A ``sequence_length`` the user set is kept as it is. The default (:class:`FromData`)
        becomes the 95th percentile of ``lengths`` rounded up to a multiple of 8 when that is
        longer than 48, at most :data:`MAX_SEQUENCE_LENGTH`: long texts (real reviews of a
        few hundred characters) are no longer cut at 48 tokens, and data whose texts fit in
        48 tokens trains exactly as before.

        Parameters
        ----------
        lengths : sequence of int
            Tokens per training text (:func:`sftkit.text.token_lengths`, same tokenizer).

        Returns
        -------
        int
        """
        if not isinstance(self.sequence_length, FromData):
            return int(self.sequence_length)
        import numpy as np

        lengths = np.asarray(lengths, dtype=float)
        if lengths.size == 0:
            return int(self.sequence_length)
        fit = 8 * math.ceil(float(np.quantile(lengths, 0.95)) / 8)
        return int(min(MAX_SEQUENCE_LENGTH, max(int(self.sequence_length), fit)))

    def frozen_from_pretrained(self, n_examples: int) -> tuple:
        """The pretrained groups that never learn: ``("embedding",)`` or ``()`` (``freeze_embedding``)."""
        layers = self.layers_from_pretrained(n_examples)
        keep = {"always": True, "never": False}.get(self.freeze_embedding, "lstm" in layers)
        return ("embedding",) if keep and "embedding" in layers else ()

    def freeze_epochs_for(self, n_examples: int, epochs: int | None = None) -> int:
        """``freeze_epochs``, or by default from the label budget (:data:`FROZEN_SHARE`).

        With the LSTM taken from the pretrained model (:meth:`layers_from_pretrained`, below
        :data:`LSTM_TRANSFER_BELOW` examples by default), the head trains alone for half the
        epoch budget, ``max(1, int(FROZEN_SHARE * epochs))`` epochs, before the LSTM joins: 20
        of 40 epochs at 50 or 100 labels, 10 of 20 at 200, 5 of 10 from 400 labels on. With
        the embedding alone pretrained (1,500 labels and more by default) the LSTM is new and
        trains from the first epoch, and the pretrained embedding waits ``2 * 1`` epochs, as
        in ULMFiT (one epoch per group). Early stopping never ends a run before the last
        pretrained group opens (:class:`sftkit.finetune.EarlyStoppingAfterUnfreezing`).

        This is a long "linear probe, then fine-tune" phase (LP-FT: Kumar et al., "Fine-Tuning
        can Distort Pretrained Features and Underperform Out-of-Distribution", ICLR 2022; the
        Keras guide "Transfer learning & fine-tuning" trains the new layers on the frozen base
        first), not ULMFiT's one epoch per group (Howard and Ruder 2018, section 3.3) or
        fastai's ``fine_tune(freeze_epochs=1)``, which the library used before. It was chosen
        on the bundled reviews' validation split (benchmarks/recipe_check.py, table in
        benchmarks/results/recipe_check_freeze.txt; benchmarks/results/recipe.md, section 11):
        mean validation accuracy 0.620 / 0.664 / 0.688 / 0.715 against 0.614 / 0.638 / 0.671 /
        0.707 for one epoch, at 50 / 100 / 200 / 500 labels (seeds 0-2; 0-3 at 200). It was not
        measured from 1,000 to 1,499 labels, where it applies by extension (same 10-epoch budget
        as at 500).

        Parameters
        ----------
        n_examples : int
            Labelled training examples.
        epochs : int, optional
            The epoch budget of the run (default :meth:`epochs_for` of ``n_examples``).

        Returns
        -------
        int
            Epochs each pretrained group waits longer than the group above it.
        """
        if self.freeze_epochs is not None:
            return self.freeze_epochs
        if "lstm" not in self.layers_from_pretrained(n_examples):
            return 1
        epochs = self.epochs_for(n_examples) if epochs is None else epochs
        return max(1, int(FROZEN_SHARE * epochs))

    def layers_from_pretrained(self, n_examples: int) -> tuple:
        """The layers a pretrained model starts (``pretrained_layers``, resolving ``auto`` by ``n_examples``)."""
        choice = self.pretrained_layers
        if choice == "auto":
            choice = "embedding+lstm" if n_examples < LSTM_TRANSFER_BELOW else "embedding"
        return tuple(choice.split("+"))


@dataclass
class LMConfig(_Validated):
    """Size and training settings of the LSTM language model (the miniature LLM)."""

    max_tokens: int = setting(6000, Interval(int, 3, None), "vocabulary size, [UNK] and padding included")
    embedding_dim: int = setting(64, Interval(int, 1, None), "length of each word vector")
    lstm_units: int = setting(128, Interval(int, 1, None), "size of the LSTM's state")
    sequence_length: int = setting(40, Interval(int, 2, SEQUENCE_LENGTH_LIMIT), "tokens per training window")
    batch_size: int = setting(64, Interval(int, 1, None), "windows per gradient step")
    learning_rate: float = setting(3e-3, Interval(float, 0, 1, closed="right"), "Adam's step size")
    epochs: int = setting(3, Interval(int, 1, None), "passes over the corpus")
    validation_fraction: float = setting(0.05, Interval(float, 0, 0.5, closed="neither"),
                                         "share of passages held out to measure perplexity", flag=False)
    seed: int = setting(0, Interval(int, 0, MAX_SEED), "random seed for the split, initial weights and shuffling")


# ----------------------------------------------------------------------------- the command line


def _arg_type(f: dataclasses.Field):
    c = f.metadata.get("constraint")
    if isinstance(c, Interval):
        return int if c.kind is int else float
    return str


def add_config_arguments(parser: argparse.ArgumentParser, cls, *, exclude: Sequence[str] = (),
                         defaults: dict | None = None) -> None:
    """Add one ``--flag`` per field of ``cls`` (a config dataclass) to ``parser``.

    Flag names are the field names with dashes; the help text and default come from the
    field. Values are checked by the config itself when :func:`config_from_args` builds it.
    """
    defaults = defaults or {}
    for f in dataclasses.fields(cls):
        if f.name in exclude or not f.metadata.get("flag", True):
            continue
        default = defaults.get(f.name, f.default)
        flag = "--" + f.name.replace("_", "-")
        help_text = f.metadata.get("help", "").replace("%", "%%")   # argparse formats help with %
        c = f.metadata.get("constraint")
        if isinstance(c, Boolean):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default,
                                help=f"{help_text} (default: {'on' if default else 'off'})")
        elif isinstance(c, Options):
            parser.add_argument(flag, choices=list(c.values), default=default,
                                help=f"{help_text} (default: {default})")
        else:
            suffix = "" if default is None else f" (default: {default})"
            parser.add_argument(flag, type=_arg_type(f), default=default, metavar="N", help=help_text + suffix)


def config_from_args(cls, args: argparse.Namespace):
    """Build ``cls`` from the parsed flags that :func:`add_config_arguments` added."""
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if hasattr(args, f.name)}
    return cls(**values)
