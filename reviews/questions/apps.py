from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    """Questions shoppers ask about products, answered by the merchant and by buyers."""

    name = "reviews.questions"
    label = "questions"
    verbose_name = "Questions and answers"

    def ready(self) -> None:
        from reviews.questions import services, tasks
        from reviews.questions.kinds import question_kinds_register
        from reviews.questions.personal_data import questions_erase, questions_export
        from reviews.questions.sections import product_questions_section
        from shop.catalog.product_sections import product_section_register
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.core.personal_data import personal_data_register

        question_kinds_register()
        product_section_register(product_questions_section)
        outbox_deliverer_register(
            prefix=services.STAFF_EMAIL_TOPIC,
            deliverer=TaskDeliverer(
                tasks={services.STAFF_EMAIL_TOPIC: tasks.question_asked_staff_email}
            ),
        )
        personal_data_register(name="questions", exporter=questions_export, eraser=questions_erase)
