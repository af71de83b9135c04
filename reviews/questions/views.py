"""The pages of questions and answers: a product's questions (loaded into its page with htmx,
and a page of its own without JavaScript), asking, answering and voting (plain forms that
redirect back to the questions; with htmx the section swaps in place).
"""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from reviews.questions import selectors, services
from reviews.questions.forms import AnswerForm, QuestionForm, VoteForm
from shop.core.errors import DomainError
from shop.core.pagination import page_number_parse


def _viewer(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


def _page(
    request: HttpRequest,
    product,
    *,
    form=None,
    answer_form=None,
    answer_to=None,
    problem: str = "",
    status: int = 200,
):
    viewer = _viewer(request)
    q = selectors.search_clean(request.GET.get("q"))
    questions = selectors.question_page(
        product=product,
        viewer=viewer,
        q=q,
        number=page_number_parse(request.GET.get("page")),
    )
    page = questions.page
    context = {
        "product": product,
        "questions": questions,
        "form": form or QuestionForm(),
        # The answer form that came back with an error, and the question it answers.
        "answer_form": answer_form,
        "answer_to": answer_to,
        "problem": problem,
        "url": selectors.questions_url(product),
        "page_range": (
            list(page.paginator.get_elided_page_range(page.number, on_each_side=1))
            if page.paginator.num_pages > 1
            else []
        ),
        "page_query": urlencode({"q": q}) if q else "",
        "asked": request.GET.get("asked") == "1",
    }
    # htmx (the product page's section, a search, a page link): the section alone.
    template = "questions/section.html" if request.htmx else "questions/page.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def product_questions(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the product's questions (?q= searches them, ?page=). POST: ask one."""
    product = selectors.question_product_get(slug=slug)
    if request.method != "POST":
        return _page(request, product)
    url = selectors.questions_url(product)
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question = services.question_ask(
                author=request.user, product=product, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error("text" if error.field == "text" else None, error)
        else:
            return redirect(f"{url}?asked=1#question-{question.pk}")
    return _page(request, product, form=form, status=400)


@require_POST
def question_answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.question_get(question_id=question_id)
    url = f"{selectors.questions_url(question.product)}#question-{question.pk}"
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_create(
                question=question, author=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error("text" if error.field == "text" else None, error)
        else:
            return redirect(url)
    status = 403 if form.has_error("__all__", "may_not_answer") else 400
    return _page(
        request,
        question.product,
        answer_form=form,
        answer_to=question.pk,
        problem=" ".join(form.non_field_errors()),
        status=status,
    )


@require_POST
def answer_vote(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.answer_get(answer_id=answer_id)
    url = f"{selectors.questions_url(answer.question.product)}#answer-{answer.pk}"
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Say helpful or not.", status=400)
    try:
        services.answer_vote(
            answer=answer, voter=request.user, helpful=form.cleaned_data["helpful"]
        )
    except DomainError as error:
        return HttpResponse(error.messages[0], status=400)
    return redirect(url)
