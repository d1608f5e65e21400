"""Importing workbooks in two phases: plan (pure: file -> row outcomes, nothing written) and
apply (one transaction after a backup, recorded as one import batch that can be undone)."""
