"""A small grammar of product reviews whose label depends on word order.

Design
------
A review is built top-down: first its label (``+1`` positive, ``-1`` negative), then a
*shape* (how the sentiment is expressed), then clauses that realise it. The shapes are
chosen so that a bag of words is often not enough:

* **negation** is applied to positive and negative words alike ("not great" is negative,
  "not bad at all" is positive), so the word ``not`` on its own predicts nothing;
* **contrast** ("A, but B", "Although A, B", "B, even though A", "A. However, B") puts
  opposite-polarity words on both sides; the connective decides which clause counts;
* **expectation**, **"the only ..."**, **comparison** and **rhetorical questions**
  ("What is not to like?" vs "How could anyone like this?") reuse the same sentiment
  words with opposite meanings.

Each review also records ``surface``: the polarity of the first sentiment word a
careless reader would see. The data-selection pool uses it to inject *systematic*
label errors (a negated or contrast review labelled by its surface word).

The grammar runs in three vocabularies (``mode``): ``"seen"`` (labelled splits and the
pool), ``"heldout"`` (the test split's ``unseen_words`` subset: only held-out sentiment
words, no events or verdicts, which would carry seen cues) and ``"mixed"`` (the
pretraining corpus, both kinds in the same slots).

Every generated review is a dict with ``text``, ``label`` (``"positive"`` or
``"negative"``), ``shape`` (coarse, e.g. ``"contrast_but"``), ``template`` (the shape
plus the clause frames used, e.g. ``"contrast_but:be_adj~neg+verb"``) and ``surface``.
"""
from __future__ import annotations

import random

from sftkit.synth.grammar import Grammar

from sftkit.synth import lexicon as L

LABELS = {1: "positive", -1: "negative"}


def sentence(text: str, end: str = ".") -> str:
    """Capitalise the first letter and close the sentence."""
    text = text.strip()
    return text[:1].upper() + text[1:] + end


class ReviewGrammar(Grammar):
    """Generate labelled reviews from a seeded ``random.Random``.

    >>> g = ReviewGrammar(random.Random("doc"), mode="seen")
    >>> r = g.review(1)
    >>> r["label"]
    'positive'
    """

    #: shape -> weight in the labelled data (mode "seen"/"heldout").
    SHAPES = (
        ("simple", 28), ("negated", 12), ("contrast_but", 10), ("contrast_although", 5),
        ("contrast_though_back", 4), ("contrast_however", 5), ("verdict_turn", 4),
        ("expectation", 4), ("only", 4), ("np_list", 7), ("comparison", 3),
        ("question", 3), ("multi", 11),
    )
    #: Shapes that need events or verdicts, so are not available with held-out words.
    _NEEDS_SEEN_CUES = ("verdict_turn", "multi")

    def __init__(self, rng: random.Random, mode: str = "seen"):
        super().__init__(rng, mode)
        if mode == "seen":
            self.adj_general = {1: L.SEEN_POS_GENERAL, -1: L.SEEN_NEG_GENERAL}
            self.adj_product = {1: L.SEEN_POS_PRODUCT, -1: L.SEEN_NEG_PRODUCT}
            self.verbs = {1: L.SEEN_POS_VERBS, -1: L.SEEN_NEG_VERBS}
        elif mode == "heldout":
            self.adj_general = {1: L.HELDOUT_POS_ADJ, -1: L.HELDOUT_NEG_ADJ}
            self.adj_product = self.adj_general
            self.verbs = {1: L.HELDOUT_POS_VERBS, -1: L.HELDOUT_NEG_VERBS}
        else:  # mixed: held-out words about as often as seen ones, in the same slots
            self.adj_general = {
                1: L.SEEN_POS_GENERAL + L.HELDOUT_POS_ADJ,
                -1: L.SEEN_NEG_GENERAL + L.HELDOUT_NEG_ADJ,
            }
            self.adj_product = {
                1: L.SEEN_POS_PRODUCT + L.HELDOUT_POS_ADJ,
                -1: L.SEEN_NEG_PRODUCT + L.HELDOUT_NEG_ADJ,
            }
            self.verbs = {
                1: L.SEEN_POS_VERBS + L.HELDOUT_POS_VERBS * 2,
                -1: L.SEEN_NEG_VERBS + L.HELDOUT_NEG_VERBS * 2,
            }
        self.product = "kettle"
        self.aspects: tuple = ()

    # ------------------------------------------------------------------ small helpers
    def new_product(self) -> None:
        _, products, aspects = self.pick(L.CATEGORIES)
        self.product = self.pick(products)
        self.aspects = aspects

    def aspect(self) -> str:
        return self.pick(self.aspects) if self.chance(0.65) else self.pick(L.GENERIC_ASPECTS)

    @staticmethod
    def be(noun: str) -> str:
        return "are" if noun in L.PLURAL_ASPECTS else "is"

    def subject(self) -> tuple[str, str]:
        """A noun phrase to talk about and its verb 'to be' ("the lid", "is")."""
        r = self.rng.random()
        plural = self.product in L.PLURAL_ASPECTS
        if r < 0.55:
            a = self.aspect()
            return f"the {a}", self.be(a)
        if r < 0.75:
            return ("these " if plural else "this ") + self.product, "are" if plural else "is"
        if r < 0.85:
            return f"the {self.product}", "are" if plural else "is"
        return ("they", "are") if plural else ("it", "is")

    def obj(self) -> str:
        plural = self.product in L.PLURAL_ASPECTS
        r = self.rng.random()
        if r < 0.4:
            return "them" if plural else "it"
        if r < 0.7:
            return f"the {self.aspect()}"
        return ("these " if plural else "this ") + self.product

    def adj(self, pol: int, kind: str = "general") -> str:
        if kind == "product" and self.chance(0.5):
            return self.pick(self.adj_product[pol])
        return self.pick(self.adj_general[pol])

    def modifier(self, p: float = 0.35, pol: int = 1) -> str:
        """An optional intensifier ("really"); diminishers ("a bit") only for bad news."""
        if not self.chance(p):
            return ""
        return self.pick(L.INTENSIFIERS if pol == -1 else L.INTENSIFIERS[:-4]) + " "

    # ------------------------------------------------------------------ clauses
    def clause(self, pol: int, negate: bool | None = None, frames=None):
        """A clause whose meaning has polarity ``pol``.

        Returns ``(text, surface, frame)``: ``surface`` is the polarity of the sentiment
        word itself (opposite to ``pol`` when the clause is negated).
        """
        if negate is None:
            negate = self.chance(0.15)
        if frames is None:
            frames = ("be_adj", "be_adj", "be_adj", "feel_adj", "verb")
            if self.seen_cues and not negate:
                frames = frames + ("event",)
        frame = self.pick(frames)
        word_pol = -pol if negate else pol
        if frame == "be_adj":
            subj, be = self.subject()
            a = self.adj(word_pol)
            if not negate:
                return f"{subj} {be} {self.modifier(pol=word_pol)}{a}", word_pol, frame
            r = self.rng.random()
            if r < 0.2:
                return f"{subj} {be} not {a} at all", word_pol, frame + "~neg"
            if r < 0.35:
                short = "isn't" if be == "is" else "aren't"
                return f"{subj} {short} {self.modifier(0.2)}{a}", word_pol, frame + "~neg"
            return f"{subj} {be} {self.pick(L.NEGATORS)} {a}", word_pol, frame + "~neg"
        if frame == "feel_adj":
            subj, be = self.subject()
            plural = be == "are"
            verb = self.pick(("feel", "look", "seem"))
            a = self.adj(word_pol, "product")
            if not negate:
                return f"{subj} {verb if plural else verb + 's'} {self.modifier(pol=word_pol)}{a}", word_pol, frame
            aux = self.pick(("do not", "don't") if plural else ("does not", "doesn't"))
            return f"{subj} {aux} {verb} {a}", word_pol, frame + "~neg"
        if frame == "verb":
            v = self.pick(self.verbs[word_pol])
            o = self.obj() if v not in ("recommend", "regret buying") else self.pick(
                ("it", self.this_product()))
            if not negate:
                pre = self.pick(("I ", "I really ", "I ", "we ", "honestly, I "))
                return f"{pre}{v} {o}", word_pol, frame
            neg = self.pick(("I do not", "I don't", "I can't say I", "we do not", "I never"))
            return f"{neg} {v} {o}", word_pol, frame + "~neg"
        # event: something that happened, never negated
        subj = "they" if self.product in L.PLURAL_ASPECTS else "it"
        ev = self.pick(L.POS_EVENTS if pol == 1 else L.NEG_EVENTS)
        if subj == "they":
            ev = ev.replace("works", "work").replace("does ", "do ").replace(
                "has ", "have ").replace("keeps", "keep").replace("leaks", "leak").replace(
                "itself", "themselves")
        return f"{subj} {ev}", pol, frame

    def verdict(self, pol: int) -> str:
        return self.pick(L.POS_VERDICTS if pol == 1 else L.NEG_VERDICTS)

    def this_product(self) -> str:
        plural = self.product in L.PLURAL_ASPECTS
        return ("these " if plural else "this ") + self.product

    def context(self) -> tuple[str, str]:
        """A neutral sentence about the purchase (no sentiment)."""
        p, rng = self.product, self.rng
        this = self.this_product()
        options = (
            f"I bought {this} {self.pick(L.REASONS)}",
            f"got {this} for {self.pick(L.PEOPLE)} {self.pick(L.DURATIONS)} ago",
            f"we have had {this} for {self.pick(L.DURATIONS)}",
            f"ordered the {self.pick(L.COLOURS)} {p}",
            f"I use it {self.pick(L.FREQUENCIES)}",
            f"bought it {self.pick(L.REASONS)}",
            f"this is my first {p}",
            f"I needed a new {p} {self.pick(L.REASONS)}",
            f"delivery took {rng.randint(2, 9)} days",
        )
        i = rng.randrange(len(options))
        return options[i], f"ctx{i}"

    # ------------------------------------------------------------------ shapes
    def review(self, pol: int) -> dict:
        """One review with label ``pol`` (+1/-1), as a dict with metadata."""
        self.new_product()
        shape = self.draw_shape()
        sentences, frames, surface = getattr(self, "_" + shape)(pol)
        n_tokens = sum(len(s.split()) for s in sentences)
        tmpl_ctx = []
        if n_tokens < 7 or self.chance(0.3):
            c, cid = self.context()
            sentences.insert(0, sentence(c))
            tmpl_ctx.append(cid)
        if self.chance(0.12):
            c, cid = self.context()
            sentences.append(sentence(c))
            tmpl_ctx.append(cid + "_end")
        text = " ".join(sentences)
        r = self.rng.random()
        if r < 0.08:  # quick lower-case review typed on a phone
            text = text.lower().rstrip(".")
        elif r < 0.16:
            text = text[:-1] + "!" if text.endswith(".") else text
        return {
            "text": text,
            "label": LABELS[pol],
            "shape": shape,
            "template": shape + ":" + "+".join(frames) + ("|" + ",".join(tmpl_ctx) if tmpl_ctx else ""),
            "surface": LABELS[surface],
        }

    def _simple(self, pol):
        a, s, f = self.clause(pol, negate=False)
        if self.chance(0.4):
            b, _, f2 = self.clause(pol, negate=False)
            return [sentence(f"{a} and {b}")], [f, f2], s
        return [sentence(a)], [f], s

    def _negated(self, pol):
        a, s, f = self.clause(pol, negate=True)
        if self.chance(0.25):
            b, _, f2 = self.clause(pol, negate=True)
            return [sentence(f"{a}, and {b}")], [f, f2], s
        return [sentence(a)], [f], s

    def _contrast_but(self, pol):
        a, s, fa = self.clause(-pol)
        b, _, fb = self.clause(pol)
        conj = self.pick(("but", "but", "but", "yet", "but sadly" if pol == -1 else "but luckily"))
        return [sentence(f"{a}, {conj} {b}")], [fa, fb], s

    def _contrast_although(self, pol):
        a, s, fa = self.clause(-pol)
        b, _, fb = self.clause(pol)
        conj = self.pick(("although", "even though", "though", "while"))
        return [sentence(f"{conj} {a}, {b}")], [fa, fb], s

    def _contrast_though_back(self, pol):
        b, s, fb = self.clause(pol)
        a, _, fa = self.clause(-pol)
        conj = self.pick(("even though", "although", "though", "despite the fact that"))
        return [sentence(f"{b}, {conj} {a}")], [fb, fa], s

    def _contrast_however(self, pol):
        a, s, fa = self.clause(-pol)
        b, _, fb = self.clause(pol)
        conj = self.pick(("However,", "That said,", "On the other hand,", "Still,", "But"))
        return [sentence(a), f"{conj} {b}."], [fa, fb], s

    def _verdict_turn(self, pol):
        a, s, fa = self.clause(-pol)
        v = self.verdict(pol)
        if self.chance(0.5):
            link = self.pick(("overall", "all in all", "on balance", "in the end"))
            return [sentence(f"{a}, but {link} {v}")], [fa, "verdict"], s
        return [sentence(a), sentence(f"{self.pick(('even so', 'still', 'despite that'))}, {v}")], [fa, "verdict"], s

    def _expectation(self, pol):
        p = pol if self.chance(0.5) else -pol  # the expected polarity
        a = self.adj(p, "product")
        it = "them" if self.product in L.PLURAL_ASPECTS else "it"
        they, be = ("they", "are") if it == "them" else ("it", "is")
        head = self.pick((f"I expected {it} to be {a}", f"I thought {they} would be {a}",
                          f"I was hoping {they} would be {a}"))
        if p == pol:
            if head.startswith("I was hoping"):
                tail = self.pick((f"and {they} {be}", f"and {they} really {be}"))
            else:
                tail = self.pick((f"and {they} {be}", f"and {they} really {be}",
                                  f"and I was right"))
            return [sentence(f"{head}, {tail}")], [f"expect_{'pos' if p == 1 else 'neg'}_yes"], p
        if self.chance(0.5):
            tail = self.pick((f"but {they} {be} not", f"but {they} {'aren' if be == 'are' else 'isn'}'t",
                              "but I was wrong"))
            return [sentence(f"{head}, {tail}")], [f"expect_{'pos' if p == 1 else 'neg'}_no"], p
        b = self.adj(pol, "product")
        return [sentence(f"{head}, but {they} turned out {self.modifier(pol=pol)}{b}")], ["expect_turn"], p

    def _only(self, pol):
        if pol == -1:
            if self.chance(0.5) or not self.seen_cues:
                a = self.adj(1)
                return [sentence(f"the only {a} thing about this {self.product} is the {self.aspect()}")], ["only_good"], 1
            v = self.pick(self.verbs[1])
            return [sentence(f"the only thing I {v} is the {self.aspect()}")], ["only_verb"], 1
        a = self.adj(-1)
        asp = self.aspect()
        return [sentence(f"my only complaint is that the {asp} {self.be(asp)} {self.modifier(pol=-1)}{a}")], ["only_complaint"], -1

    def _np_list(self, pol):
        n = self.rng.randint(1, 3)
        nps = []
        for _ in range(n):
            asp = self.aspect()
            nps.append(f"{self.modifier(0.25, pol)}{self.adj(pol)} {asp}")
        if n == 1:
            text = nps[0]
        else:
            text = ", ".join(nps[:-1]) + " and " + nps[-1]
        return [sentence(text)], [f"np{n}"], pol

    def _comparison(self, pol):
        p = self.pick((1, -1))  # polarity of the adjective
        a = self.adj(p, "product")
        they, be = ("they", "are") if self.product in L.PLURAL_ASPECTS else ("it", "is")
        old = self.pick((f"my old {self.product}", "the one it replaced", "my last one",
                         "the cheaper brand"))
        if p == pol:
            if self.chance(0.5):
                return [sentence(f"{they} {be} {self.pick(('much', 'far', 'a lot'))} more {a} than {old}")], ["cmp_more"], p
            return [sentence(f"{they} {be} just as {a} as {old}")], ["cmp_as"], p
        if self.chance(0.5):
            return [sentence(f"{they} {be} {self.pick(('much', 'far', 'a lot'))} less {a} than {old}")], ["cmp_less"], p
        return [sentence(f"{they} {be} not as {a} as {old}")], ["cmp_not_as"], p

    def _question(self, pol):
        v = self.pick(self.verbs[1] if self.chance(0.5) else self.verbs[-1])
        vpol = 1 if v in self.verbs[1] else -1
        if v == "regret buying":
            v = "regret"
        if vpol == pol:
            q = self.pick((f"what is not to {v}", f"what is there not to {v}"))
            tail = self.pick(("", "", f" Honestly, I use it {self.pick(L.FREQUENCIES)}."))
            return [sentence(q, "?") + tail], ["q_not_to"], vpol
        q = self.pick((f"how could anyone {v} this {self.product}",
                       f"who could possibly {v} this {self.product}",
                       f"what is there to {v}"))
        return [sentence(q, "?")], ["q_could"], vpol

    def _multi(self, pol):
        out, frames = [], []
        a, s, fa = self.clause(pol)
        b, _, fb = self.clause(pol)
        out += [sentence(a), sentence(b)]
        frames += [fa, fb]
        if self.chance(0.5):
            c, _, fc = self.clause(-pol, negate=False)
            out.append(sentence(f"{self.pick(('the only downside is that', 'my one gripe is that', 'the only good thing is that' if pol == -1 else 'one small thing:'))} {c}"))
            frames.append("aside_" + fc)
        out.append(sentence(self.verdict(pol)))
        frames.append("verdict")
        return out, frames, s

    # ------------------------------------------------------------------ corpus passages
    def passage(self, pol: int) -> str:
        """A polarity-coherent review passage for the pretraining corpus.

        Every sentiment slot has the passage's polarity (or is a negated opposite word),
        and the passage usually ends with a continuation of the same polarity ("... and
        I would buy it again"). Predicting the next word therefore needs the polarity,
        whichever words (seen or held-out) carried it.

        More than half of the passages open with a review of any shape (negation,
        contrast, expectation ...) and then go on in its polarity, so that predicting
        the continuation requires resolving "not bad at all" or "looks great but broke":
        the language model has to learn what the classifier will need.
        """
        if self.chance(0.6):
            out = [self.review(pol)["text"]]
            for _ in range(self.rng.randint(1, 2)):
                if self.chance(0.5):
                    a, _, _ = self.clause(pol, negate=False)
                    out.append(sentence(f"{a} and {self.verdict(pol)}"))
                else:
                    out.append(sentence(self.verdict(pol)))
            return " ".join(out)
        self.new_product()
        out = []
        c, _ = self.context()
        if self.chance(0.7):
            out.append(sentence(c))
        for _ in range(self.rng.randint(1, 3)):
            a, _, _ = self.clause(pol, negate=self.chance(0.15))
            r = self.rng.random()
            if r < 0.35:
                out.append(sentence(f"{a} and {self.verdict(pol)}"))
            elif r < 0.55:
                b, _, _ = self.clause(pol, negate=False)
                out.append(sentence(f"{a}, and {b}"))
            elif r < 0.65:
                sub, be = self.subject()
                out.append(sentence(f"{sub} {be} {self.adj(pol)}, {self.adj(pol)} and {self.adj(pol, 'product')}"))
            else:
                out.append(sentence(a))
        if self.chance(0.6):
            out.append(sentence(self.verdict(pol)))
        return " ".join(out)
