"""Generic import and export of tables (xlsx; xls, ods and csv read too).

Apps describe what they import and export as a :class:`~gongsheng.transfer.resources.Resource`
and register it; one importer and one exporter serve them all.
"""
