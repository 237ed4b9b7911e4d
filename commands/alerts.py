"""The `alerts` command (filled in by issue #16)."""
