from django.db import migrations

# A starting point in both languages; administrators edit, switch off or add rules in the admin.
KNOWLEDGE = ("knowledge", "Knowledge", "Kennis")
STARTER_RULES = {
    "speed": {
        "en": "slow\ntook long\ntook a week\ntook days\nwaited\nwaiting\ndelay\nstill waiting",
        "nl": "traag\nlang geduurd\nduurde lang\nduurde\nwacht\nvertraging",
    },
    "communication": {
        "en": "no update\nnot informed\nnever heard\nunclear\nno reply\ncall back",
        "nl": "geen update\nniet geïnformeerd\nniets gehoord\nonduidelijk\ngeen reactie\nterugbellen\nteruggebeld",
    },
    "solution": {
        "en": "not fixed\nnot solved\nnot resolved\nstill broken\nstill not working\nworkaround",
        "nl": "niet opgelost\nwerkt nog steeds niet\nnog steeds\nweer kapot\nomweg",
    },
    "attitude": {
        "en": "rude\nunfriendly\nimpolite\narrogant\nattitude\ncondescending",
        "nl": "onbeleefd\nonvriendelijk\narrogant\nhouding\nbot\nneerbuigend",
    },
    "knowledge": {
        "en": "didn't know\ndid not know\nno idea\nclueless\ninexperienced\nknowledge",
        "nl": "wist niet\ngeen idee\nonervaren\nkennis\ngeen verstand",
    },
}


def add_rules(apps, schema_editor):
    Reason = apps.get_model("surveys", "Reason")
    KeywordRule = apps.get_model("followups", "KeywordRule")
    slug, name_en, name_nl = KNOWLEDGE
    last = Reason.objects.order_by("-position").first()
    Reason.objects.get_or_create(
        slug=slug,
        defaults={
            "name_en": name_en,
            "name_nl": name_nl,
            "position": (last.position + 1) if last else 0,
        },
    )
    for slug, languages in STARTER_RULES.items():
        reason = Reason.objects.filter(slug=slug).first()
        if reason is None:  # an administrator removed it before this ran: respect that
            continue
        for language, keywords in languages.items():
            KeywordRule.objects.get_or_create(
                reason=reason, language=language, defaults={"keywords": keywords}
            )


class Migration(migrations.Migration):
    dependencies = [("followups", "0002_reasons"), ("surveys", "0002_requester_experience")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
