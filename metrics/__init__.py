"""Pure metric functions over DataFrames: no Streamlit, no SQL. Formulas: docs/metrics.md."""
