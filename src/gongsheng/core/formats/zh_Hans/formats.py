"""Number formats for Simplified Chinese pages (``FORMAT_MODULE_PATH``): Django's own leave the
thousand separator empty, so ``floatformat:"2g"`` showed 1234567.00; a Chinese finance page
writes 1,234,567.00 (groups of three, the comma). Formats not set here are Django's
(``get_format`` reads this module first, then Django's zh_Hans one)."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
