"""django-allauth adapter: account emails leave through Celery, after the commit."""

from functools import partial

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils.html import strip_tags

from shop.core import tasks
from shop.core.enqueue import task_enqueue

# Set on a request by shop.accounts.views.verification_email_resend: allauth's "confirmation
# sent" message then says the link is a new one (it cannot know: it sends at sign-up and log-in).
RESEND_FLAG = "agora_verification_resend"


class AccountAdapter(DefaultAccountAdapter):
    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ) -> None:
        if message_template == "account/messages/email_confirmation_sent.txt":
            message_context = {
                **(message_context or {}),
                "resend": getattr(request, RESEND_FLAG, False),
            }
        super().add_message(
            request,
            level,
            message_template=message_template,
            message_context=message_context,
            extra_tags=extra_tags,
            message=message,
        )

    def format_email_subject(self, subject: str) -> str:
        """Prefix subjects with the store's name rather than the Sites framework's domain."""
        return f"[{settings.STORE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the message as allauth does, then hand it to Celery once the data commits
        (task_enqueue: a broker that is down loses the email but never fails the request).

        A verification link must never point at a signup that was rolled back, and a slow or
        unreachable mail server must not hold up the request.
        """
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            # Messages name the store even when sent without a request (no context processors).
            "STORE_NAME": settings.STORE_NAME,
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        body, html_body = message.body, None
        if isinstance(message, EmailMultiAlternatives):
            html_body = next(
                (content for content, mimetype in message.alternatives if mimetype == "text/html"),
                None,
            )
        elif message.content_subtype == "html":
            body, html_body = strip_tags(message.body), message.body
        transaction.on_commit(
            partial(
                task_enqueue,
                tasks.email_message_send,
                subject=message.subject,
                body=body,
                to=list(message.to),
                from_email=message.from_email,
                html_body=html_body,
            )
        )
