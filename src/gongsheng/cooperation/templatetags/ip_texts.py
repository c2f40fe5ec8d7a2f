"""``{{ verdict.basis|ip_text }}``: the IP rules engine's words in the reader's language."""

from django import template

from gongsheng.cooperation.ip_texts import ip_text as _ip_text

register = template.Library()


@register.filter
def ip_text(value: object) -> str:
    return _ip_text(value)
