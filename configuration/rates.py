"""The rate grammar ("120/min", "10/5s"): one reading for settings, partner keys and limits."""

from __future__ import annotations

from configuration.settings import PREFIX, ConfigError

RATE_PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


def parse_rate(rate: str) -> tuple[int, int]:
    """The one reading of a rate: ``"120/min"`` -> (120, 60); ``"10/5s"`` -> (10, 5).

    Settings, partner keys and the rate limiter all use it, so a rate that is accepted
    when stored can be enforced on every request ("10/0s" is refused here, not per request).
    """
    try:
        count_text, period_text = rate.strip().split("/", 1)
        count = int(count_text)
        period_text = period_text.strip().lower()
        digits = period_text.rstrip("abcdefghijklmnopqrstuvwxyz").strip()
        unit = period_text[len(period_text.rstrip("abcdefghijklmnopqrstuvwxyz")) :]
        seconds = RATE_PERIODS[unit] * (int(digits) if digits else 1)
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"rate {rate!r} must look like 120/min") from exc
    if count < 1 or seconds < 1:
        raise ConfigError(f"rate {rate!r} must allow at least one request per period")
    return count, seconds


def check_rate(name: str, value: str) -> None:
    """A rate is empty (no limit) or ``N/period`` such as ``120/min`` or ``10/5s``."""
    if value:
        try:
            parse_rate(value)
        except ConfigError as exc:
            raise ConfigError(
                f"{PREFIX}{name.upper()}={value!r}: expected a rate such as 120/min"
            ) from exc
