"""Harness shared by the tests and the proofs in bench/: a private PostgreSQL cluster, database
copies, and the fuzz inputs and checks. Never imported by the product."""
