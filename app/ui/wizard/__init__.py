"""The service wizard: one engine for every service, driven by the catalog."""
