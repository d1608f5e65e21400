"""Every change the window can make, each with its undo and redo, kept in the core (base.py says
how): items.py (fields, names, status and RAG, new, delete, move), updates.py (added, corrected),
meetings.py (with their decisions) and records.py (the partnership's name, agencies, proposals).

The window asks the lead, builds one of these from the answer, runs `do()` and keeps it on its
undo stack; the tests run the same objects without a window. An import's undo is the import
batch's own (services.imports.batches.undo_batch), kept on the same undo stack. Import the module
needed: this package loads none of them, so a module that only needs `Change` loads base.py alone.
"""
