"""Typed failures of the use cases; the UI and the CLI turn each into one sentence."""

from __future__ import annotations

from scr_desk.domain.errors import ScrDeskError

__all__ = ["ChangedSince", "InUseError", "NotFoundError", "ServiceError", "StaleEditError", "ValidationError"]


class ServiceError(ScrDeskError):
    """A use case refused; nothing was written."""


class NotFoundError(ServiceError):
    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"There is no {entity} {key} (it may have been deleted).")
        self.entity = entity
        self.key = key


class ValidationError(ServiceError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InUseError(ServiceError):
    """The record is still referred to and cannot be removed."""


class StaleEditError(ServiceError):
    """The item changed (another person, another window, an import) after the version the edit was
    made from was shown: the edit was not saved, so it cannot overwrite what it never saw."""


class ChangedSince(ServiceError):
    """An undo or a redo found the value it would replace changed since (by an import, another
    edit, another person): the later change wins, and nothing is changed."""
