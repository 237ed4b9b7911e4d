"""The `recap` command (filled in by issue #16)."""
