"""Two memos for django-tables2, whose cells were most of a table page's and nearly all of a
CSV export's time (54,000 actions: 725,000 cells):

- ``utils.signature``, which ``call_with_appropriate`` runs through ``inspect.signature``
  for every cell (twice for most): memoised per function, or per function and "bound".
- ``TemplateColumn``'s ``Template(template_code)``, compiled again for every cell (the
  ``DateColumn``s): memoised per template text; a compiled template renders any context.

Same values, same calls: only the repeated work is kept. Installed once from ``PlansConfig``.
"""

from __future__ import annotations

import types
from functools import lru_cache

from django.template import Template
from django_tables2 import utils
from django_tables2.columns import templatecolumn

_original_signature = utils.signature


@lru_cache(maxsize=2048)
def _signature_of(function, bound: bool):
    if bound:
        return _original_signature(types.MethodType(function, object()))
    return _original_signature(function)


def signature(fn):
    if isinstance(fn, types.MethodType):
        return _signature_of(fn.__func__, True)
    if isinstance(fn, types.FunctionType):
        return _signature_of(fn, False)
    return _original_signature(fn)  # partials, callables: not worth a memo


@lru_cache(maxsize=256)
def compiled_template(code: str) -> Template:
    return Template(code)


def install() -> None:
    utils.signature = signature
    templatecolumn.Template = compiled_template
