"""Optional sign-off of quarterly updates and indicator values, per partnership.

With ``Partnership.sign_off`` on, a submitted update or value waits ("Awaiting sign-off") until
an officer who signs off for the item's lead agency approves it, or returns it to its officer
as a draft with a comment. Only approved items count (``counted()``, in ``fields``).

- ``fields``: the states, the fields both items carry and the ``counted()`` queryset method;
- ``services``: submit, approve, return, turning sign-off on and off;
- ``views`` and ``forms``: the Sign-off page and the partnership's setting.
"""
