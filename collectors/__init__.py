"""One module per platform behind one small contract (arrives with issue #3)."""
