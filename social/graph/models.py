"""The social graph: who is friends with, asked, follows, blocks and invited whom, and what
each person shares with whom (PrivacySettings).

Who may see what is decided in selectors.py (the audience rule), never here.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least, Lower
from django.utils import timezone

from shop.core.visibility import Visibility

# What each setting may be. A profile is seen by friends or by everyone (a stranger still
# sees the name and avatar, enough to ask for friendship); lists of things are not opened by
# a link (a link opens one object: a wishlist, a pool), so they have no LINK.
PROFILE_CHOICES = [(v.value, v.label) for v in (Visibility.FRIENDS, Visibility.PUBLIC)]
SHARING_CHOICES = [
    (v.value, v.label) for v in (Visibility.PRIVATE, Visibility.FRIENDS, Visibility.PUBLIC)
]


class PrivacySettings(models.Model):
    """What one person shares, and with whom. A person without a row has the defaults.

    Rows are written when a person first changes a setting (services.privacy_settings_update);
    reads fall back to the field defaults (selectors.privacy_settings_get, and the audience
    rule's queryset form coalesces a missing row to them), so no signup path has to remember
    to create one.

    Defaults: data protection by default (GDPR art. 25(2)): nothing is shown to everyone
    until the person says so. The profile (name, avatar, bio) shows in full to friends; a
    stranger sees the name and avatar only, enough to recognise and befriend someone.
    Purchases are private (sharing them is opt-in), likes and the friends list are for
    friends, new wishlists are for friends (they exist to be shown to the people who buy
    presents), reviews carry the name, and people can be found by name.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="privacy"
    )
    profile = models.CharField(
        "who sees my profile", max_length=10, choices=PROFILE_CHOICES, default=Visibility.FRIENDS
    )
    friends_list = models.CharField(
        "who sees my friends", max_length=10, choices=SHARING_CHOICES, default=Visibility.FRIENDS
    )
    purchases = models.CharField(
        "who sees what I buy", max_length=10, choices=SHARING_CHOICES, default=Visibility.PRIVATE
    )
    likes = models.CharField(
        "who sees what I like", max_length=10, choices=SHARING_CHOICES, default=Visibility.FRIENDS
    )
    wishlists = models.CharField(
        "who sees a new wishlist",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.FRIENDS,
        help_text="The default of new wishlists; each wishlist can change its own.",
    )
    reviews_show_name = models.BooleanField(
        "show my name on my reviews",
        default=True,
        help_text='Off: reviews say "a verified buyer" instead of the name.',
    )
    discoverable = models.BooleanField(
        "people can find me by name",
        default=True,
        help_text="Off: found only by the exact username.",
    )
    personalised = models.BooleanField(
        "personalise my home page",
        default=True,
        help_text="Off: the home page is the same as everyone's, and the shop stops "
        "recommending products from your likes, purchases, browsing and friends.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "privacy settings"
        verbose_name_plural = "privacy settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(profile__in=[value for value, _ in PROFILE_CHOICES]),
                name="graph_privacy_profile_valid",
            ),
            models.CheckConstraint(
                condition=Q(friends_list__in=[value for value, _ in SHARING_CHOICES])
                & Q(purchases__in=[value for value, _ in SHARING_CHOICES])
                & Q(likes__in=[value for value, _ in SHARING_CHOICES])
                & Q(wishlists__in=Visibility.values),
                name="graph_privacy_sharing_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Privacy of user #{self.user_id}"


class FriendRequest(models.Model):
    """One person asking another to be friends, with an optional short message."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    MESSAGE_MAX_LENGTH = 280

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friend_requests_sent"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="friend_requests_received",
    )
    message = models.CharField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One pending request per pair, whichever way it goes: the database refuses a
            # second one even when two people ask each other at the same moment.
            models.UniqueConstraint(
                Least("from_user", "to_user"),
                Greatest("from_user", "to_user"),
                condition=Q(status="pending"),
                name="graph_friendrequest_one_pending_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(from_user=F("to_user")), name="graph_friendrequest_not_to_self"
            ),
        ]
        indexes = [
            models.Index(
                fields=["to_user", "-created_at"],
                condition=Q(status="pending"),
                name="graph_request_received",
            ),
            # The sent list and the daily count of requests a person sent.
            models.Index(fields=["from_user", "-created_at"], name="graph_request_sent"),
        ]

    def __str__(self) -> str:
        return f"Friend request #{self.pk} ({self.status})"


class Friendship(models.Model):
    """Half of a friendship: USER counts FRIEND among their friends.

    A friendship is two rows, (a, b) and (b, a), written and deleted together in one
    transaction (services), so "friends of X" is one read of the (user, friend) index.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friendships"
    )
    friend = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friend_of"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "friend"], name="graph_friendship_unique"),
            models.CheckConstraint(
                condition=~Q(user=F("friend")), name="graph_friendship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Friendship #{self.pk}"


class Follow(models.Model):
    """FOLLOWER follows a person (whose profile is public) or a merchant; one-way."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    # The shop's model is referred to, never given a reverse accessor: shop knows nothing
    # of the social side.
    merchant = models.ForeignKey(
        "catalog.Merchant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, merchant__isnull=True)
                | Q(person__isnull=True, merchant__isnull=False),
                name="graph_follow_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(follower=F("person")), name="graph_follow_not_self"
            ),
            models.UniqueConstraint(
                fields=["follower", "person"],
                condition=Q(person__isnull=False),
                name="graph_follow_person_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "merchant"],
                condition=Q(merchant__isnull=False),
                name="graph_follow_merchant_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow #{self.pk}"


class Block(models.Model):
    """BLOCKER blocks BLOCKED: from then on each is invisible to the other."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="graph_block_unique"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="graph_block_not_self"),
        ]

    def __str__(self) -> str:
        return f"Block #{self.pk}"


def invite_token_new() -> str:
    return secrets.token_urlsafe(24)


class Invite(models.Model):
    """An invitation to join: a person's own link (one each), or one sent to an email.

    Its token is the link's secret (/invite/<token>/): random, never an id.
    """

    class Kind(models.TextChoices):
        LINK = "link", "Personal link"
        EMAIL = "email", "Email"

    class EmailStatus(models.TextChoices):
        NONE = "", "—"
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        # The address is that of someone who blocked the inviter: nothing is sent, and the
        # inviter is not told (it would say who blocked them).
        WITHHELD = "withheld", "Withheld"

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    token = models.CharField(max_length=64, unique=True, default=invite_token_new)
    email = models.EmailField(blank=True)
    email_status = models.CharField(
        max_length=8, choices=EmailStatus.choices, blank=True, default=EmailStatus.NONE
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inviter"], condition=Q(kind="link"), name="graph_invite_one_link"
            ),
            models.UniqueConstraint(
                "inviter",
                Lower("email"),
                condition=Q(kind="email"),
                name="graph_invite_email_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="link", email="", email_status="")
                | (Q(kind="email") & ~Q(email="") & ~Q(email_status="")),
                name="graph_invite_kind_fields",
            ),
        ]
        indexes = [
            # The list of a person's invites and the daily count of those sent.
            models.Index(fields=["inviter", "kind", "-created_at"], name="graph_invite_by_inviter"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} invite #{self.pk}"


class Referral(models.Model):
    """Who brought whom: NEWCOMER signed up through an invite of INVITER.

    Recorded at signup; the two become friends once the newcomer's email is verified
    (befriended_at). Later issues reward referrals from these rows.
    """

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made"
    )
    newcomer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral"
    )
    invite = models.ForeignKey(
        Invite, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    created_at = models.DateTimeField(default=timezone.now)
    befriended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(inviter=F("newcomer")), name="graph_referral_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk}"


class Report(models.Model):
    """REPORTER tells the operator that PERSON breaks the rules: a reason, maybe a few words.

    Reports are read and handled in Django admin; the reported person is never told who
    reported them.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or scam"
        HARASSMENT = "harassment", "Harassment or hate"
        IMPERSONATION = "impersonation", "Pretending to be someone else"
        INAPPROPRIATE = "inappropriate", "Inappropriate name, picture or bio"
        OTHER = "other", "Something else"

    TEXT_MAX_LENGTH = 1000

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_received"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.TextField("what happened", max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    handled = models.BooleanField(default=False, help_text="An operator has dealt with it.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reporter=F("person")), name="graph_report_not_self"
            ),
            models.CheckConstraint(
                condition=Q(
                    reason__in=["spam", "harassment", "impersonation", "inappropriate", "other"]
                ),
                name="graph_report_reason_valid",
            ),
        ]
        indexes = [
            # The daily count of reports a person made (the rate limit).
            models.Index(fields=["reporter", "-created_at"], name="graph_report_by_reporter"),
            # The operator's queue: what is still to handle, newest first.
            models.Index(
                fields=["-created_at"], condition=Q(handled=False), name="graph_report_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Report #{self.pk} ({self.get_reason_display()})"
