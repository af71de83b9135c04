from django.urls import path

from reviews.questions import views

urlpatterns = [
    path("products/<slug:slug>/questions/", views.product_questions, name="product-questions"),
    path("questions/<int:question_id>/answers/", views.question_answer, name="question-answer"),
    path("answers/<int:answer_id>/vote/", views.answer_vote, name="answer-vote"),
]
