"""What ``gongsheng --help`` and each command's ``--help`` say, in Chinese with English.

The command line writes "中文 · English" (as the README does) rather than choosing by
locale: the same text reads right in a Chinese terminal, in a log and in a bug report, and
the science commands need no translation catalogue (they run without Django). The commands'
own help (``gongsheng evaluate --help`` …) comes from :func:`parser`, which adds the
Chinese description, the headings in both languages and an example to run.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    zh: str
    en: str
    examples: tuple[str, ...] = ()


#: the science commands (no database), in the order ``gongsheng --help`` lists them
SCIENCE: tuple[Command, ...] = (
    Command(
        "analyze",
        "诊断一个分析工作簿，写出离线报告（HTML、JSON、Excel）",
        "diagnose an analysis workbook: offline report as HTML, JSON and Excel",
        ("gongsheng analyze --example 示例.xlsx", "gongsheng analyze 示例.xlsx --out 报告/"),
    ),
    Command(
        "evaluate",
        "指标体系评价：权重、得分、排名（也读分析工作簿的 指标数据 / 指标定义）",
        "weights, scores and ranks of an indicator system (also the analysis workbook's sheets)",
        (
            "gongsheng evaluate 示例.xlsx",
            "gongsheng evaluate data.csv --tree indicators.csv --format json",
        ),
    ),
    Command(
        "allocate",
        "收益分配：Shapley、修正 Shapley、Nash 谈判、核（也读分析工作簿的 联盟价值）",
        "Shapley, modified Shapley, Nash bargaining and the core (also the workbook's 联盟价值)",
        (
            "gongsheng allocate 示例.xlsx",
            "gongsheng allocate coalitions.csv --factors factors.csv --out 分配.xlsx",
        ),
    ),
    Command(
        "symbiosis",
        "共生度、共生分配系数、共生模式和 Logistic 动力学拟合",
        "symbiosis degrees, shares, behavioural modes and fitted Logistic dynamics",
        ("gongsheng symbiosis 质参量.xlsx", "gongsheng symbiosis series.csv --format json"),
    ),
    Command(
        "game",
        "政府—学校—企业演化博弈：均衡点、ESS、相图、参数扫描",
        "government–school–enterprise evolutionary game: equilibria, ESS, phase plots, sweeps",
        (
            "gongsheng game --set g_s=2.5 --set p_e=1",
            "gongsheng game --sweep p_e=0:5:101 --plot 图/",
        ),
    ),
)
#: the platform's own commands (with the database): Chinese words and an example each
PLATFORM: tuple[Command, ...] = (
    Command("serve", "启动平台（waitress）和后台作业进程", "serve the platform and its worker",
            ("gongsheng serve --port 8000",)),
    Command("demo", "载入或重置演示数据", "load or reset the demo data",
            ("gongsheng demo", "gongsheng demo --scale 30x200")),
    Command("worker", "运行后台作业和定期任务", "run background jobs and sweeps",
            ("gongsheng worker",)),
    Command("token", "为用户生成 API 令牌", "print a new API token for a user",
            ("gongsheng token secretariat --name 脚本",)),
    Command("diagnose", "重新计算保存的共生诊断", "recompute the stored diagnoses",
            ("gongsheng diagnose --consortium 1",)),
    Command("audit", "核验或清理审计日志", "verify or prune the audit log",
            ("gongsheng audit verify",)),
    Command("metrics", "列出登记的指标，或按用户视角计算", "list or compute registered metrics",
            ("gongsheng metrics", "gongsheng metrics --user secretariat --consortium 1")),
    Command("backup", "把数据库和上传文件备份为一个归档", "back up the database and uploads",
            ("gongsheng backup --output 备份/",)),
    Command("restore", "从备份归档恢复（先停止服务）", "restore from a backup archive",
            ("gongsheng restore 备份.tar.gz",)),
    Command("chat_fake_server", "本地模拟群聊机器人，打印收到的消息",
            "a local stand-in for chat webhooks", ("gongsheng chat_fake_server",)),
)  # fmt: skip
BY_NAME = {c.name: c for c in (*SCIENCE, *PLATFORM)}


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="用法 · usage: ")


class Parser(argparse.ArgumentParser):
    """An argument parser whose headings and errors are in Chinese and English."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数 · arguments"
        self._optionals.title = "选项 · options"
        self.add_argument("-h", "--help", action="help", help="显示本说明 · show this help")

    def error(self, message: str):  # type: ignore[no-untyped-def]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误 · error: {message}\n")


def examples(name: str) -> str:
    command = BY_NAME[name]
    return "示例 · examples:\n" + "\n".join(f"  {e}" for e in command.examples)


def parser(name: str, *, description: str = "") -> Parser:
    """The parser of ``gongsheng NAME``: both languages' one-liners, more text, an example."""
    command = BY_NAME[name]
    text = f"{command.zh} · {command.en}"
    if description:
        text += "\n\n" + description.strip()
    return Parser(prog=f"gongsheng {name}", description=text, epilog=examples(name))


def _django_commands() -> tuple[dict[str, str], list[str]]:
    """The platform's own management commands (name -> help) and Django's (names only)."""
    import os

    import django
    from django.core.management import get_commands, load_command_class

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongsheng.settings")
    django.setup()
    own: dict[str, str] = {}
    others: list[str] = []
    for name, app in sorted(get_commands().items()):
        if app.startswith("gongsheng"):
            try:
                own[name] = str(load_command_class(app, name).help).split("\n")[0]
            except Exception:  # a command that cannot load still gets listed
                own[name] = ""
        else:
            others.append(name)
    return own, others


def overview(*, platform_names: tuple[str, ...] = ()) -> str:
    """The text of ``gongsheng --help``: science commands, the platform's, then Django's."""
    lines = [
        "共生 Gongsheng 命令行 · the Gongsheng command line",
        "",
        "用法 · usage: gongsheng <命令 command> [选项 options]",
        "每个命令的说明和示例 · each command's help with examples: gongsheng <命令> --help",
        "",
        "分析命令（无需数据库）· science commands (no database needed):",
    ]
    width = max(len(c.name) for c in (*SCIENCE, *PLATFORM)) + 2
    for c in SCIENCE:
        lines.append(f"  {c.name:<{width}}{c.zh}")
        lines.append(f"  {'':<{width}}{c.en}")
    own, others = _django_commands()
    lines += ["", "平台命令（使用平台数据库）· platform commands (with the database):"]
    listed = [c.name for c in PLATFORM]
    for name in [*listed, *sorted(set(own) - set(listed))]:
        if name not in own and name not in platform_names:
            continue
        c = BY_NAME.get(name)
        text = f"{c.zh} · {c.en}" if c else own.get(name, "")
        lines.append(f"  {name:<{width}}{text}")
    lines += [
        "",
        "Django 管理命令 · Django's admin commands (gongsheng help <命令 command>):",
    ]
    row = "  "
    for name in others:
        if len(row) + len(name) + 2 > 92:
            lines.append(row.rstrip())
            row = "  "
        row += name + "  "
    if row.strip():
        lines.append(row.rstrip())
    return "\n".join(lines) + "\n"
