"""Chinese documents: one pipeline from a report's data to PDF (WeasyPrint) and Word (docxtpl).

Apps build a :class:`gongsheng.documents.model.Document` from their selectors' numbers and hand
it to :func:`gongsheng.documents.services.document_render` (or register a report builder in
:mod:`gongsheng.documents.registry`); see docs/ARCHITECTURE.md, "Chinese documents".
"""
