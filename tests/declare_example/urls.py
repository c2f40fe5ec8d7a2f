from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import urlpatterns
from tests.declare_example.models import Notice

app_name = "declare_example"
urlpatterns = urlpatterns(declaration_for(Notice))
