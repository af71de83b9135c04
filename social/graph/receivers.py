"""What the graph hooks into, connected from GraphConfig.ready(): allauth's signup and email
confirmation (an invited newcomer becomes the inviter's friend), the outbox (invitation
emails) and the personal-data registry."""

from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
from shop.core.personal_data import personal_data_register

# The invite token a visitor arrived with (/invite/<token>/), kept until they sign up.
INVITE_SESSION_KEY = "graph_invite_token"


def user_signed_up_record_referral(sender, *, request=None, user=None, **kwargs) -> None:
    """A newcomer signed up: if they came through an invite link, record who brought them."""
    from social.graph.services import referral_record

    if request is None or user is None or not hasattr(request, "session"):
        return
    token = request.session.pop(INVITE_SESSION_KEY, None)
    if token:
        referral_record(newcomer=user, token=token)


def email_confirmed_befriend(sender, *, email_address=None, **kwargs) -> None:
    """A person verified an email: if an invite brought them, they and the inviter become
    friends (once; later confirmations change nothing)."""
    from social.graph.services import referral_befriend

    if email_address is not None:
        referral_befriend(newcomer=email_address.user)


def connect() -> None:
    from allauth.account.signals import email_confirmed, user_signed_up

    from social.graph import invite_services, tasks
    from social.graph.personal_data import graph_erase, graph_export

    user_signed_up.connect(
        user_signed_up_record_referral, weak=False, dispatch_uid="graph.user_signed_up"
    )
    email_confirmed.connect(
        email_confirmed_befriend, weak=False, dispatch_uid="graph.email_confirmed"
    )
    outbox_deliverer_register(
        prefix="email.graph.",
        deliverer=TaskDeliverer(
            tasks={invite_services.INVITE_EMAIL_TOPIC: tasks.invite_email_notify}
        ),
    )
    personal_data_register(name="graph", exporter=graph_export, eraser=graph_erase)
