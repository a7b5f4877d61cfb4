"""The lexicon of the bundled corpus: every word list the grammars draw from.

Design
------
The sentiment vocabulary is split in two on purpose:

* **seen** words (``great``, ``awful``, ``love``, ``hate`` ...) appear in the labelled
  review splits, so any classifier can learn them from labels;
* **held-out** words (``superb``, ``dreadful``, ``adore``, ``detest`` ...) never appear in
  the labelled train or validation reviews. They appear in the test split's
  ``unseen_words`` subset, and many times in the unlabelled pretraining corpus, in the
  very same slots as the seen words. A model trained from scratch cannot know what
  ``dreadful`` means; a model pretrained on ``corpus.txt`` can have learned it.

Everything else (products, aspects, names, towns, dishes ...) is neutral filler chosen
to make the texts varied while keeping the vocabulary to a few thousand word types.

All lists are tuples: their order is part of the generator's output (a seeded
``random.Random`` picks by position), so never build them from a ``set``.
"""
from __future__ import annotations

# --------------------------------------------------------------------------------------
# Sentiment words. "general" adjectives fit any aspect ("the delivery was great");
# "product" adjectives describe the thing itself ("it feels sturdy").
# --------------------------------------------------------------------------------------
SEEN_POS_GENERAL = (
    "great", "good", "excellent", "fantastic", "wonderful", "amazing", "brilliant",
    "lovely", "impressive", "outstanding", "perfect", "nice", "fine", "awesome",
)
SEEN_NEG_GENERAL = (
    "bad", "awful", "terrible", "poor", "horrible", "disappointing", "mediocre",
    "rubbish", "useless", "unacceptable", "frustrating", "annoying", "weak", "shabby",
)
SEEN_POS_PRODUCT = (
    "solid", "sturdy", "reliable", "comfortable", "handy", "durable", "practical",
)
SEEN_NEG_PRODUCT = (
    "flimsy", "unreliable", "uncomfortable", "fragile", "faulty", "noisy", "clumsy",
)
SEEN_POS_VERBS = ("love", "like", "enjoy", "recommend")
SEEN_NEG_VERBS = ("hate", "dislike", "regret buying", "resent")

HELDOUT_POS_ADJ = (
    "superb", "splendid", "terrific", "marvellous", "delightful", "exquisite",
    "stellar", "sublime", "impeccable", "fabulous",
)
HELDOUT_NEG_ADJ = (
    "dreadful", "abysmal", "atrocious", "shoddy", "woeful", "dismal", "horrid",
    "lousy", "appalling", "pathetic",
)
HELDOUT_POS_VERBS = ("adore", "cherish")
HELDOUT_NEG_VERBS = ("detest", "loathe")

#: Every held-out sentiment word (single tokens). Tests check that none occurs in the
#: labelled reviews train/val texts and that each occurs in the pretraining corpus.
HELDOUT_WORDS = HELDOUT_POS_ADJ + HELDOUT_NEG_ADJ + HELDOUT_POS_VERBS + HELDOUT_NEG_VERBS

#: The seen sentiment words, single tokens (multi-word verbs contribute their words).
SEEN_WORDS = (
    SEEN_POS_GENERAL + SEEN_NEG_GENERAL + SEEN_POS_PRODUCT + SEEN_NEG_PRODUCT
    + ("love", "like", "enjoy", "recommend", "hate", "dislike", "regret", "resent")
)

# Events: things that happened to the product. Positive and negative in equal number.
POS_EVENTS = (
    "still works after a year", "arrived a day early", "works every single time",
    "saved me a lot of time", "survived a drop onto the kitchen floor",
    "does exactly what it says", "paid for itself within a month",
    "has held up well", "made my mornings easier", "exceeded my expectations",
)
NEG_EVENTS = (
    "broke within a week", "stopped working after a month", "arrived damaged",
    "fell apart after two uses", "leaks every time I use it", "died after ten days",
    "keeps switching itself off", "cracked the first time I used it",
    "never worked properly", "let me down within days",
)

# Verdicts: an overall judgement, often the last words of a review.
POS_VERDICTS = (
    "I would buy it again", "I would recommend it to anyone", "worth every penny",
    "five stars from me", "I am keeping it", "I would happily buy another",
    "I am glad I bought it", "it was money well spent",
)
NEG_VERDICTS = (
    "I want my money back", "I would not recommend it", "not worth the money",
    "one star from me", "it is going back", "I wish I had bought something else",
    "I am sending it back", "it was a waste of money",
)

INTENSIFIERS = (
    "really", "very", "extremely", "incredibly", "truly", "so", "genuinely",
    "absolutely", "pretty", "quite", "rather", "fairly", "a bit", "slightly",
    "somewhat", "a little",
)
# Ways of negating an adjective slot: "the lid is ___ great".
NEGATORS = (
    "not", "not very", "not at all", "never", "hardly", "far from", "anything but",
    "not exactly", "not really", "not particularly", "by no means",
)

# --------------------------------------------------------------------------------------
# Products, by category, each with aspects. Aspects marked plural take "are".
# --------------------------------------------------------------------------------------
CATEGORIES = (
    ("kitchen", (
        "kettle", "toaster", "blender", "coffee maker", "frying pan", "knife set",
        "rice cooker", "food processor", "slow cooker", "air fryer", "mixing bowl",
    ), ("lid", "handle", "heating", "temperature control", "coating", "blades",
        "motor", "cord", "base", "jug", "timer", "buttons")),
    ("electronics", (
        "headphones", "phone case", "charger", "speaker", "keyboard", "mouse",
        "tablet", "smart watch", "webcam", "power bank", "radio", "camera",
    ), ("battery", "sound", "screen", "buttons", "connection", "microphone", "app",
        "battery life", "volume", "cable", "display", "bass", "charging port")),
    ("clothing", (
        "jacket", "boots", "trainers", "jumper", "raincoat", "backpack", "scarf",
        "gloves", "jeans", "hoodie", "winter coat", "hiking socks",
    ), ("fit", "fabric", "stitching", "zip", "colour", "sizing", "pockets", "sole",
        "lining", "hood", "straps", "laces")),
    ("home", (
        "desk lamp", "office chair", "pillow", "duvet", "vacuum cleaner", "curtains",
        "bookshelf", "mattress", "clothes airer", "bin", "wall clock", "rug",
    ), ("assembly", "cushion", "suction", "brightness", "frame", "cover", "wheels",
        "filter", "switch", "finish", "legs", "hinges")),
    ("games and books", (
        "board game", "jigsaw puzzle", "paperback", "cookbook", "kite",
        "building set", "card game", "colouring book", "novel", "atlas",
    ), ("pieces", "story", "rules", "illustrations", "box", "recipes", "pages",
        "artwork", "print", "binding", "ending", "characters")),
    ("outdoors", (
        "tent", "yoga mat", "bike lock", "water bottle", "running shoes",
        "camping stove", "garden hose", "sleeping bag", "bike light", "umbrella",
    ), ("grip", "seal", "padding", "nozzle", "poles", "straps", "mount", "canopy",
        "lock", "cap", "valve", "grip tape")),
)
GENERIC_ASPECTS = (
    "price", "delivery", "packaging", "customer service", "instructions", "quality",
    "design", "build quality", "size", "warranty", "value", "weight", "smell",
    "setup", "finish",
)
PLURAL_ASPECTS = (
    "blades", "buttons", "pockets", "laces", "straps", "wheels", "legs", "hinges",
    "pieces", "rules", "illustrations", "recipes", "pages", "characters", "poles",
    "headphones", "boots", "trainers", "gloves", "jeans", "curtains", "hiking socks",
    "instructions", "running shoes",
)

COLOURS = ("black", "white", "grey", "red", "blue", "green", "navy", "pink", "silver")
PEOPLE = (
    "my son", "my daughter", "my wife", "my husband", "my mum", "my dad", "my sister",
    "my brother", "my partner", "a friend", "my flatmate", "my nan", "my grandson",
    "myself", "the office", "my niece",
)
DURATIONS = (
    "two weeks", "a month", "three months", "six months", "a year", "a few days",
    "ten days", "a couple of weeks", "about a year", "two years",
)
FREQUENCIES = (
    "every day", "most days", "twice a week", "at weekends", "now and then",
    "every morning", "for work", "on holiday", "for the school run",
)
REASONS = (
    "after reading the reviews", "because my old one broke", "on a friend's advice",
    "as a birthday present", "in the sale", "for a camping trip", "on impulse",
    "to replace a cheaper one", "for our new flat", "as a gift",
)

# --------------------------------------------------------------------------------------
# Messages between people, news and how-to text.
# --------------------------------------------------------------------------------------
NAMES = (
    "Sam", "Alex", "Priya", "Tom", "Jess", "Mo", "Chloe", "Dan", "Aisha", "Ben",
    "Lucy", "Raj", "Ellie", "Jamie", "Zara", "Owen", "Mia", "Leo", "Hannah", "Kai",
    "Grace", "Ravi", "Nina", "Josh", "Amy", "Luke", "Sofia", "Ade", "Rosie", "Finn",
)
PLACES = (
    "the station", "the pub", "the park", "the cafe", "the gym", "the library",
    "the cinema", "the market", "Sarah's", "the office", "the pool", "the bus stop",
    "the chippy", "the big Tesco", "the leisure centre", "your mum's", "the match",
)
DAYS = (
    "tomorrow", "tonight", "on Saturday", "on Sunday", "on Friday", "next week",
    "this afternoon", "after work", "on Monday", "later", "this weekend",
)
TIMES = ("7", "half 6", "8", "noon", "10ish", "5", "quarter past 7", "9", "6", "half 8")
EVENTS = (
    "dinner", "the film", "football", "the gig", "drinks", "lunch", "the quiz",
    "badminton", "the party", "coffee", "the meeting", "practice", "the barbecue",
)
VENUES = (
    ("the new Thai place", "food"), ("that Italian on the high street", "pasta"),
    ("the cinema", "film"), ("the gig", "band"), ("the hotel", "room"),
    ("the museum", "exhibition"), ("the theatre", "play"), ("the cafe", "coffee"),
    ("the football", "game"), ("the wedding", "speech"), ("the comedy night", "show"),
    ("the burger place", "burger"), ("the spa", "massage"), ("the concert", "music"),
)
TOWNS = (
    "Millbrook", "Ashford", "Carlton", "Westfield", "Bramley", "Oakham", "Redhill",
    "Stanton", "Kingsbridge", "Fenwick", "Harlow Green", "Eastleigh", "Norbury",
    "Whitby Cross", "Hollins", "Marston",
)
NEWS_TOPICS = (
    ("council", ("a new library", "a cycle lane", "a car park", "a housing estate",
                 "a swimming pool", "a community garden", "a bus depot")),
    ("school", ("a science block", "a new playground", "a sports hall",
                "a breakfast club", "a music room")),
    ("business", ("a bakery", "a hardware shop", "a small brewery", "a bike repair shop",
                  "a garden centre", "a bookshop")),
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
OFFICIALS = (
    "a council spokesperson", "the head teacher", "the local MP", "a police spokesperson",
    "the project manager", "a resident", "the chair of the parish council",
    "the shop owner", "a volunteer",
)
SPORTS = ("football", "cricket", "netball", "rugby", "hockey", "bowls", "basketball")
WEATHER = (
    "heavy rain", "strong winds", "a cold snap", "thick fog", "a heatwave", "snow",
    "thunderstorms", "frost",
)

DISHES = (
    ("vegetable soup", ("onion", "carrot", "celery", "stock", "potato", "leek")),
    ("banana bread", ("banana", "flour", "butter", "sugar", "egg", "walnut")),
    ("tomato pasta", ("pasta", "tomato", "garlic", "olive oil", "basil", "onion")),
    ("chicken curry", ("chicken", "onion", "garlic", "ginger", "curry paste", "rice")),
    ("pancakes", ("flour", "milk", "egg", "butter", "lemon", "sugar")),
    ("lentil stew", ("lentils", "carrot", "onion", "cumin", "stock", "spinach")),
    ("fried rice", ("rice", "egg", "peas", "spring onion", "soy sauce", "carrot")),
    ("flapjacks", ("oats", "butter", "golden syrup", "sugar", "raisins", "honey")),
    ("omelette", ("egg", "cheese", "ham", "mushroom", "butter", "chives")),
    ("shepherd's pie", ("mince", "potato", "onion", "carrot", "gravy", "peas")),
)
COOK_VERBS = (
    "chop the {i}", "peel the {i}", "add the {i}", "stir in the {i}", "mix in the {i}",
    "slice the {i}", "fry the {i} gently", "whisk the {i}", "grate the {i}",
    "set the {i} aside",
)
COOK_STEPS = (
    "heat a pan over a medium heat", "preheat the oven to 180 degrees",
    "bring a large pot of water to the boil", "simmer for twenty minutes",
    "bake for about forty minutes", "season with salt and pepper",
    "leave to cool for ten minutes", "cover and leave for five minutes",
    "stir every few minutes so nothing sticks", "taste and adjust the seasoning",
)
HOWTO_TASKS = (
    ("change a bike tyre", ("remove the wheel", "let the air out of the tube",
                            "lever the tyre off the rim", "fit the new tube",
                            "pump it up slowly", "check the tyre sits evenly")),
    ("clean a kettle", ("fill it halfway with water", "add a cup of vinegar",
                        "bring it to the boil", "leave it for an hour",
                        "rinse it out twice", "boil fresh water once and pour it away")),
    ("hang a picture", ("choose the spot", "mark the height with a pencil",
                        "check it with a spirit level", "drill a small hole",
                        "push in a wall plug", "screw in the hook")),
    ("repot a plant", ("water the plant the day before", "tip it out gently",
                       "loosen the roots", "add fresh compost to the new pot",
                       "set the plant in the middle", "fill around it and water well")),
    ("bleed a radiator", ("turn the heating off", "wait for the radiator to cool",
                          "put a cloth under the valve", "turn the key slowly",
                          "close it when water appears", "check the boiler pressure")),
    ("back up your phone", ("connect to wifi", "open the settings",
                            "choose the backup option", "pick what to include",
                            "start the backup", "check the date of the last backup")),
    ("unblock a sink", ("remove the plug", "pour in hot water", "use a plunger",
                        "clear the trap underneath", "run the tap for a minute",
                        "put the plug back")),
)
