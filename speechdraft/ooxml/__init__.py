"""Pure-Python Word writer of speechdraft (no Django imports anywhere in this package)."""
