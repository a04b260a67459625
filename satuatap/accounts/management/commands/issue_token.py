"""Print a new API token for a user or device, or revoke one.

    python manage.py issue_token officer1 --label "loket 1"
    python manage.py issue_token display_a --zone A --label "TV zona A"
    python manage.py issue_token officer1 --revoke=AbC123
    python manage.py issue_token kiosk --pair=AbC123    # a one-time pairing code for /device/

The raw token is printed once and never stored (only its hash is). A prefix may begin with "-": give it
as ``--pair=PREFIX`` (with ``=``), or argparse reads it as another option.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from satuatap.accounts.models import ApiToken, Role, User
from satuatap.accounts.pairing import new_code
from satuatap.accounts.tokens import issue_token, revoke_token
from satuatap.directory.models import Zone


class Command(BaseCommand):
    help = "Print a new bearer token for USERNAME (display devices need --zone), or revoke one with --revoke."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="", help="What the token is for, e.g. 'kiosk lobby'.")
        parser.add_argument("--zone", default=None, help="Zone code of the user's mall (required for display devices).")
        parser.add_argument(
            "--pair",
            metavar="PREFIX",
            default=None,
            help="Print a one-time pairing code for the device's live token with this prefix (typed at /device/); "
            "write --pair=PREFIX, as a prefix may begin with '-'.",
        )
        parser.add_argument(
            "--revoke",
            metavar="PREFIX",
            default=None,
            help="Revoke the user's live token(s) with this prefix (write --revoke=PREFIX).",
        )

    def handle(self, *args, username, label, zone, revoke, pair, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if revoke is not None:
            return self._revoke(user, revoke)
        if pair is not None:
            return self._pair(user, pair)
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active.")
        zone_obj = None
        if zone is not None:
            zone_obj = Zone.objects.active().filter(mall_id=user.mall_id, code=zone).first()
            if zone_obj is None:
                raise CommandError(f"No zone {zone!r} in the mall of {username!r}.")
        elif user.role == Role.DISPLAY:
            raise CommandError("A display device's token must be bound to a zone: pass --zone CODE.")
        try:
            token, raw = issue_token(user, label=label, zone=zone_obj)
        except ValueError as err:
            raise CommandError(str(err)) from err
        self.stderr.write(f"Token {token.prefix}… for {username} (shown once, store it now):")
        self.stdout.write(raw)

    def _pair(self, user, prefix: str):
        prefix = prefix.removeprefix("sat_")[:6]
        live = ApiToken.objects.filter(user=user, prefix=prefix, revoked_at__isnull=True)
        token = live.select_related("user").first()
        if token is None:
            raise CommandError(f"No live token of {user.username!r} starts with {prefix!r}.")
        _row, code = new_code(token)
        self.stderr.write(f"Pairing code for {user.username} (one-time, {settings.DEVICE_PAIRING_MINUTES} minutes):")
        self.stdout.write(code)

    def _revoke(self, user, prefix: str):
        prefix = prefix.removeprefix("sat_")[:6]
        tokens = list(ApiToken.objects.filter(user=user, prefix=prefix, revoked_at__isnull=True).select_related("user"))
        if not tokens:
            raise CommandError(f"No live token of {user.username!r} starts with {prefix!r}.")
        for token in tokens:
            revoke_token(token)
        self.stdout.write(f"Revoked {len(tokens)} token(s) of {user.username}.")
