"""Plugins shipped with the emulator, as working examples. None is loaded unless asked for:

- ``--plugin emulator.contrib.audit_log``: one JSON line per secret change in a file.
- ``--plugin emulator.contrib.faults``: a configured failure for a share of requests.
"""
