"""The Qt-free core: domain types, catalog, validators, rules engine and the order service."""
