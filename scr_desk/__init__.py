"""scr_desk: a desktop workbook for safeguarding case-review recommendations."""

__version__ = "0.1.0"
APP_NAME = "scr_desk"
APP_TITLE = "SCR Desk"
