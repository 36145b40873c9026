"""pytest plugin that seeds a fake Pantheon secrets service."""
