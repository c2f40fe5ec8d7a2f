"""Notifications, one mechanism: ``notify(recipients, event, obj, actor=...)`` puts a message in
each recipient's inbox and delivers it by e-mail and to the chat groups (WeCom, DingTalk, Feishu)
after the transaction commits, logging every delivery as evidence."""
