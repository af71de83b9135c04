"""The likes app's part of "download my data" and "delete my account", one part per concern
(each registered in LikesConfig.ready()).

Shares: what a person shared (product, how, message, how many it was sent to, visits and
orders counted), what friends shared with them, and the share links they came through.
Erasing deletes their shares (with their recipients and visits) and their place among other
shares' recipients; the visits they paid to others' links stay counted for the merchant but
no longer name them (the visitor key is a hash of a random id of a session long gone).

Likes: the products a person likes; erasing deletes them, each taking one from its count.
"""

from social.likes.models import (
    Ask,
    AskAnswer,
    AskRecipient,
    Like,
    Share,
    ShareRecipient,
    ShareVisit,
)


def shares_export(user) -> dict:
    """Return USER's shares, shares received and share visits, oldest first."""
    shares = (
        Share.objects.filter(sharer_id=user.pk)
        .select_related("product")
        .prefetch_related("recipients")
        .order_by("created_at", "id")
    )
    received = (
        ShareRecipient.objects.filter(user_id=user.pk)
        .select_related("share__product", "share__sharer")
        .order_by("share__created_at", "id")
    )
    visits = (
        ShareVisit.objects.filter(visitor_id=user.pk)
        .select_related("share__product")
        .order_by("created_at", "id")
    )
    return {
        "shares": [
            {
                "product": share.product.title,
                "channel": share.channel,
                "network": share.network,
                "message": share.message,
                "sent_to": len(share.recipients.all()),
                "visits": share.visit_count,
                "orders": share.order_count,
                "at": share.created_at.isoformat(),
            }
            for share in shares
        ],
        "shared_with_me": [
            {
                "product": row.share.product.title,
                "by": row.share.sharer.public_name,
                "message": row.share.message,
                "at": row.share.created_at.isoformat(),
            }
            for row in received
        ],
        "share_links_visited": [
            {"product": visit.share.product.title, "at": visit.created_at.isoformat()}
            for visit in visits
        ],
    }


def shares_erase(user) -> None:
    """Delete USER's shares and their place among recipients; un-name their visits."""
    Share.objects.filter(sharer_id=user.pk).delete()
    ShareRecipient.objects.filter(user_id=user.pk).delete()
    ShareVisit.objects.filter(visitor_id=user.pk).update(visitor=None)


# --- asks: the questions a person asked and the answers they gave -------------------------------


def asks_export(user) -> dict:
    """Return the questions USER asked (with the answers their friends gave) and the answers
    USER gave to friends' questions, oldest first."""
    asks = (
        Ask.objects.filter(asker_id=user.pk)
        .select_related("product")
        .prefetch_related("answers__friend")
        .order_by("created_at", "id")
    )
    answers = (
        AskAnswer.objects.filter(friend_id=user.pk)
        .select_related("ask__asker", "ask__product")
        .order_by("created_at", "id")
    )
    return {
        "asked": [
            {
                "product": ask.product.title,
                "note": ask.note,
                "asked_at": ask.created_at.isoformat(),
                "closes_at": ask.closes_at.isoformat(),
                "closed": ask.closed_reason,
                "yes": ask.yes_count,
                "no": ask.no_count,
                "answers": [
                    {
                        "friend": answer.friend.public_name,
                        "answer": "yes" if answer.yes else "no",
                        "comment": answer.comment,
                    }
                    for answer in ask.answers.all()
                ],
            }
            for ask in asks
        ],
        "answered": [
            {
                "asked_by": answer.ask.asker.public_name,
                "product": answer.ask.product.title,
                "answer": "yes" if answer.yes else "no",
                "comment": answer.comment,
                "answered_at": answer.updated_at.isoformat(),
            }
            for answer in answers
        ],
    }


def asks_erase(user) -> None:
    """Delete USER's questions (with their answers), and USER's answers to friends'
    questions (each leaving its tally) and the questions put to them."""
    from social.likes.ask_services import answers_of_friend_delete

    Ask.objects.filter(asker_id=user.pk).delete()
    answers_of_friend_delete(friend_id=user.pk)
    AskRecipient.objects.filter(user_id=user.pk).delete()


def likes_export(user) -> dict:
    """Return USER's likes, oldest first."""
    likes = (
        Like.objects.filter(user_id=user.pk).select_related("product").order_by("created_at", "id")
    )
    return {
        "likes": [
            {
                "product": like.product.title,
                "url": like.product.get_absolute_url(),
                "at": like.created_at.isoformat(),
            }
            for like in likes
        ]
    }


def likes_erase(user) -> None:
    """Delete USER's likes, each taking one from its product's count."""
    from social.likes.services import likes_of_user_erase

    likes_of_user_erase(user=user)
