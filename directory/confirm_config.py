"""What the confirmation cycle needs to know, handed in by the caller (API, worker, CLI).

Built once per configuration from :class:`configuration.settings.Settings`, like
``directory.inquiry_config`` (whose outbox settings, cipher and public address it shares).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from configuration.settings import Settings
from directory.inquiry_config import InquiryConfig, inquiry_config


@dataclass(frozen=True)
class ConfirmConfig:
    mail: InquiryConfig  # cipher, sender, public address: the outbox's
    months: int = 6
    reminder_days: int = 14
    link_days: int = 60
    batch: int = 500


@lru_cache(maxsize=8)
def confirm_config(settings: Settings) -> ConfirmConfig:
    return ConfirmConfig(
        mail=inquiry_config(settings),
        months=settings.confirm_months,
        reminder_days=settings.confirm_reminder_days,
        link_days=settings.confirm_link_days,
        batch=settings.confirm_batch,
    )
