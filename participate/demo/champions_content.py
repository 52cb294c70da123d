"""Lifelike words for the champions demo: places in Lambeth's wards, and what groups say and do."""

from __future__ import annotations

from participate.models import Interest

# Places people in each ward would name (a park, a library, an estate), by ONS code.
PLACES = {
    "E05014095": ["Brixton Library", "Rush Common", "Acre Lane"],
    "E05014096": ["Max Roach Park", "the Loughborough Estate", "Brixton Station Road"],
    "E05014097": ["Rush Common", "Blenheim Gardens", "Brixton Hill"],
    "E05014098": ["Windrush Square", "Brockwell Park", "Brixton Library"],
    "E05014099": ["Clapham Common", "Abbeville Village", "Clapham Library"],
    "E05014100": ["Clapham North", "Larkhall Park", "Bedford Road"],
    "E05014101": ["Agnes Riley Gardens", "the Clapham Park Estate", "Poynders Road"],
    "E05014102": ["Clapham Old Town", "Venn Street", "Clapham Library"],
    "E05014103": ["Norwood Park", "Central Hill", "Gipsy Hill"],
    "E05014104": ["Loughborough Junction", "Ruskin Park", "Herne Hill"],
    "E05014105": ["Kennington Park", "the Durning Library", "Cleaver Square"],
    "E05014106": ["West Norwood Library", "Norwood High Street", "Knight's Hill"],
    "E05014107": ["Myatt's Fields Park", "the Minet Library", "Loughborough Road"],
    "E05014108": ["Vauxhall Park", "Bonnington Square", "the Oval"],
    "E05014109": ["the Tulse Hill Estate", "Palace Road", "St Martin's Estate"],
    "E05014110": ["Slade Gardens", "the Stockwell Park Estate", "Stockwell Memorial Gardens"],
    "E05014111": ["Larkhall Park", "Lansdowne Green", "Stockwell Library"],
    "E05014112": ["Streatham Common", "The Rookery", "Streatham Vale Park"],
    "E05014113": ["Streatham Hill", "Hillside Gardens Park", "Brixton Hill"],
    "E05014114": ["Thornton Gardens", "Streatham Hill", "Agnes Riley Gardens"],
    "E05014115": ["St Leonard's Church", "Streatham Library", "Streatham High Road"],
    "E05014116": ["Streatham Wells", "Valley Road", "Streatham Common"],
    "E05014117": ["Vauxhall City Farm", "Spring Gardens", "Vauxhall Park"],
    "E05014118": ["Archbishop's Park", "the South Bank", "Lower Marsh"],
    "E05014119": ["West Norwood Cemetery", "Rosendale Road", "Belair Park"],
}

GROUP_NAMES = {
    Interest.FOOD_GROWING: [
        "{place} Food Growers",
        "{place} Seed Swap",
        "{place} Community Orchard",
        "Grow {ward}",
    ],
    Interest.COMMUNITY_ENERGY: ["{ward} Solar Co-op", "{place} Warm Homes", "{ward} Energy Club"],
    Interest.WASTE_AND_RECYCLING: ["{place} Repair Café", "{ward} Zero Waste", "{place} Community Fridge"],
    Interest.CLEAN_AIR: ["{ward} Clean Air Parents", "Breathe {ward}", "{place} School Streets"],
    Interest.BIODIVERSITY: ["Friends of {place}", "{place} Wildlife Watch", "{ward} Tree Wardens"],
    Interest.OTHER: ["{ward} Green Neighbours", "{place} Green Skills"],
}

DESCRIPTIONS = {
    Interest.FOOD_GROWING: (
        "We grow vegetables, herbs and fruit together at {place}, and share what we grow with "
        "neighbours and the local food bank.\n\nNo experience needed: we have tools, gloves and "
        "plenty of advice. Children are welcome with an adult."
    ),
    Interest.COMMUNITY_ENERGY: (
        "We help neighbours in {ward} cut their energy bills and their carbon: draught-proofing "
        "sessions, thermal camera loans, and a plan for **solar panels on community buildings**.\n\n"
        "Come to a meeting if you rent, own or just want to learn."
    ),
    Interest.WASTE_AND_RECYCLING: (
        "Bring what is broken – lamps, toasters, clothes, bikes – and our volunteer fixers will "
        "help you mend it at {place}.\n\nWe also run swap shops and help estates set up "
        "food-waste collections."
    ),
    Interest.CLEAN_AIR: (
        "Parents, carers and neighbours working for cleaner air around the schools of {ward}.\n\n"
        "We measure air quality with diffusion tubes, campaign for school streets and organise "
        "walking buses."
    ),
    Interest.BIODIVERSITY: (
        "We look after {place} and the wildlife in it: planting, bulb days, hedgehog surveys "
        "and bat walks.\n\nEveryone is welcome, whatever you know about nature."
    ),
    Interest.OTHER: (
        "A friendly group of neighbours in {ward} making our streets greener, from planters "
        "and tree pits to green skills for young people."
    ),
}

EVENT_TITLES = {
    Interest.FOOD_GROWING: [
        "Seed swap",
        "Planting day",
        "Harvest share",
        "Composting workshop",
        "Pruning morning",
    ],
    Interest.COMMUNITY_ENERGY: ["Draught-proofing workshop", "Energy bill clinic", "Solar open meeting"],
    Interest.WASTE_AND_RECYCLING: ["Repair café", "Swap shop", "Mending evening", "Litter pick"],
    Interest.CLEAN_AIR: ["Air quality walk", "School street play day", "Diffusion tube results evening"],
    Interest.BIODIVERSITY: ["Bat walk", "Bulb planting", "Hedgehog survey", "Pond dipping", "Tree planting"],
    Interest.OTHER: ["Planter building day", "Green skills session", "Street greening meeting"],
}

ANNOUNCEMENTS = [
    "Thank you to everyone who came on Saturday – we filled **twelve bags** and met lots of new neighbours.",
    "We have a new meeting place from next month: details are on each event.",
    "We are looking for a co-organiser to help with our social media. Get in touch at the next session.",
    "Our small grant from the council's champions fund has come through: new tools are on the way!",
    "Reminder: please bring your own cup to events, we are trying to go single-use free.",
]

STATEMENTS = {
    Interest.FOOD_GROWING: "I would like to turn the unused corner of our estate into a food-growing garden.",
    Interest.COMMUNITY_ENERGY: "I want to help neighbours cut their energy bills and get solar on our block.",
    Interest.WASTE_AND_RECYCLING: "I'd love to start a repair café so fewer things end up in the bin.",
    Interest.CLEAN_AIR: "I want cleaner air outside my children's school and a school street on our road.",
    Interest.BIODIVERSITY: "I would like to plant more trees and make our park better for birds and insects.",
    Interest.OTHER: "I want to help young people on our street learn green skills.",
}

AVAILABILITY = [
    "Weekday evenings",
    "Saturday mornings",
    "Weekends",
    "Some weekday daytimes",
    "Evenings and Sunday afternoons",
    None,
]
