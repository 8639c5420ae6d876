"""Importing an action plan from Excel in the browser (upload → validate → preview → confirm →
created), the template and plan downloads, and activating the imported draft."""
