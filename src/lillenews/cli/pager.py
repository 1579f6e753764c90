"""The pager an article or an event goes through when it is taller than the window: the
PAGER command (`less` by default), given the environment git gives it (see pager_environ).
Imported only when something is paged."""

from __future__ import annotations

from collections.abc import Mapping


def pager_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """The pager's environment, the way git sets it: LESS=FRX when unset, R added when
    missing (colour codes are shown as colours, not as raw `ESC[1m`), LV=-c; and
    LESSCHARSET=utf-8 when unset: the pager is given UTF-8 bytes, which `less` under a
    locale without UTF-8 (LC_ALL=C, common over ssh) would show as `F<C3><AA>te`."""
    env = dict(environ)
    env.setdefault("LESSCHARSET", "utf-8")
    less = env.get("LESS")
    if less is None:
        env["LESS"] = "FRX"
    elif "R" not in less and "r" not in less:
        env["LESS"] = less + ("R" if less.strip() else "-R")
    env.setdefault("LV", "-c")
    return env


class CommandPager:
    """Pipes the text to a shell command (PAGER), with the pager environment."""

    def __init__(self, command: str, environ: Mapping[str, str]) -> None:
        self.command = command
        self.environ = pager_environ(environ)

    def show(self, content: str) -> None:
        import subprocess

        proc = subprocess.Popen(self.command, shell=True, stdin=subprocess.PIPE, env=self.environ)
        assert proc.stdin is not None
        try:
            proc.stdin.write(content.encode("utf-8", "replace"))
            proc.stdin.close()
        except BrokenPipeError:  # the reader quit before the end: fine
            pass
        while True:
            try:
                proc.wait()
                break
            except KeyboardInterrupt:  # less handles Ctrl-C itself; wait for it to quit
                continue
