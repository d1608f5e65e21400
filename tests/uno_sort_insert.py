"""Run by Debian's own Python (which has LibreOffice's UNO bridge), not the project's: open a
workbook in LibreOffice, sort the Returns sheet's rows by reference backwards and insert a row,
exactly as a partner does with Data > Sort and Sheet > Insert Rows, then save it as .xlsx.

    /usr/bin/python3 tests/uno_sort_insert.py IN.xlsx OUT.xlsx PROFILE_DIR

Prints "sorted" and "inserted" when LibreOffice did each; exits 1 when it refused.
"""

import contextlib
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(port):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(300):
        try:
            return resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.1)
    raise SystemExit("LibreOffice did not start")


def main(source, target, profile):
    port = 20000 + os.getpid() % 20000
    office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
                               "--norestore", "--nologo", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = connect(port)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                                (prop("Hidden", True),))
        sheet = document.Sheets.getByName("Returns")
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        last_row, last_column = cursor.RangeAddress.EndRow, cursor.RangeAddress.EndColumn
        first_before = sheet.getCellByPosition(1, 1).getString()
        # Data > Sort: the data rows, by the Reference column (B), descending.
        rows = sheet.getCellRangeByPosition(0, 1, last_column, last_row)
        field = uno.createUnoStruct("com.sun.star.table.TableSortField")
        field.Field, field.IsAscending = 1, False
        descriptor = list(rows.createSortDescriptor())
        for item in descriptor:
            if item.Name == "SortFields":
                item.Value = uno.Any("[]com.sun.star.table.TableSortField", (field,))
        rows.sort(tuple(descriptor))
        if sheet.getCellByPosition(1, 1).getString() == first_before:
            raise SystemExit("LibreOffice refused to sort the sheet")
        print("sorted")
        # Sheet > Insert Rows above the third row, and a note typed into it.
        sheet.getRows().insertByIndex(2, 1)
        sheet.getCellByPosition(1, 2).setString("(a row the partner added for their own notes)")
        if sheet.getCellByPosition(1, 2).getString() == "":
            raise SystemExit("LibreOffice refused to insert a row")
        print("inserted")
        document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        document.close(True)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        office.terminate()
        office.wait(timeout=30)


if __name__ == "__main__":
    main(*sys.argv[1:4])
