"""The command line, one module per group of commands; `cli.py` is the entry point."""
