"""The Karabakh demo: reference facts shipped with the package, plus a synthetic household registry."""
