"""THE one mechanism that decides who sees and changes what.

* :func:`gongsheng.access.scope.scope` filters any queryset to what a user may do with it;
* each app declares a :class:`~gongsheng.access.policies.Policy` for each of its models in its
  ``rules.py`` (loaded at start-up), so this package imports no other app;
* role assignments, API tokens and share grants are kept here.
"""
