"""Staff page: the CSV import. (Connectors are in the settings area: views/settings.py.)"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import may_import_tickets, staff_page

from ..csv_import import decode, import_rows, parse
from ..forms import ImportCommitForm, ImportForm


@staff_page(may_import_tickets)
def ticket_import(request):
    if request.method == "POST" and "text" in request.POST:
        commit = ImportCommitForm(request.POST)
        if commit.is_valid():
            data = commit.cleaned_data
            parsed = parse(data["text"], source=data["source"], default_team=data["default_team"])
            result = import_rows(parsed.valid)
            messages.success(
                request,
                _(
                    "Imported %(created)s tickets (%(existing)s were known already); "
                    "%(bad)s rows skipped."
                )
                % {
                    "created": result.created,
                    "existing": result.existing,
                    "bad": len(parsed.invalid),
                },
            )
            return redirect("ticket-list")
        messages.error(request, _("The import could not be read back; please upload it again."))
        return redirect("ticket-import")
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = decode(data["file"].read())
        parsed = parse(text, source=data["source"], default_team=data["default_team"])
        context["parsed"] = parsed
        context["commit"] = ImportCommitForm(
            initial={"text": text, "source": data["source"], "default_team": data["default_team"]}
        )
    return render(request, "integrations/import.html", context)
