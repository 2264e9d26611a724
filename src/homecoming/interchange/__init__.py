"""Registry tables in and out of CSV and XLSX, with per-row validation (all-or-nothing per file)."""
