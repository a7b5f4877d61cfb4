"""Short messages between people (ham), unwanted messages (spam), and chatty
messages with an opinion, for the spam dataset and the pretraining corpus.

Design
------
A spam filter that only had to spot "WINNER!! Call now" would teach nothing about
precision and recall. So the two classes overlap on purpose:

* some **ham** talks about being *free* on Saturday, *winning* a match, *call me*,
  prices in pounds, links and phone numbers;
* some **spam** is low-key and reads like ordinary life ("your parcel is waiting,
  confirm your details at ...", "hi mum, this is my new number").

A unigram bag-of-words model still finds most spam (the loud kind has very typical
words), but not all of it, so its spam F1 lands well below 1.0.

Every generator returns ``(text, template_id)``.
"""
from __future__ import annotations

import random

from sftkit.synth import lexicon as L
from sftkit.synth.reviews import sentence

SHOPS = ("Tesco", "Boots", "Argos", "Co-op", "Aldi", "Lidl", "Currys", "Asda")
COURIERS = ("Royal Mail", "DPD", "Evri", "UPS", "the courier", "Parcelforce")
BANKS = ("Barclays", "Lloyds", "HSBC", "Santander", "NatWest", "Nationwide")
SERVICES = ("Netflix", "Amazon Prime", "Spotify", "Disney+", "iCloud", "TV licence")
PRIZES = (
    "holiday for two", "cash prize", "brand new iPhone", "shopping voucher",
    "luxury hamper", "games console", "weekend break", "gift card",
)
SPAM_WORDS = ("WIN", "CLAIM", "GO", "YES", "PRIZE", "CHAT", "TONE", "FREE", "JOIN")
URL_WORDS = (
    "secure", "verify", "parcel", "track", "claim", "reward", "account", "help",
    "update", "delivery", "pay", "login", "check", "refund", "my",
)
TLDS = ("info", "com", "net", "co", "top", "xyz", "online", "co.uk")
HAM_URLS = (
    "rightmove.co.uk/property-{n}", "youtube.com/watch?v={c}", "bbc.co.uk/news/{n}",
    "bit.ly/{c}", "maps.app.goo.gl/{c}", "docs.google.com/d/{c}", "ticketmaster.co.uk/{n}",
)
HAM_ITEMS = (
    "milk", "bread", "some bin bags", "a birthday card", "my glasses", "the charger",
    "eggs", "a pizza", "the keys", "nappies", "washing powder", "the dog's food",
)
TOPICS = (
    "the car", "the weekend", "mum's birthday", "the flat", "work tomorrow", "the kids",
    "the tickets", "your dad", "the holiday", "the boiler",
)


class MessageGenerator:
    """Ham, spam and opinion messages from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random, heldout: bool = False,
                 spam_ambiguous: float = 0.2, ham_ambiguous: float = 0.03):
        self.rng = rng
        self.spam_ambiguous = spam_ambiguous
        self.ham_ambiguous = ham_ambiguous
        pos = L.SEEN_POS_GENERAL + (L.HELDOUT_POS_ADJ if heldout else ())
        neg = L.SEEN_NEG_GENERAL + (L.HELDOUT_NEG_ADJ if heldout else ())
        self.adj = {1: pos, -1: neg}

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p):
        return self.rng.random() < p

    # ------------------------------------------------------------------ fillers
    def phone(self) -> str:
        r = self.rng
        return "07" + "".join(str(r.randrange(10)) for _ in range(3)) + " " + "".join(
            str(r.randrange(10)) for _ in range(6))

    def premium(self) -> str:
        r = self.rng
        return self.pick(("0800", "0871", "0906", "0909")) + " " + str(r.randint(100, 999)) + " " + str(
            r.randint(1000, 9999))

    def shortcode(self) -> str:
        return str(self.rng.randint(60000, 89999))

    def code(self, n=6) -> str:
        chars = "abcdefghjkmnpqrstuvwxyz23456789"
        return "".join(chars[self.rng.randrange(len(chars))] for _ in range(n))

    def spam_url(self) -> str:
        if self.chance(0.25):
            return "bit.ly/" + self.code()
        return f"{self.pick(URL_WORDS)}-{self.pick(URL_WORDS)}.{self.pick(TLDS)}"

    def ham_url(self) -> str:
        return self.pick(HAM_URLS).format(n=self.rng.randint(10000, 99999), c=self.code(8))

    def money(self, lo=2, hi=40) -> str:
        return "£" + str(self.rng.randint(lo, hi))

    def greet(self, name=None) -> str:
        name = name or self.pick(L.NAMES)
        return self.pick(("", "", f"Hi {name}, ", f"hey {name} ", f"{name}! ", "hiya, ", "oi "))

    def sign(self) -> str:
        return self.pick(("", "", "", " x", " xx", " :)", " lol", f" - {self.pick(L.NAMES)}"))

    # ------------------------------------------------------------------ ambiguous
    def ambiguous(self):
        """A message that friends, companies and scammers all send, word for word.

        Whether it is spam depends on who sent it, which the text does not show. Both
        classes draw a share of their messages from here (spam about 20 %, ham about
        3 %, the same number of messages either way), so no text classifier can get
        these right more than about half the time: an honest ceiling.
        """
        k = self.rng.randrange(6)
        d, n = self.pick(L.DAYS), self.pick(L.NAMES)
        if k == 0:
            s = f"new number, it's {n}. save it"
        elif k == 1:
            s = f"hey it's {n}, got your number from {self.pick(L.NAMES)}. fancy a chat {d}?"
        elif k == 2:
            s = f"{self.pick(COURIERS)}: your parcel will be delivered {d}. To change your slot visit bit.ly/{self.code()}"
        elif k == 3:
            s = (f"{self.pick(BANKS)}: a payment of {self.money(5, 300)} to {self.pick(SHOPS)} was made from your "
                 f"account. If this was not you, call us on {self.premium()}")
        elif k == 4:
            s = f"Reminder: your appointment is {d} at {self.pick(L.TIMES)}. Reply YES to confirm"
        else:
            s = f"are you free {d}? call me on {self.phone()}"
        return s, f"amb{k}"

    # ------------------------------------------------------------------ ham
    def ham(self):
        """An ordinary message between people; returns ``(text, template_id)``."""
        if self.chance(self.ham_ambiguous):
            return self.ambiguous()
        k = self.rng.randrange(26)
        p, d, e, n = self.pick(L.PLACES), self.pick(L.DAYS), self.pick(L.EVENTS), self.pick(L.NAMES)
        t = self.pick(L.TIMES)
        if k == 0:
            s = f"{self.greet()}are we still on for {e} {d}?"
        elif k == 1:
            s = f"running about {self.rng.randint(5, 25)} mins late, see you at {p}"
        elif k == 2:
            s = f"{self.greet()}can you pick up {self.pick(HAM_ITEMS)} on your way back?"
        elif k == 3:  # "free", not as in free prizes
            s = self.pick((f"are you free {d}? fancy {e}?", f"I'm free after {t} if you want to call me",
                           f"{self.greet()}is {n} free {d}? we need one more for {e}",
                           f"got a free evening {d} finally, want to come round?"))
        elif k == 4:  # "won", not as in won a prize
            s = self.pick((f"we won {self.rng.randint(1, 5)}-{self.rng.randint(0, 3)}!! {n} scored twice",
                           f"did you see we won the quiz? prize was a {self.money(10, 50)} voucher haha",
                           f"{n} won the raffle at {p}, a massive hamper lol",
                           f"can't believe we actually won {d}, drinks on me"))
        elif k == 5:
            s = f"{self.greet()}call me when you get this, it's about {self.pick(TOPICS)}"
        elif k == 6:  # prices
            s = self.pick((f"tickets are {self.money(8, 60)} each, do you want one?",
                           f"{self.pick(SHOPS)} have an offer on {self.pick(HAM_ITEMS)}, 2 for {self.money(3, 9)}",
                           f"you owe me {self.money(5, 30)} for the pizza btw",
                           f"the taxi was {self.money(12, 35)}, I'll send you half"))
        elif k == 7:
            s = f"thanks for {self.pick(('dinner', 'the lift', 'having us', 'the present', 'helping out'))} {self.pick(('last night', 'today', 'yesterday', 'on Sunday'))}, really appreciate it"
        elif k == 8:
            s = f"dinner's in the oven, back by {t}"
        elif k == 9:  # a link between friends
            s = self.pick((f"have a look at this {self.ham_url()}", f"this made me laugh {self.ham_url()}",
                           f"here's the address for {d} {self.ham_url()}"))
        elif k == 10:  # a phone number between friends
            s = f"{n}'s new number is {self.phone()}, text her about {e}"
        elif k == 11:
            s = self.pick(("ok see you then", "yeah sounds good", "no worries, text me when you're home",
                           "on my way", "nearly there", f"k, {t} it is", "haha yes", "sorry missed your call"))
        elif k == 12:  # deliveries between people
            s = self.pick((f"your parcel came, I left it with next door",
                           f"{self.pick(COURIERS)} came while you were out, there's a card on the mat",
                           f"did you order something? a box came for you from {self.pick(SHOPS)}"))
        elif k == 13:
            s = f"meeting moved to {t}, can you tell {n}?"
        elif k == 14:
            s = f"happy birthday {n}! have a lovely day, see you {d}"
        elif k == 15:
            s = f"{self.greet()}what time does {e} start {d}? I said I'd meet {n} at {p}"
        elif k == 16:
            s = f"left my {self.pick(('keys', 'wallet', 'phone charger', 'coat', 'umbrella'))} at {p}, can you grab it?"
        elif k == 17:
            s = f"{self.greet()}mum says can you ring her back about {self.pick(TOPICS)}"
        elif k == 18:  # account/app talk between people
            s = self.pick((f"can you send me the {self.pick(SERVICES)} password again?",
                           f"I paid you back, check your {self.pick(BANKS)} app",
                           f"my {self.pick(BANKS)} card got declined at {p} so embarrassing"))
        elif k == 19:
            s = f"{self.greet()}{self.pick(('do you want anything from', 'I am at', 'just leaving'))} {p}{self.pick(('?', '', ' now'))}"
        # Legitimate service messages: real companies, real orders, no tricks.
        elif k == 20:
            return (f"Your {self.pick(SHOPS)} order has been dispatched and should arrive {d}. "
                    f"Track it in the app"), f"ham{k}"
        elif k == 21:
            return (f"Reminder: your appointment at the {self.pick(('surgery', 'dentist', 'opticians', 'hospital'))} "
                    f"is {d} at {t}. Reply C to cancel"), f"ham{k}"
        elif k == 22:
            return (f"{self.pick(COURIERS)}: your parcel will be delivered {d} between {t} and "
                    f"{self.pick(L.TIMES)}. To change your slot visit the app"), f"ham{k}"
        elif k == 23:  # people talking about spam they received
            s = self.pick((f"lol I just got a text saying I've won a {self.pick(PRIZES)}, as if",
                           "got another one of those parcel texts, don't click the link",
                           f"mum nearly paid one of those fake {self.pick(COURIERS)} fees, can you talk to her"))
        elif k == 24:
            return (f"{self.pick(BANKS)}: a payment of {self.money(5, 300)} to {self.pick(SHOPS)} was made from "
                    f"your account. If this was not you, call the number on the back of your card"), f"ham{k}"
        else:
            s = self.pick((f"hey it's {n}, got your number from {self.pick(L.NAMES)}. fancy {e} {d}?",
                           f"new number, it's {n}. save it",
                           f"your {self.pick(SERVICES)} free trial ends {d}, remember to cancel it"))
        return s.strip() + self.sign(), f"ham{k}"

    # ------------------------------------------------------------------ spam
    def spam(self):
        """An unwanted bulk or scam message; returns ``(text, template_id)``."""
        if self.chance(self.spam_ambiguous):
            return self.ambiguous()
        k = self.rng.randrange(18)
        if k == 0:
            s = f"{self.pick(('WINNER!!', 'Congratulations!', 'URGENT!'))} You have been selected to receive a {self.money(100, 2000)} {self.pick(PRIZES)}. Call {self.premium()} to claim. T&Cs apply"
        elif k == 1:
            s = f"URGENT: your {self.pick(BANKS)} account has been suspended. Verify your details at {self.spam_url()}"
        elif k == 2:  # low-key
            s = self.pick((f"Your parcel is waiting for delivery. Please confirm your details at {self.spam_url()}",
                           f"{self.pick(COURIERS)}: we tried to deliver your parcel today. Rebook at {self.spam_url()}",
                           f"your package is on hold due to an unpaid fee of {self.money(1, 3)}. pay at {self.spam_url()}"))
        elif k == 3:
            s = f"Get the latest ringtones FREE! Text {self.pick(SPAM_WORDS)} to {self.shortcode()}. {self.money(1, 3)}/msg"
        elif k == 4:
            s = f"Need cash fast? Loans up to {self.money(500, 5000)} approved in minutes. Reply YES to apply"
        elif k == 5:
            s = f"{self.rng.randint(3, 20)} singles in {self.pick(L.TOWNS)} want to chat tonight. Text {self.pick(SPAM_WORDS)} to {self.shortcode()}"
        elif k == 6:
            s = f"HMRC: you are due a tax refund of {self.money(80, 900)}. Claim at {self.spam_url()}"
        elif k == 7:  # low-key, reads like a person
            s = self.pick(("hi mum, this is my new number, my phone broke. can you text me back?",
                           f"hey it's me, lost my phone so using this number. can you call me when free?",
                           f"hi dad, new number, save this one. need a favour, are you free?"))
        elif k == 8:
            s = f"Your {self.pick(SERVICES)} subscription could not be renewed. Update your payment at {self.spam_url()}"
        elif k == 9:
            s = f"Thanks for shopping at {self.pick(SHOPS)}! Tell us how we did for a chance to win a {self.money(50, 500)} voucher {self.spam_url()}"
        elif k == 10:
            s = f"FREE entry into our weekly draw to win a {self.pick(PRIZES)}. Text WIN to {self.shortcode()}. To stop reply STOP"
        elif k == 11:  # low-key
            s = f"You have {self.rng.randint(200, 5000)} reward points expiring today. Redeem them at {self.spam_url()}"
        elif k == 12:
            s = f"{self.pick(('Hi', 'Hello'))} {self.pick(L.NAMES)}, we have been trying to reach you about your recent car accident. You may be owed {self.money(1000, 9000)}. Call {self.premium()}"
        elif k == 13:
            s = f"Your mobile number has won {self.money(500, 5000)} in our monthly draw! To claim call {self.premium()} before {self.pick(L.DAYS)}"
        # Low-key spam that copies the form of ordinary messages.
        elif k == 14:
            s = f"hey it's {self.pick(L.NAMES)}, got your number from a friend. fancy a chat {self.pick(L.DAYS)}? x"
        elif k == 15:
            s = (f"Your {self.pick(SHOPS)} order could not be dispatched. "
                 f"Confirm your address {self.pick(('in the app', 'at ' + self.spam_url()))}")
        elif k == 16:
            s = (f"{self.pick(BANKS)}: a payment of {self.money(5, 300)} to {self.pick(SHOPS)} was made from your "
                 f"account. If this was not you, call {self.phone()}")
        else:
            s = f"{self.pick(COURIERS)}: your parcel will be delivered {self.pick(L.DAYS)}. To change your slot visit {self.spam_url()}"
        return s, f"spam{k}"

    # ------------------------------------------------------------------ opinions
    def opinion(self, pol: int) -> str:
        """A chatty message with a clear, coherent opinion (for the pretraining corpus)."""
        venue, thing = self.pick(L.VENUES)
        a, b = self.pick(self.adj[pol]), self.pick(self.adj[pol])
        pos_tail = ("you have to go", "best night in ages", "we are going again next week",
                    "honestly loved every minute", "so glad we went")
        neg_tail = ("never again", "total waste of an evening", "do not bother",
                    "we left early", "want my money back")
        tail = self.pick(pos_tail if pol == 1 else neg_tail)
        k = self.rng.randrange(4)
        if k == 0:
            s = f"just got back from {venue}, the {thing} was {a}, {tail}"
        elif k == 1:
            s = f"{self.greet()}{venue} was {a}. the {thing} was {b} too, {tail}"
        elif k == 2:
            s = f"how was {venue}? ours was {a}, {tail}"
        else:
            opp = self.pick(self.adj[-pol])
            s = f"everyone said {venue} would be {opp} but the {thing} was {a}, {tail}"
        return s + self.sign()
