#!/usr/bin/python3
"""Screenshots of the real console for a look: `tsp-assistant --demo` under Xvfb with trayer, at
1280x800 and 1920x1080, in zh_CN and en; the conversations page, the logs page and the shortcut
sheet. Usage: screenshots.py /path/to/tsp-assistant OUTDIR [SECONDS_OF_DEMO]"""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desktop_session import DesktopSession  # noqa: E402

LANGS = {"zh_CN": {"LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"}, "en": {"LANG": "en_US.UTF-8", "LANGUAGE": "en"}}


def shoot(session, path):
    session.run(["import", "-window", "root", path], check=True, timeout=30)
    print(path, flush=True)


def main():
    binary, outdir = os.path.abspath(sys.argv[1]), sys.argv[2]
    settle = float(sys.argv[3]) if len(sys.argv) > 3 else 12
    os.makedirs(outdir, exist_ok=True)
    for width, height in ((1280, 800), (1920, 1080)):
        for lang, env in LANGS.items():
            session = DesktopSession(width, height, tray=True)
            try:
                data = os.path.join(session.tmp, "data")
                # A fresh data dir: the window opens at its default size, then fills the screen.
                proc = session.launch([binary, "--demo", "--data-dir", data],
                                      dict(env, TSP_DEMO_INTERVAL_MS="1500"), os.path.join(session.tmp, "app.log"))
                wid = session.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(proc.pid)],
                                  capture_output=True, text=True, timeout=60).stdout.split()[-1]
                session.run(["xdotool", "windowsize", "--sync", wid, str(width), str(height - 24)], timeout=10)
                session.run(["xdotool", "windowmove", "--sync", wid, "0", "24"], timeout=10)
                session.run(["xdotool", "windowfocus", "--sync", wid], timeout=10)
                time.sleep(settle)
                stem = os.path.join(outdir, f"{width}x{height}-{lang}")
                shoot(session, f"{stem}-conversations.png")
                session.run(["xdotool", "windowfocus", "--sync", wid], timeout=10)
                session.run(["xdotool", "key", "ctrl+4"], timeout=10)
                time.sleep(1.5)
                shoot(session, f"{stem}-logs.png")
                session.run(["xdotool", "key", "ctrl+slash"], timeout=10)
                time.sleep(1.5)
                shoot(session, f"{stem}-shortcuts.png")
                session.run(["xdotool", "key", "Escape"], timeout=10)
                proc.terminate()
                proc.wait(20)
            finally:
                session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
