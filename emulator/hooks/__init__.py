"""The plugin wing: pluggy hook specs, the plugin manager and the built-in default plugins."""
