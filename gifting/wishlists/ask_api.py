"""/api/v1/wishlists/<id>/ask (POST: the owner asks their friends which gift to pick),
/api/v1/wishlist-items/<id>/votes (GET the votes as you may see them; POST your 👍/👎;
DELETE takes it back), /api/v1/wishlist-items/<id>/comments (GET; POST a comment) and
/api/v1/wishlist-items/<id>/comments/<comment_id> (DELETE: its author or the list's owner).
Thin: parse, call one service or selector, answer.

A wish is found by whoever may see its list (`?token=`: its link's token), else 404. Votes
and comments carry no claim field. Business rules answer 400 naming the field (`vote`,
`text`) or `non_field_errors` (`not_asked`, `own_list`, `not_yours`).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from gifting.wishlists import ask_selectors, ask_services, selectors
from gifting.wishlists.api import NOT_FOUND, TOKEN, WISHLIST_ID, _owned, _visible
from shop.core.api import ErrorResponseSerializer

ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH)
COMMENT_ID = OpenApiParameter("comment_id", OpenApiTypes.INT, OpenApiParameter.PATH)
NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}
INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid or a rule refused it (`invalid_vote`, `invalid_comment`, "
    "`not_asked`, `own_list`, `not_found`, `not_yours`, `not_shared`), keyed by the field's "
    "name.",
)


# --- output -----------------------------------------------------------------------------------


class WishlistAskOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    asked_at = serializers.DateTimeField()
    first = serializers.BooleanField(help_text="False when the friends had been asked before.")


class ItemVoteOutputSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='The voter\'s name, "Someone", or "You".')
    vote = serializers.SerializerMethodField()
    mine = serializers.BooleanField()

    def get_vote(self, obj) -> str:
        return "up" if obj.up else "down"


class ItemVotesOutputSerializer(serializers.Serializer):
    up = serializers.IntegerField()
    down = serializers.IntegerField()
    mine = serializers.CharField(
        source="my_vote", allow_null=True, help_text="Your vote: up, down, or null."
    )
    votes = ItemVoteOutputSerializer(many=True)


class ItemCommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="comment_id")
    name = serializers.CharField(help_text='The author\'s name, "Someone", or "You".')
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    mine = serializers.BooleanField()
    may_delete = serializers.BooleanField()


# --- input ------------------------------------------------------------------------------------


class ItemVoteInputSerializer(serializers.Serializer):
    vote = serializers.ChoiceField(choices=[("up", "👍"), ("down", "👎")])


class ItemCommentInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=ask_services.COMMENT_MAX_LENGTH)


# --- views ------------------------------------------------------------------------------------


def _item(request, item_id: int):
    item = selectors.wishlist_item_get(item_id=item_id)
    wishlist = _visible(request, item.wishlist_id)  # 404 unless the viewer may see the list
    return item, wishlist


def _answers(request, *, item, wishlist) -> ask_selectors.ItemAnswers:
    found = ask_selectors.item_answers_for(
        viewer=request.user, wishlist=wishlist, item_ids=[item.pk]
    )
    return found.get(item.pk) or ask_selectors.ItemAnswers(item_id=item.pk)


@extend_schema(tags=["gifting"], parameters=[WISHLIST_ID])
class WishlistAskApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="wishlists_ask",
        summary="Ask your friends which gift to pick (each friend who sees it is told once)",
        request=None,
        responses={
            200: WishlistAskOutputSerializer,
            400: INVALID,
            404: NOT_FOUND,
            **AUTH_RESPONSES,
        },
    )
    def post(self, request, wishlist_id: int):
        wishlist = _owned(request, wishlist_id)
        first = ask_services.wishlist_ask(wishlist=wishlist)
        return Response(
            WishlistAskOutputSerializer(
                {"id": wishlist.pk, "asked_at": wishlist.asked_at, "first": first}
            ).data
        )


@extend_schema(tags=["gifting"], parameters=[ITEM_ID, TOKEN])
class WishlistItemVotesApi(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="wishlist_items_votes",
        summary="The votes on a wish, as you may see them",
        responses={200: ItemVotesOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, item_id: int):
        item, wishlist = _item(request, item_id)
        return Response(
            ItemVotesOutputSerializer(_answers(request, item=item, wishlist=wishlist)).data
        )

    @extend_schema(
        operation_id="wishlist_items_vote",
        summary="Vote 👍 (up) or 👎 (down) on a friend's wish, or change your vote",
        request=ItemVoteInputSerializer,
        responses={200: ItemVotesOutputSerializer, 400: INVALID, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def post(self, request, item_id: int):
        item, wishlist = _item(request, item_id)
        data = ItemVoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ask_services.item_vote_set(
            item=item,
            voter=request.user,
            up=data.validated_data["vote"] == "up",
            link_opened=bool(request.query_params.get("token")),
        )
        return Response(
            ItemVotesOutputSerializer(_answers(request, item=item, wishlist=wishlist)).data
        )

    @extend_schema(
        operation_id="wishlist_items_unvote",
        summary="Take back your vote on a wish",
        responses={200: ItemVotesOutputSerializer, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def delete(self, request, item_id: int):
        item, wishlist = _item(request, item_id)
        ask_services.item_vote_remove(item=item, voter=request.user)
        return Response(
            ItemVotesOutputSerializer(_answers(request, item=item, wishlist=wishlist)).data
        )


@extend_schema(tags=["gifting"], parameters=[ITEM_ID, TOKEN])
class WishlistItemCommentsApi(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="wishlist_items_comments",
        summary="The comments on a wish, oldest first, as you may see them",
        responses={200: ItemCommentOutputSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, item_id: int):
        item, wishlist = _item(request, item_id)
        answers = _answers(request, item=item, wishlist=wishlist)
        return Response(ItemCommentOutputSerializer(answers.comments, many=True).data)

    @extend_schema(
        operation_id="wishlist_items_comment",
        summary="Comment on a friend's wish",
        request=ItemCommentInputSerializer,
        responses={
            201: ItemCommentOutputSerializer,
            400: INVALID,
            404: NOT_FOUND,
            **AUTH_RESPONSES,
        },
    )
    def post(self, request, item_id: int):
        item, wishlist = _item(request, item_id)
        data = ItemCommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = ask_services.item_comment_add(
            item=item,
            author=request.user,
            text=data.validated_data["text"],
            link_opened=bool(request.query_params.get("token")),
        )
        shown = next(
            c
            for c in _answers(request, item=item, wishlist=wishlist).comments
            if c.comment_id == comment.pk
        )
        return Response(ItemCommentOutputSerializer(shown).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["gifting"], parameters=[ITEM_ID, COMMENT_ID, TOKEN])
class WishlistItemCommentApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="wishlist_items_comment_delete",
        summary="Delete a comment (yours, or any on your list)",
        responses={204: None, 400: INVALID, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def delete(self, request, item_id: int, comment_id: int):
        item, _ = _item(request, item_id)
        comment = ask_selectors.item_comment_get(comment_id=comment_id, item_id=item.pk)
        ask_services.item_comment_delete(comment=comment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
