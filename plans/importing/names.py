"""Names as plans write them: the short names and other names of police forces and fire and
rescue services ("Cambs Police" is Cambridgeshire Constabulary, "GMP" Greater Manchester
Police), for "did you mean" on an agency not known by that name; and whether a lead looks like
a person or a role ("Chief Inspector Smith", "Jane Doe", "CSU Manager") rather than an agency.
"""

from __future__ import annotations

import re

# Each line: names that mean the same agency, its usual name first.
SAME_AGENCY: tuple[tuple[str, ...], ...] = (
    ("Avon and Somerset Constabulary", "Avon and Somerset Police", "ASC"),
    ("Bedfordshire Police", "Beds Police"),
    ("Cambridgeshire Constabulary", "Cambs Police", "Cambridgeshire Police", "Cambs Constabulary"),
    ("Cheshire Constabulary", "Cheshire Police"),
    ("City of London Police", "CoLP"),
    ("Cleveland Police",),
    ("Cumbria Constabulary", "Cumbria Police"),
    ("Derbyshire Constabulary", "Derbyshire Police"),
    ("Devon and Cornwall Police", "D&C Police"),
    ("Dorset Police",),
    ("Durham Constabulary", "Durham Police"),
    ("Dyfed-Powys Police", "Dyfed Powys Police"),
    ("Essex Police",),
    ("Gloucestershire Constabulary", "Glos Police", "Gloucestershire Police"),
    ("Greater Manchester Police", "GMP", "Manchester Police"),
    ("Gwent Police",),
    ("Hampshire and Isle of Wight Constabulary", "Hampshire Constabulary", "Hampshire Police"),
    ("Hertfordshire Constabulary", "Herts Police", "Hertfordshire Police"),
    ("Humberside Police",),
    ("Kent Police",),
    ("Lancashire Constabulary", "Lancs Police", "Lancashire Police"),
    ("Leicestershire Police", "Leics Police"),
    ("Lincolnshire Police", "Lincs Police"),
    ("Merseyside Police",),
    ("Metropolitan Police Service", "Met Police", "MPS", "The Met", "Metropolitan Police"),
    ("Norfolk Constabulary", "Norfolk Police"),
    ("North Wales Police",),
    ("North Yorkshire Police", "NYP"),
    ("Northamptonshire Police", "Northants Police"),
    ("Northumbria Police",),
    ("Nottinghamshire Police", "Notts Police"),
    ("South Wales Police", "SWP"),
    ("South Yorkshire Police", "SYP"),
    ("Staffordshire Police", "Staffs Police"),
    ("Suffolk Constabulary", "Suffolk Police"),
    ("Surrey Police",),
    ("Sussex Police",),
    ("Thames Valley Police", "TVP"),
    ("Warwickshire Police",),
    ("West Mercia Police",),
    ("West Midlands Police", "WMP"),
    ("West Yorkshire Police", "WYP"),
    ("Wiltshire Police",),
    ("British Transport Police", "BTP"),
    ("Cambridgeshire Fire and Rescue Service", "Cambs Fire", "CFRS"),
    ("Essex County Fire and Rescue Service", "Essex Fire", "ECFRS"),
    ("Greater Manchester Fire and Rescue Service", "GMFRS", "Manchester Fire"),
    ("Kent Fire and Rescue Service", "KFRS", "Kent Fire"),
    ("London Fire Brigade", "LFB"),
    ("Merseyside Fire and Rescue Service", "MFRS"),
    ("West Midlands Fire Service", "WMFS"),
    ("West Yorkshire Fire and Rescue Service", "WYFRS"),
    ("South Yorkshire Fire and Rescue", "SYFR"),
    ("National Probation Service", "NPS", "Probation Service", "The Probation Service"),
    ("Kent, Surrey and Sussex Community Rehabilitation Company", "KSS CRC"),
)

_SAME: dict[str, tuple[str, ...]] = {
    name.casefold(): group for group in SAME_AGENCY for name in group
}

# Words of a person's title or role: "Chief Inspector Smith", "CSU Manager", "Cllr Jones".
ROLE_WORDS = re.compile(
    r"\b(mr|mrs|ms|miss|dr|cllr|councillor|sir|dame|inspector|chief|superintendent|sergeant|"
    r"constable|dci|di|ds|dc|pc|ps|insp|supt|sgt|officer|manager|co-?ordinator|director|"
    r"head of|lead officer|chair|chairman|chairperson|portfolio holder|analyst|worker|"
    r"advisor|adviser|commander)\b",
    re.IGNORECASE,
)
# Words of an organisation's name: a lead with one of them is an agency, whatever else it has.
AGENCY_WORDS = re.compile(
    r"\b(council|police|constabulary|service|services|fire|rescue|nhs|trust|ccg|icb|board|"
    r"partnership|team|unit|group|panel|forum|network|probation|crc|authority|agency|"
    r"university|college|school|schools|academy|ltd|limited|plc|association|housing|hospital|"
    r"centre|center|office|department|directorate|borough|county|city|district|commission|"
    r"commissioner|pcc|opcc|project|charity|watch|aid|victim|support|health|community|"
    r"safety|youth|justice|court|courts|prison|church|club|foundation|society|company|"
    r"government|home|ministry|cross|care|women|refuge|pastors|mind|relate)\b",
    re.IGNORECASE,
)
PERSON_NAME = re.compile(
    r"^(?P<first>[A-Z][a-z'’-]+|[A-Z]\.?)(?: [A-Z]\.?)?(?: [A-Z][a-z'’-]+){1,2}$"
)
# Common first names: "Jane Doe" is a person, "Interventions Alliance" (two capitalised words
# too) is not. An initial ("J. Smith") also says person.
_FIRST_NAMES = """
adam adrian alan alex alexander alice alison amanda amy andrew angela ann anna anne
anthony barbara ben benjamin beth bob carol caroline catherine charles charlotte chris
christine christopher claire clare colin craig daniel darren dave david dawn deborah
debbie denise diane donna elaine eleanor elizabeth emily emma fiona frances gail gary
gemma geoff george gill gillian graham hannah harry heather helen ian jack jackie james
jamie jane janet jason jean jennifer jenny jess jessica jill jo joan joanne john jon
jonathan joseph julia julie karen kate katherine kathryn keith kelly kevin kim laura
lauren lee lesley linda lindsay lisa liz louise lucy lynn margaret maria mark martin
mary matt matthew michael michelle mike natalie neil nick nicola nicholas nigel pam
patricia paul pauline peter phil philip rachel rebecca richard rob robert ruth sally sam
samantha sandra sarah scott sharon simon sophie stephen steve steven stuart sue susan
tanya terry thomas tim tom tony tracey tracy vicky victoria wendy william
"""
FIRST_NAMES = frozenset(_FIRST_NAMES.split())


def same_agency_names(name: str) -> tuple[str, ...]:
    """Every name of the agency ``name`` is a name of, in the table; () if it is not there."""
    return _SAME.get(" ".join(name.split()).casefold(), ())


def looks_like_person(name: str, *, like_an_agency: bool = False) -> bool:
    """A person's name ("Jane Doe") or role ("Chief Inspector Smith", "CSU Manager"), not
    an agency: nothing in it says organisation, and it names a role or reads as a name. A
    name ``like_an_agency`` (a near spelling of a known one: "Kent Polce") is no person."""
    text = " ".join(name.split())
    if not text or AGENCY_WORDS.search(text) or same_agency_names(text):
        return False
    if ROLE_WORDS.search(text):
        return True
    match = PERSON_NAME.match(text)
    if like_an_agency or not match:
        return False
    first = match.group("first").rstrip(".").casefold()
    return len(first) == 1 or first in FIRST_NAMES
