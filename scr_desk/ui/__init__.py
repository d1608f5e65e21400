"""The PySide6 window: a thin layer over the services."""
