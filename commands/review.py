"""The `review` command (filled in by issue #16)."""
