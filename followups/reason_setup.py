"""The settings area's writes on reasons and keyword rules: each save is one transaction with its
SETTINGS_CHANGED line in the audit trail, naming the fields that changed (setup/__init__.py).

Nothing is deleted here: a reason tags answers and counts in every team's history, and a rule
is switched off rather than removed, so that what suggested a tag can still be read."""

from django.db import transaction
from django.forms import ModelForm

from audit.models import AuditEvent
from audit.services import audit_record
from surveys.models import Reason

SECTION = "reasons"


@transaction.atomic
def reasons_settings_save(*, form: ModelForm, actor, ip: str | None = None) -> bool:
    """Save a valid reason or keyword-rule form; False (and no audit line) when an existing
    row did not change."""
    adding = form.instance._state.adding
    if not adding and not form.has_changed():
        return False
    row = form.save()
    kind = "reason" if isinstance(row, Reason) else "keyword rule"
    audit_record(
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=f"{kind} {row.pk}",
        ip=ip,
        details={"section": SECTION, "changed": sorted(form.changed_data)},
    )
    return True
