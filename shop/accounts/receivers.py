"""What accounts hooks into, connected from AccountsConfig.ready(): the outbox (building a data
export, its email, the account-deleted email) and the personal-data registry."""

from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
from shop.core.personal_data import personal_data_register


def connect() -> None:
    from shop.accounts import data_services, tasks
    from shop.accounts.personal_data import accounts_erase, accounts_export

    outbox_deliverer_register(
        prefix="accounts.",
        deliverer=TaskDeliverer(
            tasks={data_services.EXPORT_BUILD_TOPIC: tasks.personal_data_export_build}
        ),
    )
    outbox_deliverer_register(
        prefix="email.accounts.",
        deliverer=TaskDeliverer(
            tasks={
                data_services.EXPORT_EMAIL_TOPIC: tasks.personal_data_export_ready_notify,
                data_services.DELETED_EMAIL_TOPIC: tasks.account_deleted_notify,
            }
        ),
    )
    # Last: the other parts may still look the person up by their email or name.
    personal_data_register(
        name="accounts", exporter=accounts_export, eraser=accounts_erase, erase_order=1000
    )
