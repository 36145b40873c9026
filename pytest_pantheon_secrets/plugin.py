"""pytest11 entry point of the pantheon secrets plugin."""
