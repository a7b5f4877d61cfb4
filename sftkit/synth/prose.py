"""Neutral prose: short local news, how-to instructions, recipes, and junk text.

Design
------
These texts have no sentiment. They make the pretraining corpus a *general* corpus
(not only reviews), and they are the off-domain rows of the data-selection pool: a
language model trained on reviews finds them surprising, which is what the
cross-entropy-difference filter measures. ``junk`` makes the rows a heuristic quality
filter should catch: empty text, boilerplate, gibberish and very long rambles.

Every generator returns ``(text, template_id)``.
"""
from __future__ import annotations

import random

from sftkit.synth import lexicon as L
from sftkit.synth.reviews import sentence

SURNAMES = ("Patel", "Smith", "Jones", "Okafor", "Nowak", "Khan", "Evans", "Murphy", "Clarke", "Ali")
STREETS = ("High Street", "Mill Lane", "Station Road", "Church Street", "Park Avenue", "Queen's Road")
BENEFITS = (
    "make a real difference to families", "ease congestion in the town centre",
    "bring new jobs to the area", "give young people somewhere to go",
    "help local businesses", "cut journey times",
)
BOILERPLATE = (
    "click here to see more reviews", "Was this review helpful? Yes No",
    "Report abuse", "Read more", "Sign in to leave a review",
    "This review has been removed by the moderator", "Translate review to English",
    "Customers who bought this item also bought", "See all 1,204 reviews",
    "Verified purchase",
)


class ProseGenerator:
    """News, how-to and recipe passages from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def person(self) -> str:
        return f"{self.pick(L.NAMES)} {self.pick(SURNAMES)}"

    def news(self):
        r = self.rng
        town, town2 = self.pick(L.TOWNS), self.pick(L.TOWNS)
        k = r.randrange(8)
        if k == 0:
            kind, things = self.pick(L.NEWS_TOPICS[:2])
            s = [f"{town} {kind} has approved plans for {self.pick(things)} near {self.pick(STREETS)}",
                 f"work is expected to start in {self.pick(L.MONTHS)} and to take about {r.randint(3, 18)} months",
                 f"{self.pick(L.OFFICIALS)} said the project would {self.pick(BENEFITS)}"]
        elif k == 1:
            s = [f"{town} {self.pick(L.SPORTS)} club beat {town2} {r.randint(2, 6)}-{r.randint(0, 1)} on Saturday",
                 f"{self.person()} scored twice in the second half",
                 f"the team now sits {self.pick(('second', 'third', 'fourth', 'top'))} in the league with {r.randint(2, 9)} games left"]
        elif k == 2:
            s = [f"{self.pick(L.WEATHER)} is expected across the region {self.pick(('tomorrow', 'this weekend', 'from Tuesday', 'overnight'))}",
                 f"forecasters say temperatures could reach {r.randint(-4, 31)} degrees",
                 f"drivers are advised to {self.pick(('allow extra time', 'check their route before setting off', 'avoid the coast road'))}"]
        elif k == 3:
            _, things = L.NEWS_TOPICS[2]
            s = [f"{self.pick(things)} has opened on {self.pick(STREETS)} in {town}",
                 f"the owner, {self.person()}, said she had wanted to open a shop in the town for {r.randint(2, 20)} years",
                 f"the shop is open {self.pick(('six days a week', 'every day except Monday', 'from eight until six'))}"]
        elif k == 4:
            s = [f"pupils at {town} primary school raised {r.randint(200, 5000)} pounds for the local hospice",
                 f"they {self.pick(('ran a sponsored walk', 'held a bake sale', 'swam a mile each', 'sold old toys'))} over {self.pick(('a weekend', 'half term', 'three weeks'))}",
                 f"the head teacher thanked parents for their support"]
        elif k == 5:
            s = [f"the road between {town} and {town2} will close for {r.randint(2, 9)} nights from {self.pick(('Monday', 'Tuesday', 'Sunday'))} for resurfacing",
                 "a signed diversion will be in place",
                 f"buses will run to a {self.pick(('reduced', 'normal', 'later'))} timetable"]
        elif k == 6:
            s = [f"police are appealing for witnesses after a van was damaged on {self.pick(STREETS)} in {town}",
                 f"it happened between {r.randint(9, 11)} pm and midnight on {self.pick(('Friday', 'Saturday', 'Thursday'))}",
                 "anyone with information is asked to call the non emergency number"]
        else:
            s = [f"the {town} {self.pick(('food festival', 'summer fair', 'book festival', 'farmers market', 'fun run'))} returns in {self.pick(L.MONTHS)}",
                 f"organisers expect around {r.randint(2, 30)} thousand visitors",
                 f"{self.pick(L.OFFICIALS)} said volunteers were still needed"]
        n = r.randint(2, len(s))
        return " ".join(sentence(x) for x in s[:n]), f"news{k}"

    def recipe(self):
        r = self.rng
        dish, ingredients = self.pick(L.DISHES)
        ing = list(ingredients)
        r.shuffle(ing)
        k = r.randrange(3)
        steps = [self.pick(L.COOK_STEPS)]
        for i in ing[: r.randint(2, 4)]:
            steps.append(self.pick(L.COOK_VERBS).format(i=i))
        steps.append(self.pick(L.COOK_STEPS))
        if k == 0:
            head = f"to make {dish}, you will need {', '.join(ing[:3])} and {ing[3]}"
        elif k == 1:
            head = f"{dish} for {r.randint(2, 6)} people"
        else:
            head = f"this {dish} takes about {r.randint(2, 9) * 10} minutes"
        body = [sentence(head)]
        first = self.pick(("first", "start by", "to begin,"))
        body.append(sentence(f"{first} {steps[0]}" if first != "start by" else f"start by making sure you {steps[0]}"))
        for st in steps[1:]:
            body.append(sentence(f"{self.pick(('then', 'next,', 'now', 'after that,', ''))} {st}".strip()))
        body.append(sentence(f"serve {self.pick(('hot', 'warm', 'with crusty bread', 'with rice', 'straight away', 'with a green salad'))}"))
        return " ".join(body), f"recipe{k}"

    def howto(self):
        r = self.rng
        task, steps = self.pick(L.HOWTO_TASKS)
        k = r.randrange(3)
        n = r.randint(3, len(steps))
        if k == 0:
            out = [sentence(f"how to {task}")[:-1] + ":"]
        elif k == 1:
            out = [sentence(f"if you need to {task}, it only takes a few minutes")]
        else:
            out = [sentence(f"here is the easiest way to {task}")]
        links = ("first", "then", "next,", "after that,", "now", "finally,")
        for i, st in enumerate(steps[:n]):
            link = links[0] if i == 0 else (links[-1] if i == n - 1 else self.pick(links[1:-1]))
            out.append(sentence(f"{link} {st}"))
        return " ".join(out), f"howto{k}"

    def junk(self):
        """A row a quality filter should drop. Returns ``(text, kind)``."""
        r = self.rng
        u = r.random()
        if u < 0.15:
            return "", "empty"
        if u < 0.25:
            return self.pick(("   ", " ", "\t", "  \t ")), "whitespace"
        if u < 0.55:
            return self.pick(BOILERPLATE), "boilerplate"
        if u < 0.95:
            chars = "qwrtzpsdfghjklxcvbnm" if r.random() < 0.5 else "asdfjkl;"
            words = ["".join(self.pick(chars) for _ in range(r.randint(3, 9)))
                     for _ in range(r.randint(2, 8))]
            if r.random() < 0.3:
                return "".join(words), "gibberish"
            return " ".join(words), "gibberish"
        # a long ramble: many loosely joined neutral clauses, far past normal length
        parts = []
        while sum(len(p.split()) for p in parts) < r.randint(150, 260):
            parts.append(self.pick((
                f"so anyway I was at {self.pick(L.PLACES)} {self.pick(L.DAYS)}",
                f"and {self.pick(L.NAMES)} said something about {self.pick(L.EVENTS)}",
                "and then I forgot what I was going to say",
                f"and I think it was {self.pick(L.MONTHS)} or maybe not",
                "which reminds me of something else entirely",
                f"because of the {self.pick(L.WEATHER)}",
            )))
        return " ".join(parts), "ramble"
