#!/usr/bin/python3
"""Screenshots of the real console for a look: `tsp-assistant --demo` under Xvfb with trayer, at
1280x800 and 1920x1080, in zh_CN and en; the Conversations page (the list, then the reviewed
conversation open with its draft), the Knowledge, Dashboard, Connection, Logs, Tickets and Settings
pages, and the shortcut sheet. Pages are switched by clicking the navigation rows, found
through AT-SPI (key presses do not reach a window under Xvfb without a window manager).
Usage: screenshots.py /path/to/tsp-assistant OUTDIR [SECONDS_OF_DEMO]"""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desktop_session import DesktopSession  # noqa: E402

LANGS = {"zh_CN": {"LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"}, "en": {"LANG": "en_US.UTF-8", "LANGUAGE": "en"}}
# The navigation's rows, in order (their names are translated, so they are taken by position).
PAGES = ("conversations", "knowledge", "dashboard", "logs", "tickets", "settings")


def shoot(session, path):
    session.run(["import", "-window", "root", path], check=True, timeout=30)
    print(path, flush=True)


def one(binary, outdir, width, height, lang, settle):
    """One desktop, one language (a process of its own: Atspi binds to the display at import)."""
    session = DesktopSession(width, height, tray=True)
    try:
        data = os.path.join(session.tmp, "data")
        # A fresh data dir: the window opens at its default size, then fills the screen.
        proc = session.launch([binary, "--demo", "--data-dir", data],
                              dict(LANGS[lang], TSP_DEMO_INTERVAL_MS="1500"), os.path.join(session.tmp, "app.log"))
        wid = session.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(proc.pid)],
                          capture_output=True, text=True, timeout=60).stdout.split()[-1]
        session.run(["xdotool", "windowsize", "--sync", wid, str(width), str(height - 24)], timeout=10)
        session.run(["xdotool", "windowmove", "--sync", wid, "0", "24"], timeout=10)
        session.run(["xdotool", "windowfocus", "--sync", wid], timeout=10)
        os.environ.update({k: session.env[k] for k in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")})
        import gi
        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi
        import re
        from console_atspi import App, click_at, wait_until

        app = App(Atspi, proc.pid)
        wait_until("the console on the accessibility bus", app.find_root, 60)
        nav = wait_until("the navigation", lambda: app.find(None, {"list", "list box"},
                                                             pred=lambda n: n.get_name() in ("Navigation", "导航")), 30)
        time.sleep(settle)
        stem = os.path.join(outdir, f"{width}x{height}-{lang}")
        for i, page in enumerate(PAGES):
            click_at(session, nav.get_child_at_index(i), Atspi)
            time.sleep(2)
            shoot(session, f"{stem}-{page}.png")
            if page == "conversations":
                # The reviewed group's conversation, open: thread, draft banner, side panel.
                listing = app.find(None, {"list", "table", "tree", "tree table", "list box"},
                                   pred=lambda n: n.get_name() in ("Conversations", "会话"))
                row = wait_until("a conversation in review mode", lambda: next(
                    (r for r in app.children(listing) if re.search(r", (Review|审核),", r.get_name() or "")), None), 60)
                click_at(session, row, Atspi)
                time.sleep(2)
                shoot(session, f"{stem}-thread.png")
            if page == "dashboard":
                # The second tab beside the charts: the connection's health.
                tabs = [t for t in app.children(app.find(None, {"page tab list"}, pred=app.showing))
                        if t.get_role_name() == "page tab"]
                click_at(session, tabs[1], Atspi)
                time.sleep(1.5)
                shoot(session, f"{stem}-connection.png")
        session.run(["xdotool", "windowfocus", "--sync", wid], timeout=10)
        session.run(["xdotool", "key", "--window", wid, "ctrl+slash"], timeout=10)
        time.sleep(1.5)
        shoot(session, f"{stem}-shortcuts.png")
        proc.terminate()
        proc.wait(20)
    finally:
        session.close()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        binary, outdir, width, height, lang, settle = sys.argv[2:8]
        one(binary, outdir, int(width), int(height), lang, float(settle))
        return 0
    binary, outdir = os.path.abspath(sys.argv[1]), sys.argv[2]
    settle = sys.argv[3] if len(sys.argv) > 3 else "12"
    os.makedirs(outdir, exist_ok=True)
    status = 0
    for width, height in ((1280, 800), (1920, 1080)):
        for lang in LANGS:
            status |= subprocess.run([sys.executable, os.path.abspath(__file__), "--one", binary, outdir,
                                      str(width), str(height), lang, settle]).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
