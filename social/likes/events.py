"""Domain events of likes, sent once the change commits (send_robust: a failing receiver
never undoes the like nor stops the others). Recommendations connects a receiver (a person's
likes and their friends' likes are signals of taste); each receiver takes ids."""

from django.dispatch import Signal

SENDER = "social.likes"

# user_id, product_id: someone liked a product, or no longer likes it.
like_changed = Signal()
