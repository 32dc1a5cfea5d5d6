"""The access rule of every URL: the core rules (rules.py) and each feature app's own, kept
beside its tests (tests/<app>/security.py)."""

from tests.api.security import api_rules
from tests.communities.security import organization_rules
from tests.consultations.security import consultation_rules
from tests.events.past_security import past_event_rules
from tests.events.security import event_rules
from tests.knowledge.resource_centre_security import resource_centre_rules
from tests.knowledge.security import RULES as KNOWLEDGE_RULES
from tests.notifications.security import notification_rules
from tests.proposals.security import RULES as PROGRAM_RULES
from tests.security.rules import RULES as CORE_RULES

RULES = {
    **CORE_RULES,
    **event_rules(),
    **PROGRAM_RULES,
    **KNOWLEDGE_RULES,
    **consultation_rules(),
    **notification_rules(),
    **organization_rules(),
    **past_event_rules(),
    **resource_centre_rules(),
    **api_rules(),
}
