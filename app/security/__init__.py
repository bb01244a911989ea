"""Qt-free, database-free security primitives for the counter application.

* :mod:`.keys` -- obtain the personal-data master key (key file or secure OS keyring, never
  plaintext): :mod:`.key_file`, :mod:`.keyring_store`; :mod:`.master_key` derives independent
  sub-keys from it.
* :mod:`.cipher` -- AES-GCM field encryption and HMAC blind-index lookup hashes.
* :mod:`.masking` -- display masking of ID numbers, names, phones, addresses.
* :mod:`.passwords` -- argon2id staff passwords and the password policy.
* :mod:`.audit_chain` -- tamper-evident hash chain for audit events.
* :mod:`.roles` -- roles, permissions and the configurable role table.

The database layer wires these into models; nothing here imports SQLAlchemy or Qt.
"""

from app.security.audit_chain import (
    GENESIS_HASH,
    VerifyResult,
    canonical_event_bytes,
    chain_hash,
    verify_chain,
)
from app.security.cipher import PersonalDataCipher, normalize_lookup_value
from app.security.errors import (
    DecryptionError,
    KeyAlreadyExists,
    KeyUnavailable,
    SecurityError,
    WeakPassphrase,
)
from app.security.key_file import (
    MIN_PASSPHRASE_LENGTH,
    check_passphrase,
    create_key_file,
    open_key_file,
)
from app.security.keyring_store import (
    keyring_backend_name,
    secure_keyring_available,
    store_in_keyring,
)
from app.security.keys import load_master_key
from app.security.masking import mask_address, mask_id, mask_mobile, mask_name
from app.security.master_key import (
    ENV_KEY_FILE,
    ENV_KEY_PASSPHRASE,
    KEYRING_ENTRY,
    KEYRING_SERVICE,
    SubKeys,
    derive_subkeys,
    generate_key,
    key_fingerprint,
)
from app.security.passwords import (
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.security.roles import (
    DEFAULT_ROLE_PERMISSIONS,
    Permission,
    PermissionDenied,
    Role,
    has_permission,
    require_permission,
    role_permissions,
    roles_with_permission,
)

__all__ = [
    "DEFAULT_ROLE_PERMISSIONS",
    "ENV_KEY_FILE",
    "ENV_KEY_PASSPHRASE",
    "GENESIS_HASH",
    "KEYRING_ENTRY",
    "KEYRING_SERVICE",
    "MIN_PASSPHRASE_LENGTH",
    "DecryptionError",
    "KeyAlreadyExists",
    "KeyUnavailable",
    "Permission",
    "PermissionDenied",
    "PersonalDataCipher",
    "Role",
    "SecurityError",
    "SubKeys",
    "VerifyResult",
    "WeakPassphrase",
    "canonical_event_bytes",
    "chain_hash",
    "check_passphrase",
    "check_password_policy",
    "create_key_file",
    "derive_subkeys",
    "generate_key",
    "has_permission",
    "hash_password",
    "key_fingerprint",
    "keyring_backend_name",
    "load_master_key",
    "mask_address",
    "mask_id",
    "mask_mobile",
    "mask_name",
    "needs_rehash",
    "normalize_lookup_value",
    "open_key_file",
    "require_permission",
    "role_permissions",
    "roles_with_permission",
    "secure_keyring_available",
    "store_in_keyring",
    "verify_chain",
    "verify_password",
]
