"""What the pages cannot hold: questions asking for facts, not for how coordination works.

The pages describe how states coordinate with CBP and ICE task forces. They
hold no statistics, no names of officials, no contact details, nothing about
one person's case, no news or dated events and nothing live. A question that
asks for one of those is refused, however many topic words it shares with a
page: an answer about how oversight works is not an answer to "who chairs the
oversight committee". Patterns run on lower-cased plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.alternation import Alternation

# What one person should do is their case, except raising a concern, which the pages cover
_NOT_RAISING_A_CONCERN = r"(?!.{0,30}\b(?:complain|complaint|report|feedback|input|weigh in))"

_KINDS: dict[str, list[str]] = {
    "statistics": [
        r"\bhow (?:many|much|often|long)\b",
        # a comparison in numbers ("more arrests in arkansas than in wv"): the pages hold none
        r"\b(?:more|fewer|less|higher|lower) (?:\w+ ){0,6}than\b",
        r"\bper[- ]?(?:day|diem|head|hour|person|capita|detainee)\b|\breimburs\w*",
        r"\b(?:number|amount|share|percentage|count) of (?!ways\b|mechanisms\b|steps\b)",
        r"\b(?:statistics?|stats|figures|percent(?:age)?|budgets?|salar(?:y|ies)|wages?|cost(?:s|ing)?|"
        r"spen[dt]|spending|paid|tally|totals?)\b",
        r"\b(?:annual|annually|per year|a year|per month|each year)\b",
        r"\b(?:breakdown|any data on|numbers on)\b",
    ],
    "names": [
        r"\bwho (?:is|was|are|were) (?:the|their|its|arkansas'?s?|in charge)\b",
        r"\bwho (?:chairs|heads|leads|runs|directs|signed)\b",
        r"\bwhich\b.{0,40}\b(?:wrote|signed|issued|authored|drafted)\b",
        r"\bwho (?:in|at|from) (?:the )?.{0,30}\b(?:office|department|division|bureau)\b",
        r"\bwhich (?:\w+ ){0,2}(?:agency|department|office|division|unit|bureau) (?:(?:of|in|at) (?:\S+ ){1,4})?"
        r"(?:leads|heads|runs|handles|oversees|coordinates|covers|serves|is (?:in charge|responsible|the lead))\b",
        r"\bnames? of\b",
        r"\bnames\b|\bexact\b",  # "names please", "the exact code section": specifics the pages lack
        r"\b(?:brand|vendor|make|model|maker) of\b",
        r"\bwhich (?:\w+ ){0,3}(?:platform|software|system|vendor|company|companies|contractors?|database)\b",
        r"\bwhich (?:\w+ ){0,2}(?:counties|cities|towns|jails|sheriffs?|police departments|officers|agents|facilities|"
        r"units?|colleges?|academ(?:y|ies)|universit(?:y|ies)|languages?|cases|courts?|judges?|nonprofits)\b",
        r"\b(?:director|governor|commissioner|secretary|sheriff|senator|attorney general|chief)\b.*"
        r"\b(?:name|named|called|said|says|say|announced)\b",
        r"\bwhat(?:'s| is| did) (?:the )?(?:governor|director|sheriff|commissioner|senator|attorney general)\b",
    ],
    "contacts": [
        r"\b(?:phone|telephone|e-?mail|fax|hotline|website|web site|url|mailing address|street address|"
        r"office address|physical address)\b",
        r"\b(?:address|number) (?:of|for|to call)\b",
        r"\bcontact (?:info|information|details|number|person)\b",
        r"\bwhere\b.{0,60}\b(?:located|headquartered)\b",
        r"\b(?:call|reach|email|write to) (?:them|someone|somebody)\b",
        r"\bwhere (?:is|are) (?:the|their) (?:office|offices|headquarters)\b",
    ],
    "a person's case": [
        r"\b(?:my|our) (?:cousin|brother|sister|husband|wife|partner|son|daughter|father|mother|dad|mom|"
        r"friend|neighbou?r|client|family|uncle|aunt|case|status|visa|green card|hearing|kid|kids|child|"
        r"children|parents?|roommate|tenant|passenger|car|house|home|job|papers)\b",
        r"\b(?:am i|should i|can i|could i|will i|do i need|was i|i was|i got)\b" + _NOT_RAISING_A_CONCERN,
        r"\bi (?:filed|submitted|reported|applied|called|sent)\b",
        r"\b(?:how|where) (?:do|would) i\b" + _NOT_RAISING_A_CONCERN,
        r"\bwho (?:do|should|can|would) i\b",
        r"\bstatus (?:on|of) (?:it|my|our)\b",
        r"\b(?:i am|i'm) (?:undocumented|being|getting|facing|in removal|detained|afraid|scared|worried)\b",
        r"\b(?:detained|arrested|picked up|deported) (?:yesterday|today|last|this)\b",
    ],
    "legal advice": [
        r"\bis it (?:legal|illegal|lawful|unlawful)\b",
        r"\bpenalt(?:y|ies)\b|\bsentenc(?:e|es|ing)\b",
        r"\b(?:can|may|could) (?:\w+ ){0,4}legally\b",
        r"\b(?:allowed|permitted|legal|illegal|required) under\b",
        r"\b(?:does|do) (?:federal |state )?law (?:require|allow|permit|say)\b",
        r"\bis (?:\w+ ){0,4}(?:even )?(?:constitutional|unconstitutional)\b",
        r"\bshould (?:our|my|we|i)\b",
        r"\b(?:for me|my rights)\b",
        r"\b(?:recommend|find|need|hire) (?:me )?(?:a|an) (?:good )?(?:immigration )?(?:lawyer|attorney)\b",
    ],
    "news": [
        r"\b(?:19|20)\d\d\b",
        r"\b(?:yesterday|last (?:week|month|year|night)|this (?:week|month|year)|recently|recent|latest|news|"
        r"headlines?|so far)\b",
        r"\bwhen (?:did|was|were)\b|\b(?:what|which) year\b|\bsince when\b",
        r"\b(?:has|have|was|were|did) (?:\w+ ){0,4}ever\b",  # a history of events
        r"\b(?:results?|findings?) of (?:the|that|those|its|their|a|an|last|latest)\b",
        r"\bwhat did (?:\S+ ){0,9}(?:find|conclude|recommend|show|reveal)\b",
        r"\bbills?\b|\bstatus of\b",  # legislation in progress
        r"\b(?:announced|announcement|press release)\b",
        r"\b(?:has|have|did) (?:anyone|anybody|someone|\w+) (?:ever )?sued\b",
        r"\b(?:any|past|pending|recent) (?:lawsuits?|litigation|court cases?)\b",
        r"\bwhen(?:'s| is) the next\b",
        r"\bnext (?:public )?(?:hearing|meeting|session)\b",
        r"\b(?:this|last|next) (?:legislative )?session\b",
        r"\b(?:deadline|due date)\b",
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        r"\b(?:this|last) (?:spring|summer|fall|autumn|winter)\b",
        r"\boutcome of the\b",
        # months name dated events ("may" and "march" are left out: mostly other words)
        r"\b(?:january|february|april|june|july|august|september|october|november|december)\b",
        r"\bexecutive orders?\b",
        r"\b(?:been|was|were|got) (?:disciplined|fired|suspended|charged|convicted)\b",
    ],
    "documents": [
        r"\b(?:send|forward|email|attach|give) (?:me|us)\b",
        r"\b(?:full text|copy|pdf|scan|a link) (?:of|to) the\b",
        r"\bthe (?:\w+ )?text (?:of|between)\b",
        r"\b(?:pdf|spreadsheet|form \w+)\b",
    ],
    "opinions or predictions": [
        r"\b(?:your (?:take|opinion|view|thoughts)|you think|you reckon|in your (?:opinion|view)|good (?:policy|idea) or)\b",
        r"\bwill (?:\w+ ){0,3}(?:get|be) (?:sued|challenged|struck down|overturned|blocked|repealed)\b",
        r"\bis (?:it|this|that) (?:a )?(?:good|bad) (?:policy|idea|thing)\b",
        r"\bwhich (?:state|one)\b.*\b(?:better|worse|best|worst)\b",
        r"\b(?:waste of|worth the) (?:\w+ )?(?:money|time|effort|resources)\b",
        r"\bnext (?:year|month|week|summer|spring|fall|autumn|winter|election)\b",
        r"\bwill (?:\w+ ){0,3}(?:expand|end|stop|change|increase|decrease|sign|renew|cancel|grow)\b",
    ],
    "other countries": [
        r"\b(?:uk|u\.k\.|united kingdom|britain|england|canada|mexico|europe|eu|australia|germany|france)\b",
        r"\b(?:british|english|canadian|mexican|european|australian|german|french)\b",
    ],
    "live conditions": [
        r"\b(?:wait|waiting|line|queue)s? (?:time|times|at|is|are)\b",
        r"\bprocessing times?\b|\bbacklogs?\b",
        r"\bwhat time\b|\b(?:opening|office|business) hours\b|\bupcoming\b|\bdates? (?:for|of)\b|\bwhat date\b",
        r"\bwhen (?:does|do|will|would|is|are)\b.{0,60}\b(?:expire|open|close|start|begin|end|renew|take effect)s?\b",
        r"\bright now\b",
        r"\b(?:open|closed) (?:now|today|tonight)\b",
        r"\b(?:today|tonight|tomorrow|this weekend)\b",
        r"\bcurrently\b",
        r"\b(?:rn|atm)\b",  # "right now", "at the moment" in chat
    ],
}
# Each pattern is tried only where it can start (bot/alternation.py): run as one regex,
# a kind's patterns cost 3 µs a kind on a question that has one of them
_PATTERNS = [
    (kind, Alternation([(f"p{j}", p) for j, p in enumerate(patterns)])) for kind, patterns in _KINDS.items()
]
# Most questions match none of them: one pass over all the patterns says so before they are run kind by kind.
_ANY = Alternation(
    [(f"k{i}_{j}", p) for i, patterns in enumerate(_KINDS.values()) for j, p in enumerate(patterns)]
)


def beyond_the_pages(text: str, state_spans: Iterable[tuple[int, int]] = ()) -> str | None:
    """The kind of fact `text` asks for that the pages cannot hold ("statistics", ...), or None.

    A match inside a state's name (`state_spans`: "Mexico" in "New Mexico") does not count.
    """
    lowered = text.lower()
    if not _ANY.search(lowered):
        return None
    spans = list(state_spans)
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(lowered):
            if not any(start <= m.start() and m.end() <= end for start, end in spans):
                return kind
    return None


# "stricter than texas's", "compared to virginia", "arkansas vs texas"
_COMPARING_RE = re.compile(
    r"\b(?:compar\w*|than|vs|versus|differs?|differences?|different from|same as|unlike|stricter|looser)\b"
)


def asks_to_compare(text: str) -> bool:
    """Whether `text` asks for a comparison (with a state the pages may not cover)."""
    return bool(_COMPARING_RE.search(text.lower()))
