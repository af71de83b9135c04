"""A person's "download my data" and "delete my account": every write of both.

Download: personal_data_export_request records a PersonalDataExport (pending) and, in the
same transaction, the outbox row that has a Celery task build it (shop.accounts.tasks), so the
request is never lost to a broker that is down. The task writes a ZIP of one JSON file per
registered part (shop.core.personal_data) to private storage, offers it for EXPORT_VALID_FOR,
emails the link and sends accounts.events.personal_data_export_ready. Beat deletes the files
of expired exports.

Delete: account_delete checks the password, runs every registered part's eraser in one
transaction and emails the former address that the account is gone.
"""

import contextlib
import io
import json
import logging
import os
import zipfile
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from shop.accounts import events, selectors
from shop.accounts.errors import AccountError
from shop.accounts.models import PersonalDataExport, User, private_storage
from shop.core.errors import DomainError, RateLimitError
from shop.core.outbox import outbox_record
from shop.core.personal_data import personal_data_erase, personal_data_export, personal_data_parts
from shop.core.tasks import email_message_send

logger = logging.getLogger(__name__)

EXPORT_VALID_FOR = timedelta(days=7)
EXPORTS_PER_DAY = 3
RATE_WINDOW = timedelta(days=1)

# Outbox topics (their tasks are named in shop.accounts.receivers).
EXPORT_BUILD_TOPIC = "accounts.personal_data_export_build"
EXPORT_EMAIL_TOPIC = "email.accounts.personal_data_export_ready"
DELETED_EMAIL_TOPIC = "email.accounts.account_deleted"

PENDING = PersonalDataExport.Status.PENDING
READY = PersonalDataExport.Status.READY


def export_download_url(*, export: PersonalDataExport) -> str:
    """Return the absolute address of EXPORT's download (it asks the owner to log in)."""
    path = reverse("personal_data_download", kwargs={"token": export.token})
    return settings.SITE_URL.rstrip("/") + path


def export_file_delete(*, name: str) -> None:
    """Delete an export's file and the random folder it was alone in."""
    storage = private_storage()
    storage.delete(name)
    # Not empty, already gone, or a storage without folders (no path): nothing to tidy.
    with contextlib.suppress(OSError, NotImplementedError):
        os.rmdir(os.path.dirname(storage.path(name)))


# --- download my data -------------------------------------------------------------------------


@transaction.atomic
def personal_data_export_request(*, user: User) -> PersonalDataExport:
    """Ask for a ZIP of everything the shop holds about USER; a Celery task builds it.

    Raises DomainError EXPORT_PENDING while an earlier one is being prepared, and
    RateLimitError EXPORT_RATE_LIMITED past EXPORTS_PER_DAY requests in a day.
    """
    # The person's row lock makes two requests at the same moment take turns: one is
    # recorded, the other is told it is pending (the constraint would refuse it anyway).
    User.objects.select_for_update().filter(pk=user.pk).first()
    mine = PersonalDataExport.objects.filter(user_id=user.pk)
    if mine.filter(status=PENDING).exists():
        raise DomainError(
            "Your data is already being prepared: we email you as soon as it is ready.",
            code=AccountError.EXPORT_PENDING,
        )
    _daily_limit_check(mine)
    try:
        with transaction.atomic():
            export = PersonalDataExport.objects.create(user=user)
    except IntegrityError:
        raise DomainError(
            "Your data is already being prepared: we email you as soon as it is ready.",
            code=AccountError.EXPORT_PENDING,
        ) from None
    outbox_record(topic=EXPORT_BUILD_TOPIC, payload={"export_id": export.pk})
    return export


def _daily_limit_check(mine) -> None:
    now = timezone.now()
    times = list(
        mine.filter(created_at__gt=now - RATE_WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:EXPORTS_PER_DAY]
    )
    if len(times) < EXPORTS_PER_DAY:
        return
    next_at = times[-1] + RATE_WINDOW
    raise RateLimitError(
        f"You can ask for your data {EXPORTS_PER_DAY} times a day, and you have. "
        f"You can ask again after {timezone.localtime(next_at):%d %b %Y, %H:%M}.",
        code=AccountError.EXPORT_RATE_LIMITED,
        retry_after=max((next_at - now).total_seconds(), 1.0),
    )


def _zip_build(*, user: User, now: datetime) -> bytes:
    """Return a ZIP of one JSON file per registered part, and a README naming them."""
    data = personal_data_export(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        readme = render_to_string(
            "accounts/data/export_readme.txt",
            {
                "user": user,
                "parts": [part.name for part in personal_data_parts()],
                "made_at": now,
                "store_name": settings.STORE_NAME,
            },
        )
        archive.writestr("README.txt", readme)
        for name, part in data.items():
            # default=str: a date a part forgot to format is written, not lost.
            text = json.dumps(part, indent=2, ensure_ascii=False, default=str)
            archive.writestr(f"{name}.json", text)
    return buffer.getvalue()


def personal_data_export_build(*, export_id: int, now: datetime | None = None) -> bool:
    """Build the ZIP of a pending export, offer it until EXPORT_VALID_FOR from NOW, and have
    the email and the personal_data_export_ready event sent; return whether it was built now.

    Safe to run twice: the export is locked and must still be pending, so the second run
    finds it ready and does nothing. A part that fails marks the export failed (the person
    may ask again); it is logged with its traceback.
    """
    now = now or timezone.now()
    with transaction.atomic():
        export = (
            PersonalDataExport.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=export_id, status=PENDING)
            .first()
        )
        if export is None:
            return False
        try:
            with transaction.atomic():  # a failing part's queries are rolled back alone
                content = _zip_build(user=export.user, now=now)
        except Exception:
            logger.exception("Data export %s of user %s failed", export.pk, export.user_id)
            export.status = PersonalDataExport.Status.FAILED
            export.save(update_fields=["status"])
            return False
        filename = f"{settings.STORE_NAME.lower()}-data-{now:%Y-%m-%d}.zip"
        export.file.save(filename, ContentFile(content), save=False)
        export.status = READY
        export.size = len(content)
        export.ready_at = now
        export.expires_at = now + EXPORT_VALID_FOR
        try:
            export.save(update_fields=["file", "status", "size", "ready_at", "expires_at"])
        except BaseException:
            export_file_delete(name=export.file.name)
            raise
        outbox_record(topic=EXPORT_EMAIL_TOPIC, payload={"export_id": export.pk})
        transaction.on_commit(
            partial(
                events.personal_data_export_ready.send_robust,
                sender=PersonalDataExport,
                user_id=export.user_id,
                export_id=export.pk,
                url=export_download_url(export=export),
            )
        )
    return True


def personal_data_export_email_send(*, export_id: int) -> bool:
    """Email the owner of a ready export its link, once; return whether it was sent now."""
    with transaction.atomic():
        export = (
            PersonalDataExport.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=export_id, status=READY, emailed_at__isnull=True, user__is_active=True)
            .first()
        )
        if export is None:
            return False
        context = {
            "user": export.user,
            "url": export_download_url(export=export),
            "expires_at": export.expires_at,
            "store_name": settings.STORE_NAME,
        }
        email_message_send(
            subject="Your data is ready",
            body=render_to_string("accounts/email/data_export_ready.txt", context),
            html_body=render_to_string("accounts/email/data_export_ready.html", context),
            to=[export.user.email],
        )
        export.emailed_at = timezone.now()
        export.save(update_fields=["emailed_at"])
    return True


def personal_data_exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry and mark them expired; return how many.

    Each export is marked in an UPDATE conditional on it still being ready, and its file is
    deleted after that commits, so two runs at once delete each file once.
    """
    now = now or timezone.now()
    expired = 0
    due = PersonalDataExport.objects.filter(status=READY, expires_at__lte=now)
    for export in list(due.only("pk", "file")[:1000]):
        with transaction.atomic():
            taken = PersonalDataExport.objects.filter(pk=export.pk, status=READY).update(
                status=PersonalDataExport.Status.EXPIRED, file=""
            )
            if taken and export.file.name:
                transaction.on_commit(
                    partial(export_file_delete, name=export.file.name), robust=True
                )
        expired += taken
    return expired


# --- delete my account ------------------------------------------------------------------------


def account_delete(*, user: User, password: str) -> None:
    """Erase USER's account: every registered part's eraser in one transaction; then email
    the address the account had that it is deleted.

    Raises DomainError STAFF_ACCOUNT for staff, operators and merchant staff (an operator
    removes those, so a shop is never left without its people by a click), and
    WRONG_PASSWORD (field "password") when PASSWORD is not the account's.
    """
    if selectors.account_is_staff(user=user):
        raise DomainError(
            "Staff and merchant accounts cannot be deleted here: ask an administrator to "
            "remove yours.",
            code=AccountError.STAFF_ACCOUNT,
        )
    if not password or not user.check_password(password):
        raise DomainError("Wrong password.", code=AccountError.WRONG_PASSWORD, field="password")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        email, name = user.email, user.public_name
        personal_data_erase(user=user)
        if email:
            outbox_record(topic=DELETED_EMAIL_TOPIC, payload={"email": email, "name": name})


def account_deleted_email_send(*, email: str, name: str) -> None:
    """Tell the former address of a deleted account that it is gone."""
    context = {"name": name, "store_name": settings.STORE_NAME}
    email_message_send(
        subject="Your account is deleted",
        body=render_to_string("accounts/email/account_deleted.txt", context),
        html_body=render_to_string("accounts/email/account_deleted.html", context),
        to=[email],
    )
