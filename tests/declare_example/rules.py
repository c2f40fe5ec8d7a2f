from gongsheng.access.policies import Policy, register
from tests.declare_example.models import Notice


@register(Notice)
class NoticePolicy(Policy):
    """Every role of the consortium reads notices; the secretariat writes and closes them."""

    public = True
    moves = {"close": "change"}
