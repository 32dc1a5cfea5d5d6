"""Writes with consequences in the program, one module per sub-domain: gaps, calls, proposals
and their workflow, funded projects, attachments.

Every write checks its policy again (views ask first to choose 403 or 404; services refuse
anyway, so an admin action or a command cannot bypass the rules). Notifications are recorded
with notifications.services.notify inside the same transaction.

The public services are re-exported here for callers outside the app; the app's own code
imports them from their module.
"""

from .attachments import attachment_add, attachment_delete
from .calls import call_document_add, call_document_delete, call_publish, call_save
from .gaps import gap_comment, gap_create, gap_update, gap_vote_toggle
from .projects import project_from_proposal
from .proposals import (
    proposal_assign_manager,
    proposal_create,
    proposal_submit,
    proposal_transition,
    proposal_update,
)

__all__ = [
    "attachment_add",
    "attachment_delete",
    "call_document_add",
    "call_document_delete",
    "call_publish",
    "call_save",
    "gap_comment",
    "gap_create",
    "gap_update",
    "gap_vote_toggle",
    "project_from_proposal",
    "proposal_assign_manager",
    "proposal_create",
    "proposal_submit",
    "proposal_transition",
    "proposal_update",
]
