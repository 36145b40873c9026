"""The fake Pantheon itself: model, rules, resolution, store and the one service door.

Pure Python and the standard library only: no Flask, click, requests or pluggy. Every
wing around it (web, hooks, terminus, client) reaches the store through
:class:`emulator.core.service.Emulator`.
"""
