"""Personal data at rest: encrypted ID numbers and addresses, keyed lookup hashes, masks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.security import PersonalDataCipher, load_master_key, mask_id

# One lookup namespace for every personal document number: a number is the person.
ID_KIND = "id"
UNIT_KIND = "unit"


@dataclass(frozen=True)
class Protected:
    enc: bytes
    lookup: str
    masked: str


@dataclass(frozen=True)
class Concealed:
    enc: bytes
    masked: str


class PersonalData:
    def __init__(self, cipher: PersonalDataCipher) -> None:
        self.cipher = cipher

    def protect_id(self, number: str, column: str = "customer.id") -> Protected:
        clean = number.strip().upper()
        return Protected(self.cipher.encrypt(clean, aad=column), self.lookup_id(clean),
                         mask_id(clean))

    def conceal_id(self, number: str, column: str) -> Concealed:
        """`protect_id` without the lookup hash, for a column never searched (an order's
        presenter): the same `enc` and `masked`, one HMAC fewer per order."""
        clean = number.strip().upper()
        return Concealed(self.cipher.encrypt(clean, aad=column), mask_id(clean))

    def protect_unit(self, number: str) -> Protected:
        clean = number.strip().upper()
        return Protected(self.cipher.encrypt(clean, aad="customer.reg"),
                         self.cipher.lookup_hash(UNIT_KIND, clean), mask_id(clean))

    def lookup_id(self, number: str) -> str:
        return self.cipher.lookup_hash(ID_KIND, number)

    def lookup_unit(self, number: str) -> str:
        return self.cipher.lookup_hash(UNIT_KIND, number)

    def encrypt(self, text: str, column: str) -> bytes:
        return self.cipher.encrypt(text, aad=column)

    def decrypt(self, blob: bytes, column: str) -> str:
        return self.cipher.decrypt(blob, aad=column)

    def encrypt_bytes(self, data: bytes, column: str) -> bytes:
        return self.cipher.encrypt_bytes(data, aad=column)


@lru_cache(maxsize=1)
def default_personal_data() -> PersonalData:
    """The process's key: from COUNTER_KEY_FILE/COUNTER_KEY_PASSPHRASE or the OS keyring.

    Raises `KeyUnavailable` with a plain message when neither is there; never falls back to
    storing personal data in clear.
    """
    return PersonalData(PersonalDataCipher(load_master_key()))
