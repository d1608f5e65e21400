"""RAG chips: a coloured dot with the letter on it, so the rating never relies on colour alone."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from scr_desk.domain.colours import CHIP_EDGE, RAG_SWATCHES
from scr_desk.domain.enums import Rag

__all__ = ["rag_icon"]


@cache
def rag_icon(rag: Rag, size: int = 32) -> QIcon:
    swatch = RAG_SWATCHES[rag]
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QBrush(QColor(swatch.fill)))
    painter.setPen(QColor(CHIP_EDGE))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.6))
    painter.setFont(font)
    painter.setPen(QColor(swatch.ink))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, rag.letter)
    painter.end()
    return QIcon(pixmap)
