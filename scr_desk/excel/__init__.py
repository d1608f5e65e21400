"""Workbook layouts, writer and reader (openpyxl, python-calamine). No Qt, no ORM."""
