"""Use cases shared by the window and the command line. No Qt.

Each function takes a session factory, does its work in one short transaction, returns frozen
rows from `scr_desk.domain.dto`, and raises the typed errors of `scr_desk.services.errors`.
"""
