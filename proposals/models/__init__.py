"""The program's models, one module per sub-domain. Django finds them all here."""

from .attachments import CallDocument, ProposalAttachment, attachment_path
from .call import Call, CallQuerySet
from .gap import CapabilityGap, GapComment, GapVote
from .project import Project, ProjectOrganization
from .proposal import Proposal, ProposalTransition

__all__ = [
    "Call",
    "CallDocument",
    "CallQuerySet",
    "CapabilityGap",
    "GapComment",
    "GapVote",
    "Project",
    "ProjectOrganization",
    "Proposal",
    "ProposalAttachment",
    "ProposalTransition",
    # Named by the migrations as proposals.models.attachment_path.
    "attachment_path",
]
