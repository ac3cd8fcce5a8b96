"""The fixed value lists the interface offers (kept by storage; read here, so that the
interface never imports storage)."""

from __future__ import annotations

from engagement.storage.access_models import ROLES as ROLES
from engagement.storage.models import ATTENDANCE_ROLES as ATTENDANCE_ROLES
from engagement.storage.models import COMMITMENT_STATUSES as COMMITMENT_STATUSES
from engagement.storage.models import CONFIDENTIALITY as CONFIDENTIALITY
from engagement.storage.models import EVIDENCE_KINDS as EVIDENCE_KINDS
from engagement.storage.models import INPUT_RESPONSES as INPUT_RESPONSES
from engagement.storage.models import SENTIMENTS as SENTIMENTS
from engagement.storage.models import TASK_STATUSES as TASK_STATUSES
