"""Words for the commissioning record in the reader's language: provider kinds, procurement routes,
delivery statuses, and the names and units of the shipped community benefit checklist.

Open data (the API, CSV and OCDS) keeps the stored English names and the codes; pages and mail
use these labels. A measure an admin added has no translation: its stored name is shown.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from participate.models import DeliveryStatus, ProcurementRoute, ProviderKind, SocialValueMeasure

KIND_LABELS = {
    ProviderKind.IN_HOUSE: _l("In-house"),
    ProviderKind.ARMS_LENGTH: _l("Arm's-length body"),
    ProviderKind.PRIVATE: _l("Private company"),
    ProviderKind.SOCIAL_ENTERPRISE: _l("Social enterprise"),
    ProviderKind.VOLUNTARY_COMMUNITY: _l("Voluntary and community organisation"),
    ProviderKind.COMMUNITY_LED: _l("Community-led"),
    ProviderKind.COMMUNITY_GROUP: _l("A community group on this site"),
}

KIND_HINTS = {
    ProviderKind.IN_HOUSE: _l("The council does it itself, with its own staff."),
    ProviderKind.ARMS_LENGTH: _l("A body the council owns but that runs at arm's length."),
    ProviderKind.PRIVATE: _l("A business that makes a profit for its owners."),
    ProviderKind.SOCIAL_ENTERPRISE: _l("A business that reinvests its profits in its social purpose."),
    ProviderKind.VOLUNTARY_COMMUNITY: _l("A charity or community organisation, often with volunteers."),
    ProviderKind.COMMUNITY_LED: _l("Residents organise and run it themselves, with the council's support."),
    ProviderKind.COMMUNITY_GROUP: _l("A group that organises on this site: choose it from the list below."),
}

# Voluntary, community and social enterprise providers (the VCSE sector), for the borough report.
VCSE_KINDS = frozenset(
    {
        ProviderKind.SOCIAL_ENTERPRISE,
        ProviderKind.VOLUNTARY_COMMUNITY,
        ProviderKind.COMMUNITY_LED,
        ProviderKind.COMMUNITY_GROUP,
    }
)

ROUTE_LABELS = {
    ProcurementRoute.DIRECT_AWARD: _l("Direct award"),
    ProcurementRoute.QUOTATION: _l("Quotation"),
    ProcurementRoute.OPEN_TENDER: _l("Open tender"),
    ProcurementRoute.RESTRICTED_TENDER: _l("Restricted tender"),
    ProcurementRoute.FRAMEWORK: _l("Call-off from a framework"),
    ProcurementRoute.GRANT: _l("Grant"),
}

STATUS_LABELS = {
    DeliveryStatus.PLANNED: _l("Planned"),
    DeliveryStatus.PROCURING: _l("Procuring"),
    DeliveryStatus.AWARDED: _l("Awarded"),
    DeliveryStatus.DELIVERING: _l("Delivering"),
    DeliveryStatus.UNDER_REVIEW: _l("Under review"),
    DeliveryStatus.COMPLETED: _l("Completed"),
    DeliveryStatus.TERMINATED: _l("Terminated"),
}

# The colour of each status's tag (classes in site.css).
STATUS_TAGS = {
    DeliveryStatus.PLANNED: "tag--grey",
    DeliveryStatus.PROCURING: "tag--blue",
    DeliveryStatus.AWARDED: "tag--blue",
    DeliveryStatus.DELIVERING: "tag--green",
    DeliveryStatus.UNDER_REVIEW: "tag--yellow",
    DeliveryStatus.COMPLETED: "tag--green",
    DeliveryStatus.TERMINATED: "tag--red",
}

# The shipped checklist's measures, by code (see participate/data/social_value_checklist.csv).
MEASURE_NAMES = {
    "LBH-1": _l("Support for the Cooperative Council"),
    "LBH-2": _l("Employment opportunities and apprenticeships"),
    "LBH-3": _l("Paying the London Living Wage"),
    "LBH-4": _l("Spending with local suppliers"),
    "LBH-5": _l("Carbon emissions reduced"),
    "NT1": _l("Local people employed on the contract"),
    "NT1c": _l("Local people employed in the supply chain"),
    "NT4": _l("Young people not in education, employment or training hired"),
    "TOMS-1": _l("Disabled people hired on the contract"),
    "TOMS-2": _l("Care leavers hired through a recruitment programme"),
    "TOMS-3": _l("Careers mentoring and interview support for unemployed people"),
    "NT9": _l("Weeks of training on the contract"),
    "NT10": _l("Weeks of apprenticeships on the contract"),
    "NT14": _l("Spending with voluntary, community and social enterprises"),
    "NT18": _l("Spending with local small businesses"),
    "NT58": _l("Staff paid at least the London Living Wage"),
    "NT28": _l("Donations to local community projects"),
    "NT29": _l("Volunteering hours for local community projects"),
    "NT43": _l("Modern slavery checks in the supply chain"),
    "NT31": _l("Carbon emissions saved on the contract"),
    "NT32/NT33": _l("Car miles saved"),
    "TOMS-4": _l("Innovative ways of adding social value"),
    "PPN-1": _l("Helping communities recover from COVID-19"),
    "PPN-2": _l("New businesses, jobs and skills"),
    "PPN-3": _l("Stronger supply chains"),
    "PPN-4": _l("Looking after the environment"),
    "PPN-5": _l("Closing the disability employment gap"),
    "PPN-6": _l("Tackling inequality in the workforce"),
    "PPN-7": _l("Better health and wellbeing"),
    "PPN-8": _l("Stronger community cohesion"),
}

UNIT_LABELS = {
    "yes/no + description": _l("met or not"),
    "description": _l("met or not"),
    "policy outcome": _l("met or not"),
    "FTE / starts": _l("full-time jobs or starts"),
    "% of contract staff": _l("percentage of staff"),
    "% or no. staff": _l("percentage of staff"),
    "GBP": _l("£"),
    "GBP spend": _l("£"),
    "GBP invested / measures": _l("£"),
    "tCO2e": _l("tonnes CO₂e"),
    "no. people FTE": _l("people (full-time equivalent)"),
    "hours x attendees": _l("hours"),
    "hours": _l("hours"),
    "no. weeks": _l("weeks"),
    "miles": _l("miles"),
}


def measure_name(measure: SocialValueMeasure) -> str:
    """A measure's name in the reader's language (an admin's own measures keep their stored name)."""
    label = MEASURE_NAMES.get(measure.code)
    return str(label) if label is not None else measure.name


def unit_label(measure: SocialValueMeasure) -> str:
    """A measure's unit in the reader's language, or as stored."""
    label = UNIT_LABELS.get(measure.unit)
    return str(label) if label is not None else measure.unit


def labels_context() -> dict:
    """The labels every commissioning template uses."""
    return {
        "commissioning_labels": {
            "kind": KIND_LABELS,
            "kind_hint": {k.value: v for k, v in KIND_HINTS.items()},
            "route": ROUTE_LABELS,
            "status": STATUS_LABELS,
            "status_tag": STATUS_TAGS,
        },
        "measure_name": measure_name,
        "unit_label": unit_label,
    }
