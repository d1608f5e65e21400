"""File > Open server…: the URL of the team's database on a PostgreSQL server."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from scr_desk.services.database_files import check_server_url

__all__ = ["EXAMPLE", "EXPLAINED", "OpenServerDialog"]


EXAMPLE = "postgresql+psycopg://jbloggs@db.council.local/scr_desk"
EXPLAINED = (
    "The address of your team's database, as your IT gave it: postgresql+psycopg://ROLE@HOST/DBNAME "
    "(ROLE is the name you sign in with). Your password is never typed here and never kept by SCR Desk: "
    "it is read from the PGPASSWORD variable, a .pgpass file (on Windows, pgpass.conf in "
    "%APPDATA%\\postgresql) or a PostgreSQL service file, as every PostgreSQL program reads it.")


class OpenServerDialog(QDialog):
    def __init__(self, suggested: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a database on a server")
        self.setObjectName("open_server_dialog")
        layout = QVBoxLayout(self)
        about = QLabel(EXPLAINED)
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
        width = self.fontMetrics().averageCharWidth() * 70
        about.setFixedWidth(width)
        # The whole explanation, never cut: as tall as its wrapped lines, and a line to spare.
        lines = about.fontMetrics().boundingRect(QRect(0, 0, width, 0), Qt.TextFlag.TextWordWrap, EXPLAINED)
        about.setMinimumHeight(lines.height() + about.fontMetrics().lineSpacing())
        layout.addWidget(about)
        self.edit = QLineEdit(suggested)
        self.edit.setObjectName("server_url")
        self.edit.setAccessibleName("Database URL")
        self.edit.setPlaceholderText(EXAMPLE)
        self.edit.setMinimumWidth(self.fontMetrics().horizontalAdvance(EXAMPLE) + 40)
        layout.addWidget(self.edit)
        self.problem = QLabel()
        self.problem.setObjectName("server_url_problem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def url(self) -> str:
        return self.edit.text().strip()

    def accept(self) -> None:
        """A URL the app cannot use is said under the field, which keeps what was typed."""
        try:
            check_server_url(self.url())
        except ValueError as exc:
            reason = str(exc).split(": ", 1)[-1]  # after the URL, which is in the field above
            self.problem.setText(reason[:1].upper() + reason[1:] + ".")
            self.problem.show()
            return
        super().accept()
