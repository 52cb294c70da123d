"""Lifelike words for the demo's proposals, options and comments (Lambeth places and concerns)."""

from participate.models import ProposalCategory, ProviderType

PROPOSALS = [
    (
        ProposalCategory.YOUNG_PEOPLE,
        "Young people have somewhere safe to go in the evenings",
        "Since the youth centre closed, teenagers hang around the estate with nowhere to go. "
        "We want a **warm, supervised space** open until 9pm on weekdays.",
    ),
    (
        ProposalCategory.YOUNG_PEOPLE,
        "Every child can learn to swim before secondary school",
        "Lessons at the lido are booked out in minutes. Children from families without a car miss out.",
    ),
    (
        ProposalCategory.GREEN_SPACES,
        "The park feels safe and welcoming after dark",
        "Better lighting on the main paths, and the toilets open until sunset all year round.",
    ),
    (
        ProposalCategory.GREEN_SPACES,
        "More trees on the streets that have none",
        "Some of our streets have no trees at all and are the hottest in summer. "
        "Residents would water new trees for the first two years.",
    ),
    (
        ProposalCategory.STREETS_AND_TRANSPORT,
        "Children can walk and cycle to school safely",
        "School streets at drop-off and pick-up, and a safe crossing on the main road.",
    ),
    (
        ProposalCategory.STREETS_AND_TRANSPORT,
        "Pavements that people with pushchairs and wheelchairs can use",
        "Broken paving and parked cars make some pavements impassable.",
    ),
    (
        ProposalCategory.SAFETY,
        "Older residents feel safe walking home from the high street",
        "Many of us avoid going out after 6pm in winter. Lighting and more people around would help.",
    ),
    (
        ProposalCategory.HEALTH_AND_CARE,
        "Nobody in the ward is lonely through the winter",
        "A network of neighbours who check in on people living alone, with a weekly lunch club.",
    ),
    (
        ProposalCategory.HOUSING,
        "Damp and mould are fixed before they make people ill",
        "Repairs take months. Tenants need a clear way to report damp and to see when it will be fixed.",
    ),
    (
        ProposalCategory.ENVIRONMENT,
        "Cleaner air around our schools",
        "Idling cars and buses outside the school gates. We want air quality measured and improved.",
    ),
    (
        ProposalCategory.ENVIRONMENT,
        "Less food and household waste goes to landfill",
        "Food waste collections for flats, and a repair café once a month.",
    ),
    (
        ProposalCategory.CULTURE_AND_SPORT,
        "Free sport for girls and young women",
        "Football and basketball sessions where girls feel welcome, with female coaches.",
    ),
    (
        ProposalCategory.CULTURE_AND_SPORT,
        "A summer festival that brings the whole ward together",
        "Music, food from the many communities who live here, and stalls for local makers.",
    ),
    (
        ProposalCategory.JOBS_AND_SKILLS,
        "Young adults find apprenticeships with local employers",
        "Local businesses want apprentices but do not know how to find them.",
    ),
    (
        ProposalCategory.JOBS_AND_SKILLS,
        "Residents can get online and use digital services",
        "Free help with devices and forms at the library, in several languages.",
    ),
    (
        None,
        "The market is busy again on weekdays",
        "Empty pitches and fewer shoppers. Lower pitch fees for new traders could bring it back.",
    ),
]

OPTION_IDEAS = [
    ("Youth club at the community centre", ProviderType.VOLUNTARY_COMMUNITY),
    ("Council-run youth service with two full-time youth workers", ProviderType.IN_HOUSE),
    ("Detached youth work on the estates", ProviderType.VOLUNTARY_COMMUNITY),
    ("Music studio and recording sessions", ProviderType.SOCIAL_ENTERPRISE),
    ("Evening sports in the school halls", ProviderType.COMMUNITY_LED),
    ("Mentoring with local businesses", ProviderType.PRIVATE),
    ("Leisure centre evening passes", ProviderType.ARMS_LENGTH),
    ("Peer-led arts workshops", ProviderType.COMMUNITY_LED),
    ("Homework club with hot meals", ProviderType.VOLUNTARY_COMMUNITY),
    ("Boxing and fitness academy", ProviderType.SOCIAL_ENTERPRISE),
    ("Coding club at the library", ProviderType.ARMS_LENGTH),
    ("Security patrols at the park", ProviderType.PRIVATE),
]

OPTION_PLACES = [
    "Brixton Rec",
    "the Windrush Square hall",
    "Loughborough Park",
    "the library",
    "Max Roach Park",
    "the adventure playground",
    "St Matthew's church hall",
    "the estate hall",
]

OPTION_DESCRIPTIONS = [
    "Open four evenings a week, 5pm to 9pm, with trained staff and volunteers. "
    "Young people help decide the programme.",
    "A two-year pilot, reviewed after twelve months with the young people who use it.",
    "Works with schools and the local safer neighbourhood team to reach those who need it most.",
    "Uses a building that stands empty in the evenings, so most of the cost goes on staff.",
]

COMMENTS = {
    "for": [
        "This would make a real difference to my kids.",
        "Yes please. The last one was always full, so there is clearly demand.",
        "I volunteered at something similar in Stockwell and it worked really well.",
        "Good value for what it offers, and it uses a building we already have.",
        "Strongly support. Please keep it open in the school holidays too.",
    ],
    "against": [
        "I worry about the running costs after the first year.",
        "The location is hard to reach from the south of the ward.",
        "A private firm will take the profit out of the community. I prefer a local group.",
        "This duplicates what the church already runs on Tuesdays.",
    ],
    "neutral": [
        "Who would run it day to day? That matters more than the building.",
        "Could we see the costs broken down before the vote?",
        "Is there disabled access to the hall?",
        "How would young people themselves have a say in how it runs?",
        "What happens if the funding ends after the pilot?",
    ],
}

REPLIES = [
    "Good question. The officers said the costs will be on the option page next week.",
    "I agree with this.",
    "There is a ramp at the side entrance, and an accessible toilet.",
    "That is a fair point, but something is better than nothing.",
    "The youth forum met last month and asked for exactly this.",
    "Thanks, that answers my question.",
]

OFF_TOPIC = [
    "BEST DEALS ON PHONES!!! visit our shop on the high road",
    "Nobody cares about this, you are all wasting your time, idiots.",
    "My neighbour at number 14 is always up to something, ask him.",
]

HIDE_REASONS = {
    "spam": "Advertising: not part of the discussion.",
    "abuse": "Insults other residents.",
    "personal_information": "Names a neighbour and their address.",
}
