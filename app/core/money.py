"""Money is integer fen everywhere inside; yuan only at the edges (JSON, screens, paper)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_YUAN = 100


class MoneyError(ValueError):
    pass


def yuan_to_fen(value: Decimal | int | str) -> int:
    """Convert yuan to fen, refusing fractions of a fen rather than rounding them away."""
    try:
        d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise MoneyError(f"not an amount: {value!r}") from exc
    if not d.is_finite():
        raise MoneyError(f"not an amount: {value!r}")
    if d.adjusted() > 15:  # before int(): 1e999990 would become a million-digit number
        raise MoneyError("amount too large")
    try:
        fen = d * FEN_PER_YUAN
    except ArithmeticError:  # e.g. 1e999999 overflows the decimal context
        raise MoneyError(f"not an amount: {value!r}") from None
    if fen != fen.to_integral_value():
        raise MoneyError("at most 2 decimal places")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def fen_to_json(fen: int) -> float:
    """Yuan as a JSON number (10.0, 58.5): exact for any amount of fen below 2**50."""
    return fen / FEN_PER_YUAN


def format_yuan(fen: int) -> str:
    """'58.00' — how amounts read on screen and paper."""
    return f"{fen_to_yuan(fen):,.2f}".replace(",", "")


def percent_of(fen: int, rate: Decimal) -> int:
    """A rate applied to an amount, rounded half up to the fen."""
    return int((Decimal(fen) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
