"""The ledger of quality parameters: what every unit puts in and gets out.

One entry per flow of value from a giver (a unit, a project's pool, or outside the consortium) to
a receiver, valued in CNY by a dated valuation rule whose version the entry keeps. Append-only:
a correction is a reversing entry plus a new one. Operations post their flows through
:func:`gongsheng.ledger.services.flows_sync`, which keeps a source's entries consistent with it.
"""
