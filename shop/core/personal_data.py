"""One registry of each app's part of "download my data" and "delete my account".

Every app that stores personal data registers, in its AppConfig.ready(), a name, an exporter
(user -> a dict of JSON-able values: ids, text, ISO dates) and an eraser (user -> None, which
removes or anonymises that app's data of the person):

    personal_data_register(name="graph", exporter=graph_export, eraser=graph_erase)

The flows that use it (a ZIP of one JSON file per part; erasure after the password is
re-entered) call personal_data_export and personal_data_erase and know no app by name, so a
later app plugs in without touching them. It lives in shop/core because the shop's own apps
(accounts, orders) register too, and the shop never imports the social side.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Exporter = Callable[[Any], dict]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class PersonalDataPart:
    name: str
    exporter: Exporter
    eraser: Eraser
    # Erasers run by this number, then by name. The account's own part runs last, so that
    # the others may still find what is the person's by their email or name.
    erase_order: int = 100


_parts: dict[str, PersonalDataPart] = {}


def personal_data_register(
    *, name: str, exporter: Exporter, eraser: Eraser, erase_order: int = 100
) -> None:
    """Register an app's part under NAME (the file name of its part of an export).

    Registering the same name again replaces the part (a reloaded app).
    """
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"A part's name is letters, digits and underscores, not {name!r}")
    _parts[name] = PersonalDataPart(
        name=name, exporter=exporter, eraser=eraser, erase_order=erase_order
    )


def personal_data_parts() -> list[PersonalDataPart]:
    """Return the registered parts, by name."""
    return [_parts[name] for name in sorted(_parts)]


def personal_data_export(*, user) -> dict[str, dict]:
    """Return every registered part's data of USER, keyed by the part's name."""
    return {part.name: part.exporter(user) for part in personal_data_parts()}


def personal_data_erase(*, user) -> None:
    """Run every registered part's eraser on USER (the caller holds the transaction), by
    erase_order."""
    for part in sorted(personal_data_parts(), key=lambda part: part.erase_order):
        part.eraser(user)
