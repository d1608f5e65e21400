"""Documents drawn with Qt's painter, for the window and the command line alike: the panel
report's PDF (report_pdf). Qt's GUI module without widgets: neither the window (scr_desk.ui) nor
storage (scr_desk.db) is imported here, and the command line imports this, never the window
(import contracts in pyproject.toml)."""
