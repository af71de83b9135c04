"""Domain events of the social graph, sent once the change commits (send_robust: a failing
receiver never undoes the change nor stops the others). Notifications and the feed connect
receivers in their AppConfig.ready(); each receiver re-reads the row by its id."""

from django.dispatch import Signal

# The sender of every event below (receivers may ignore it).
SENDER = "social.graph"

# request_id: a friend request was sent.
friend_request_sent = Signal()
# request_id: a friend request was accepted (the two are friends).
friend_request_accepted = Signal()
# request_id: a pending friend request was declined or withdrawn (neither is told of the other).
friend_request_closed = Signal()
# follow_id: someone followed a person or a merchant.
follow_created = Signal()
# referral_id: a newcomer invited by someone verified their email; the two are friends.
invite_accepted = Signal()
# user_id, friend_id: a friendship ended (either unfriended the other).
friendship_ended = Signal()
# follower_id and person_id or merchant_id: someone stopped following.
follow_ended = Signal()
# blocker_id, blocked_id: someone blocked a person (their ties ended with it).
person_blocked = Signal()
# blocker_id, blocked_id: someone unblocked a person (nothing the block ended comes back).
person_unblocked = Signal()
# user_id, fields (the names of the settings whose value changed): privacy settings changed.
privacy_changed = Signal()
