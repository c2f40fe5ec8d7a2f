"""``gongsheng chat_fake_server``: a local stand-in for WeCom / DingTalk / Feishu webhooks that
prints every message it receives (for the demo and for trying a private deployment's set-up)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from gongsheng.notifications.fake_chat import FakeChatServer


class Command(BaseCommand):
    help = "Run a local fake chat-webhook server on 127.0.0.1 and print what it receives."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args: Any, port: int, **options: Any) -> None:
        server = FakeChatServer(port=port).start()
        self.stdout.write(
            f"Fake chat server on {server.url}; run the platform with\n"
            f"  GONGSHENG_WECOM_URL={server.url} GONGSHENG_DINGTALK_URL={server.url} "
            f"GONGSHENG_FEISHU_URL={server.url}\n(Ctrl+C stops it)"
        )
        seen = 0
        try:
            while True:
                time.sleep(0.5)
                texts = server.texts()
                for r, text in zip(server.received[seen:], texts[seen:], strict=True):
                    self.stdout.write(f"[{r.path}] {text}")
                seen = len(texts)
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
