from gongsheng.declare.api import router_for
from gongsheng.declare.declaration import declaration_for
from tests.declare_example.models import Notice

router = router_for(declaration_for(Notice))
