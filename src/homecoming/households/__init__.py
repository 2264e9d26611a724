"""The displaced-household registry. Personal data: only roles that need it may read it."""
