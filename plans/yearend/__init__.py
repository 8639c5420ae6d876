"""Year end of a plan: closing it with a final status for every action (``services``), the
year-end report of final statuses and indicator outturns against their targets (``report``
as JSON, ``page`` as HTML, ``workbook`` as Excel), publishing it as a frozen snapshot
(``publishing``), and their pages (``views``, ``forms``, ``urls``). ``models`` is imported by
``plans/models.py`` so that Django files its models under the plans app."""
