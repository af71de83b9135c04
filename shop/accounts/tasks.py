"""Celery tasks of accounts: thin, take ids, safe to run twice."""

from celery import shared_task

from shop.accounts import data_services, services

# A refused SMTP connection is worth retrying; a template error is a bug and is not.
_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task
def personal_data_export_build(*, export_id: int) -> bool:
    """Build a person's data ZIP (enqueued through the outbox, so it may run twice)."""
    return data_services.personal_data_export_build(export_id=export_id)


@shared_task(**_RETRY)
def personal_data_export_ready_notify(*, export_id: int) -> bool:
    """Email the link of a ready data export, once."""
    return data_services.personal_data_export_email_send(export_id=export_id)


@shared_task(**_RETRY)
def account_deleted_notify(*, email: str, name: str) -> None:
    """Tell the former address of a deleted account that it is gone."""
    data_services.account_deleted_email_send(email=email, name=name)


@shared_task
def personal_data_exports_expire() -> int:
    """Beat, hourly: delete the files of data exports past their 7 days."""
    return data_services.personal_data_exports_expire()


@shared_task
def sessions_expired_delete() -> int:
    """Beat, daily: delete the sessions past their expiry."""
    return services.sessions_expired_delete()
