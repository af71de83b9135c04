from enum import StrEnum


class QuestionError(StrEnum):
    PRODUCT_NOT_FOUND = "product_not_found"
    QUESTION_NOT_FOUND = "question_not_found"
    ANSWER_NOT_FOUND = "answer_not_found"
    TEXT_REQUIRED = "text_required"
    TOO_LONG = "too_long"
    MAY_NOT_ANSWER = "may_not_answer"
    OWN_ANSWER = "own_answer"
    INVALID_VOTE = "invalid_vote"
    RATE_LIMITED = "rate_limited"
