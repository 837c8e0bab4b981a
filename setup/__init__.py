"""The settings area (/settings/): its hub, its layout, and the team set-up that spans apps.

Nobody needs the Django admin for daily work: every setting an administrator, IT manager or
team lead changes has a page here. The convention every section follows:

- A section owned by one app lives in that app: its views in `<app>/views/settings.py` (or
  `settings_<part>.py` when it grows), its URLs in the app's urls.py under
  `/settings/<section>/…` with names `settings-<section>…` (e.g. `settings-surveys`), its
  templates in `templates/<app>/settings/`, each extending `setup/base.html` and filling
  `{% block settings_content %}` (the layout gives the section navigation, stacked at 390 px).
  Only what spans several apps (a team's rules, question, members and follow-up threshold;
  user accounts) lives in `setup` itself.
- Who may open it is one predicate in accounts/access.py (`may_<verb>_<thing>(user)`), asked by
  `accounts.access.staff_page(...)` on every view, and objects are looked up through the user
  (`get_<thing>_to_configure(user, …)`: out of reach is a 404). Add the predicate to
  `may_open_settings` too, which decides the navigation's "Settings" link.
- The hub links a section by its URL name: add one `Section` to `setup/sections.py`
  (tests/test_settings_home.py checks that each actor's sections match `may_open_settings`).
- Every change is written through a service to the audit trail:
  `audit_record(action=AuditEvent.Action.SETTINGS_CHANGED, actor=…, target="team 3",
  details={"section": "…", "changed": {field: value, …}})` (ACCOUNT_CHANGED for user accounts,
  ROLE_CHANGED through accounts.services for roles). Nothing personal in URLs: ids and slugs.
- Forms say what is wrong in the reader's language (Dutch in locale/nl/glossary/*.json), carry
  the CSRF token, and save nothing when any field is wrong.
- Every new named URL gets its row per actor in tests/test_access_roles.py.
"""
