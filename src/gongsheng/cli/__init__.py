"""The ``gongsheng`` console script.

Two kinds of command live behind it:

* *science commands* (``evaluate``, ``allocate``, ``symbiosis``, ``game``, ``analyze``) work
  on files with :mod:`gongsheng.analytics` alone: they need no database and no Django settings, and
  are dispatched here without importing Django;
* *platform commands* (``backup``, ``restore``) run with the platform's settings but outside
  Django's management machinery (they replace the database under it);
* everything else (``serve``, ``demo``, ``token``, ``audit``, ``migrate`` ...) is a Django
  management command, run with the platform's settings.

``gongsheng``, ``gongsheng --help`` and ``gongsheng help`` print :func:`._help.overview`: the
science commands first, then the platform's own commands, then Django's admin commands by
name; ``gongsheng help NAME`` shows a command's help (a science command's own ``--help``).
"""

from __future__ import annotations

import importlib
import os
import sys

#: science commands: name -> "module:function"; each function takes ``argv`` (list of str)
#: and returns a process exit code.
SCIENCE_COMMANDS: dict[str, str] = {
    "evaluate": "gongsheng.cli.evaluate:main",
    "allocate": "gongsheng.cli.allocate:main",
    "symbiosis": "gongsheng.cli.symbiosis:main",
    "game": "gongsheng.cli.game:main",
    "analyze": "gongsheng.cli.analyze:main",
}


#: platform commands: name -> "module:function" (Django set up first; same calling convention)
PLATFORM_COMMANDS: dict[str, str] = {
    "backup": "gongsheng.cli.backup.commands:backup",
    "restore": "gongsheng.cli.backup.commands:restore",
}


def _platform(name: str, argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongsheng.settings")
    django.setup()
    module_name, func_name = PLATFORM_COMMANDS[name].split(":")
    module = importlib.import_module(module_name)
    return int(getattr(module, func_name)(argv) or 0)


def _science(name: str, argv: list[str]) -> int:
    module_name, func_name = SCIENCE_COMMANDS[name].split(":")
    module = importlib.import_module(module_name)
    return int(getattr(module, func_name)(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gongsheng`` console script."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) == 1 or argv[1] in ("-h", "--help") or argv[1:] == ["help"]:
        from gongsheng.cli._help import overview

        sys.stdout.write(overview(platform_names=tuple(PLATFORM_COMMANDS)))
        return 0
    if len(argv) == 3 and argv[1] == "help" and argv[2] in {*SCIENCE_COMMANDS, *PLATFORM_COMMANDS}:
        argv = [argv[0], argv[2], "--help"]
    if len(argv) > 1 and argv[1] in SCIENCE_COMMANDS:
        return _science(argv[1], argv[2:])
    if len(argv) > 1 and argv[1] in PLATFORM_COMMANDS:
        return _platform(argv[1], argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongsheng.settings")
    from django.core.management import execute_from_command_line

    from gongsheng.cli._help import BY_NAME, examples

    argv[0] = "gongsheng"
    asked = argv[2:3] if argv[1:2] == ["help"] else argv[1:2]
    helping = bool({"-h", "--help"} & set(argv[2:])) or argv[1:2] == ["help"]
    try:
        execute_from_command_line(argv)
    finally:  # a platform command's help ends with examples, as the science commands' do
        if helping and asked and asked[0] in BY_NAME:
            sys.stdout.write("\n" + examples(asked[0]) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
