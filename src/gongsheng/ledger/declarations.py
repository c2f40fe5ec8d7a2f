"""The ledger declares no model (``gongsheng.declare``): Category and ValuationRule do not fit
the declaration layer without changing behaviour, URLs or status codes, which the move must not.

Category (a consortium's or a platform-wide kind of quantity):

* it is not a ``core.models.Versioned`` model: it has ``version`` but no ``updated_at``, and
  ``declare.services.update`` saves through ``core.services.save_versioned``, which writes
  ``updated_at`` (fitting it means a model change and a migration);
* ``GET /api/ledger/categories?consortium=<id>`` lists the consortium's own categories *and*
  the platform-wide ones (``consortium`` is NULL); ``declare.selectors.listing`` narrows to the
  consortium's rows only, and the declaration has no hook for that narrowing;
* a write the role may not make is 403 today even for a category it cannot see (the service
  reads the row, then asks the policy); the declared update locks the row through
  ``access.scope.access_object`` and answers 404 (``tests/ledger/test_declared.py`` pins 403);
* the refusals carry their own messages ("Only the secretariat manages its consortium's ledger
  categories." …) and are raised before the input is checked; the declared create checks the
  input first (an invalid refused create would become 422) and refuses with the generic one;
* a PATCH leaves out ``null`` fields; the declared one stores ``null`` as empty text;
* categories are never deleted (entries protect them) and have no delete event.

ValuationRule (a dated price): rules are never edited or deleted — a new price is a new rule —
and its ``version`` counts the rules of its category and consortium, it is no optimistic lock;
the declared router always adds ``PATCH /<name>/{id}`` and checks ``version`` as a lock, and its
``POST`` hands the body alone to ``declare.services.create``, so nothing would set the counted
``version`` or ``created_by`` (the declaration's hooks do not get the actor).

Pages: one page (``ledger:rules``, ``/consortia/<id>/ledger/rules/``) shows both models with the
add forms and the (de)activate buttons; declared pages would be new URLs per model. Neither model
has an import/export table today (a declaration would add one).

So the services (``services.category_create`` … ``rule_create``), the API endpoints
(``api.py``) and the page (``views.rules``) stay hand-written. The rights a move must keep are
the literal table in ``tests/ledger/test_declared.py``.
"""
