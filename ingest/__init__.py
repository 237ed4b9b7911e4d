"""Getting data in by hand: the OPD/account registry and manual back-fill of history."""
