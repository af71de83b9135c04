"""The API of questions and answers under /api/v1/ (included by config/api_urls.py)."""

from django.urls import path

from reviews.questions import api

urlpatterns = [
    path("questions", api.QuestionsApi.as_view(), name="api_questions"),
    path(
        "questions/<int:question_id>/answers",
        api.QuestionAnswersApi.as_view(),
        name="api_question_answers",
    ),
    path("answers/<int:answer_id>/votes", api.AnswerVotesApi.as_view(), name="api_answer_votes"),
]
