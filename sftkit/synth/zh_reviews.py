"""Chinese product reviews (商品评论) whose label depends on word order, and neutral prose.

Design
------
The same idea as :mod:`sftkit.synth.reviews`, written for Chinese: a review starts from
its label (``+1``/``-1``), picks a *shape*, and realises it with clauses. The shapes
make a bag of characters (or of character pairs) often not enough:

* **negation** (否定: 不, 一点也不, 并不, 没有想象中那么, 不太 ...) is applied to good and
  bad words alike: 质量不好 is negative, 一点也不差 positive; 没 and 别 appear on both
  sides too (没让我失望 / 没几天就失灵了, 别犹豫了 / 别买了);
* **contrast** (转折: 虽然…但是, 不过, 可是, 除了…其他都…) puts opposite-polarity words
  on both sides; the connective decides which clause counts;
* **expectation** (本来以为…没想到…), **comparison** (比…, 没有…那么), **the only good
  thing** (唯一的优点/缺点) and **sarcastic questions** (这也叫好用？) reuse the same words
  with the opposite meaning;
* **degree adverbs** (程度副词: 很, 非常, 有点 ...) sit between a negation and its word.

Modes, as in English: ``"seen"`` (labelled splits), ``"heldout"`` (the test split's
``unseen_words`` subset: only held-out sentiment words, no events or verdicts) and
``"mixed"`` (the pretraining corpus). Every review is a dict with ``text``, ``label``,
``shape`` and ``template``.
"""
from __future__ import annotations

import random

from sftkit.synth.grammar import Grammar

from sftkit.synth import zh_lexicon as Z

LABELS = {1: "positive", -1: "negative"}


class ZhReviewGrammar(Grammar):
    """Generate labelled Chinese reviews from a seeded ``random.Random``."""

    SHAPES = (
        ("simple", 24), ("negated", 16), ("contrast_suiran", 9), ("contrast_buguo", 8),
        ("contrast_back", 4), ("except", 4), ("expectation", 6), ("only", 5),
        ("comparison", 5), ("question", 3), ("multi", 12), ("list", 4),
    )
    _NEEDS_SEEN_CUES = ("multi",)

    def __init__(self, rng: random.Random, mode: str = "seen"):
        super().__init__(rng, mode)
        seen = {
            "general": {1: Z.SEEN_POS_GENERAL, -1: Z.SEEN_NEG_GENERAL},
            "use": {1: Z.SEEN_POS_USE, -1: Z.SEEN_NEG_USE},
            "look": {1: Z.SEEN_POS_LOOK, -1: Z.SEEN_NEG_LOOK},
            "feel": {1: Z.SEEN_POS_FEEL, -1: Z.SEEN_NEG_FEEL},
        }
        held = {"general": {1: Z.HELDOUT_POS_ADJ, -1: Z.HELDOUT_NEG_ADJ},
                "feel": {1: Z.HELDOUT_POS_FEEL, -1: Z.HELDOUT_NEG_FEEL}}
        held["use"] = held["look"] = held["general"]
        if mode == "seen":
            self.words = seen
        elif mode == "heldout":
            self.words = held
        else:  # mixed: held-out words about as often as seen ones, in the same slots
            self.words = {k: {p: seen[k][p] + held[k][p] * max(1, len(seen[k][p]) // len(held[k][p]))
                              for p in (1, -1)} for k in seen}
        self.product = "电水壶"
        self.aspects: tuple = ()

    # ------------------------------------------------------------------ helpers
    def new_product(self) -> None:
        _, products, aspects = self.pick(Z.CATEGORIES)
        self.product, self.aspects = self.pick(products), aspects

    def aspect(self) -> str:
        return self.pick(self.aspects) if self.chance(0.6) else self.pick(Z.GENERIC_ASPECTS)

    def subject(self) -> str:
        r = self.rng.random()
        if r < 0.6:
            return self.aspect()
        if r < 0.8:
            return "这个" + self.product if self.chance(0.6) else "这款" + self.product
        return self.product if r < 0.9 else ""

    def word(self, kind: str, pol: int) -> str:
        return self.pick(self.words[kind][pol])

    def degree(self, pol: int, p: float = 0.7) -> str:
        if not self.chance(p):
            return ""
        if pol == -1 and self.chance(0.25):
            return self.pick(Z.DEGREE_NEG_ONLY)
        return self.pick(Z.DEGREE)

    # ------------------------------------------------------------------ clauses
    def clause(self, pol: int, negate: bool | None = None, frames=None):
        """A clause meaning ``pol``; returns ``(text, frame)``. Negated clauses use a
        sentiment word of the opposite polarity."""
        if negate is None:
            negate = self.chance(0.15)
        if frames is None:
            frames = ("be_adj", "be_adj", "be_adj", "use_adj", "look_adj", "feel")
            if self.seen_cues and not negate:
                frames = frames + ("event",)
        frame = self.pick(frames)
        wpol = -pol if negate else pol
        if frame == "event":
            return self.pick(Z.POS_EVENTS if pol == 1 else Z.NEG_EVENTS), frame
        if frame == "feel":
            w = self.word("feel", wpol)
            if negate:
                neg = self.pick(("不", "并不", "一点也不", "不是很", "没那么"))
                return f"我{neg}{w}" if self.chance(0.6) else f"对{self.obj()}{neg}{w}", frame + "~neg"
            return f"我{self.degree(wpol)}{w}" if self.chance(0.6) else f"对{self.obj()}{self.degree(wpol)}{w}", frame
        kind = {"be_adj": "general", "use_adj": "use", "look_adj": "look"}[frame]
        w = self.word(kind, wpol)
        subj = self.subject()
        mid = {"be_adj": "", "use_adj": "用起来", "look_adj": "看起来"}[frame]
        if negate:
            neg = self.pick(Z.NEGATE_ADJ)
            return f"{subj}{mid}{neg}{w}", frame + "~neg"
        deg = self.degree(wpol)
        if not deg and len(w) == 1 and w not in ("次", "丑", "赞", "渣"):
            deg = "很"
        end = "的" if self.chance(0.2) and deg in ("挺", "还挺") else ""
        if deg == "" and self.chance(0.3):
            return f"{subj}{mid}太{w}了", frame
        return f"{subj}{mid}{deg}{w}{end}", frame

    def obj(self) -> str:
        return self.pick(("它", "这个" + self.product, "这次购物", "这家店", self.aspect()))

    def verdict(self, pol: int) -> str:
        return self.pick(Z.POS_VERDICTS if pol == 1 else Z.NEG_VERDICTS)

    def context(self):
        """A neutral sentence about the purchase."""
        options = (
            f"{self.pick(Z.REASONS)}买了这个{self.product}",
            f"给{self.pick(Z.PEOPLE)}买的",
            f"用了{self.pick(Z.DURATIONS)}了",
            f"买的是{self.pick(Z.COLOURS)}",
            f"第一次买{self.product}",
            f"等了{self.rng.randint(2, 9)}天才到",
            f"{self.pick(Z.PEOPLE)}推荐我买的",
        )
        i = self.rng.randrange(len(options))
        return options[i], f"ctx{i}"

    # ------------------------------------------------------------------ shapes
    def review(self, pol: int) -> dict:
        """One review with label ``pol`` (+1/-1), as a dict with metadata."""
        self.new_product()
        shape = self.draw_shape()
        parts, frames = getattr(self, "_" + shape)(pol)
        ctx = []
        if sum(len(p) for p in parts) < 8 or self.chance(0.3):
            c, cid = self.context()
            parts.insert(0, c)
            ctx.append(cid)
        text = "".join(self._close(p) for p in parts)
        r = self.rng.random()
        if r < 0.08:  # typed with half-width punctuation
            text = text.replace("，", ",").replace("。", ".").replace("！", "!").replace("？", "?")
        elif r < 0.16:
            text = text[:-1] + self.pick(("！", "！！", "～", "…")) if text.endswith("。") else text
        elif r < 0.20:  # full-width digits and letters, as some input methods type them
            text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
        return {"text": text, "label": LABELS[pol], "shape": shape,
                "template": shape + ":" + "+".join(frames) + ("|" + ",".join(ctx) if ctx else "")}

    @staticmethod
    def _close(part: str) -> str:
        return part if part.endswith(("。", "！", "？", "…")) else part + "。"

    def _simple(self, pol):
        a, f = self.clause(pol, negate=False)
        if self.chance(0.4):
            b, f2 = self.clause(pol, negate=False)
            return [f"{a}，{self.pick(('', '而且', '并且'))}{b}" if not b.startswith("我") else f"{a}，{b}"], [f, f2]
        return [a], [f]

    def _negated(self, pol):
        a, f = self.clause(pol, negate=True)
        if self.chance(0.25):
            b, f2 = self.clause(pol, negate=True)
            return [f"{a}，{b}"], [f, f2]
        if self.chance(0.3):
            b, f2 = self.clause(pol, negate=False)
            return [f"{a}，{b}"], [f, f2]
        return [a], [f]

    def _contrast_suiran(self, pol):
        a, fa = self.clause(-pol)
        b, fb = self.clause(pol)
        head, tail = self.pick((("虽然", "但是"), ("虽然", "但"), ("虽然", "可是"), ("尽管", "但是"),
                                ("虽说", "不过")))
        return [f"{head}{a}，{tail}{b}"], [fa, fb]

    def _contrast_buguo(self, pol):
        a, fa = self.clause(-pol)
        b, fb = self.clause(pol)
        conj = self.pick(("不过", "可是", "但是", "但", "只是" if pol == -1 else "好在"))
        if self.chance(0.3):
            return [a, f"{conj}{b}"], [fa, fb]
        return [f"{a}，{conj}{b}"], [fa, fb]

    def _contrast_back(self, pol):
        b, fb = self.clause(pol)
        a, fa = self.clause(-pol)
        return [f"{b}，虽然{a}"], [fb, fa]

    def _except(self, pol):
        a, fa = self.clause(-pol, negate=False, frames=("be_adj",))
        w = self.word("general", pol)
        rest = self.pick(("其他都", "别的都", "其他方面都"))
        return [f"除了{a}，{rest}{self.degree(pol, 0.5) or '很'}{w}"], [fa, "rest"]

    def _expectation(self, pol):
        p = self.pick((1, -1))  # the polarity that was expected
        w = self.word("general", p)
        subj = self.subject() or "质量"
        head = self.pick((f"本来以为{subj}会很{w}", f"原以为{subj}会很{w}", f"还以为{subj}会{w}"))
        if p == pol:
            tail = self.pick(("果然是这样", "结果确实如此", "事实证明没错"))
            return [f"{head}，{tail}"], [f"expect_{'pos' if p == 1 else 'neg'}_yes"]
        b = self.word("general", pol)
        tail = self.pick((f"没想到{self.degree(pol) or '这么'}{b}", f"结果{self.degree(pol) or '很'}{b}",
                          f"没想到一点也不{w}", "没想到完全不是这样"))
        return [f"{head}，{tail}"], ["expect_turn"]

    def _only(self, pol):
        if pol == -1:
            w = self.word("general", 1)
            return [f"唯一的优点就是{self.aspect()}{self.degree(1) or '很'}{w}"], ["only_good"]
        w = self.word("general", -1)
        return [f"唯一的缺点是{self.aspect()}{self.degree(-1) or '有点'}{w}"], ["only_bad"]

    def _comparison(self, pol):
        p = self.pick((1, -1))
        w = self.word(self.pick(("general", "use")), p)
        old = self.pick(("我之前那个", "以前买的", "实体店的", "别家的", "上一个"))
        if p == pol:
            if self.chance(0.5):
                return [f"比{old}{w}多了"], ["cmp_more"]
            return [f"比想象中{w}"], ["cmp_imagined"]
        return [f"没有{old}那么{w}"], ["cmp_not_as"]

    def _question(self, pol):
        w = self.word(self.pick(("general", "use")), 1)
        if pol == 1:
            return [self.pick((f"这么{w}的{self.product}，还有什么不满意的？", f"谁说{self.aspect()}不{w}？"))], ["q_pos"]
        return [self.pick((f"这也叫{w}？", f"这样的{self.aspect()}也能叫{w}？"))], ["q_neg"]

    def _list(self, pol):
        n = self.rng.randint(2, 3)
        items = [f"{self.aspect()}{self.word('general', pol)}" for _ in range(n)]
        return ["，".join(items)], [f"list{n}"]

    def _multi(self, pol):
        out, frames = [], []
        a, fa = self.clause(pol)
        b, fb = self.clause(pol)
        out += [a, b]
        frames += [fa, fb]
        if self.chance(0.4):
            c, fc = self.clause(-pol, negate=False, frames=("be_adj",))
            out.append(f"{self.pick(('唯一不足的是', '美中不足的是') if pol == 1 else ('唯一还行的是',))}{c}")
            frames.append("aside_" + fc)
        out.append(self.verdict(pol))
        frames.append("verdict")
        return out, frames

    # ------------------------------------------------------------------ corpus passages
    def passage(self, pol: int) -> str:
        """A polarity-coherent passage for the pretraining corpus: a review of any
        shape, then clauses and a verdict of the same polarity."""
        if self.chance(0.6):
            out = [self.review(pol)["text"]]
            for _ in range(self.rng.randint(1, 2)):
                if self.chance(0.5):
                    a, _ = self.clause(pol, negate=False)
                    out.append(self._close(f"{a}，{self.verdict(pol)}"))
                else:
                    out.append(self._close(self.verdict(pol)))
            return "".join(out)
        self.new_product()
        out = []
        if self.chance(0.7):
            out.append(self._close(self.context()[0]))
        for _ in range(self.rng.randint(1, 3)):
            a, _ = self.clause(pol, negate=self.chance(0.15))
            r = self.rng.random()
            if r < 0.35:
                out.append(self._close(f"{a}，{self.verdict(pol)}"))
            elif r < 0.6:
                b, _ = self.clause(pol, negate=False)
                out.append(self._close(f"{a}，{b}"))
            else:
                out.append(self._close(a))
        if self.chance(0.6):
            out.append(self._close(self.verdict(pol)))
        return "".join(out)


class ZhProseGenerator:
    """Neutral Chinese passages (weather, recipes, local news, how-to, chat)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def weather(self) -> str:
        r, c = self.rng, self.pick(Z.CITIES)
        return (f"{c}明天{self.pick(Z.WEATHER)}，气温{r.randint(-5, 20)}到{r.randint(21, 36)}度。"
                f"后天转{self.pick(Z.WEATHER)}，出门记得{self.pick(('带伞', '多穿一件', '注意防晒', '戴口罩'))}。")

    def recipe(self) -> str:
        dish = self.pick(Z.DISHES)
        ings = "、".join(self.rng.sample(Z.INGREDIENTS, 3))
        steps = "，".join(self.rng.sample(Z.COOK_STEPS, self.rng.randint(2, 4)))
        return f"今天做{dish}。准备{ings}。先把材料{steps}，最后装盘。大概需要{self.rng.randint(10, 60)}分钟。"

    def news(self) -> str:
        c, topic = self.pick(Z.CITIES), self.pick(Z.NEWS_TOPICS)
        return (f"{c}{self.pick(Z.OFFICIALS)}表示，{topic}将在{self.rng.randint(1, 12)}月启动。"
                f"预计持续{self.rng.randint(2, 18)}个月，市民可以通过热线了解详情。")

    def howto(self) -> str:
        task = self.pick(Z.HOWTO_TASKS)
        n = self.rng.randint(2, 5)
        return f"怎么{task}？第一步先断开电源，第二步准备好工具，然后按说明操作，一共{n}步，{self.rng.randint(5, 30)}分钟就能完成。"

    def chat(self) -> str:
        who = self.pick(Z.PEOPLE)
        return self.pick((f"{who}说周末去{self.pick(Z.CITIES)}玩，你去吗？", f"晚上吃{self.pick(Z.DISHES)}吧，我下班买菜。",
                          f"{who}的快递到了，放在门口了。", f"明天{self.rng.randint(7, 10)}点开会，别迟到。"))
