from gongsheng.core import registry


class CoreConfig(registry.GongshengAppConfig):
    name = "gongsheng.core"
    label = "core"
