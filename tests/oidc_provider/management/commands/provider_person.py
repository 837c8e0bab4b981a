from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Make (or update) a person at the provider, with exactly these groups."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("password")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="")
        parser.add_argument("--group", action="append", default=[])

    def handle(self, *args, username, password, email, name, group, **options):
        user = User.objects.filter(username=username).first() or User(username=username)
        user.email = email
        user.first_name, _space, user.last_name = name.partition(" ")
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=each)[0] for each in group])
