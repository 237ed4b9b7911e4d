"""Use cases shared by the CLI, the pages and the reports: read from db, score with metrics."""
