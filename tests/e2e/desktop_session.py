"""A private X desktop for end-to-end tests of the real console: Xvfb (-noreset), a private
session D-Bus, the AT-SPI bus launcher and trayer (the tray host). Every process is started in a
process group of its own and killed with its group on close(), so nothing is left behind (the
a11y bus's own dbus-daemon and registryd included)."""

import os
import shutil
import signal
import subprocess
import tempfile
import time


class DesktopSession:
    def __init__(self, width=1280, height=800, tray=True):
        self.tmp = tempfile.mkdtemp(prefix="tsp-desktop-")
        self.procs = []
        self.apps = []
        self.env = dict(os.environ)
        try:
            self._start(width, height, tray)
        except BaseException:
            self.close()
            raise

    def _spawn(self, args, env=None, **kw):
        p = subprocess.Popen(args, env=env or self.env, start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def _start(self, width, height, tray):
        # 1. Xvfb tells its display number on a pipe once it accepts connections.
        r, w = os.pipe()
        self._spawn(["Xvfb", "-displayfd", str(w), "-screen", "0", f"{width}x{height}x24",
                     "-nolisten", "tcp", "-noreset"], pass_fds=(w,), stderr=subprocess.DEVNULL)
        os.close(w)
        number = b""
        deadline = time.time() + 20
        while not number.endswith(b"\n"):
            if time.time() > deadline:
                raise RuntimeError("Xvfb did not start")
            chunk = os.read(r, 16)
            if not chunk:
                raise RuntimeError("Xvfb exited")
            number += chunk
        os.close(r)
        self.display = ":" + number.decode().strip()
        self.env["DISPLAY"] = self.display
        # 2. A private session bus.
        bus = self._spawn(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                          stdout=subprocess.PIPE)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        # 3. A fresh runtime dir and the accessibility bus.
        runtime = os.path.join(self.tmp, "run")
        os.makedirs(runtime, mode=0o700)
        self.env["XDG_RUNTIME_DIR"] = runtime
        self._spawn(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately", "--a11y=1"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while True:
            out = subprocess.run(["dbus-send", "--session", "--dest=org.freedesktop.DBus", "--print-reply",
                                  "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                                  "string:org.a11y.Bus"], env=self.env, capture_output=True, text=True)
            if "boolean true" in out.stdout:
                break
            if time.time() > deadline:
                raise RuntimeError("the AT-SPI bus did not come up")
            time.sleep(0.05)
        # 4. The tray host.
        if tray:
            self._spawn(["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel",
                         "--width", "120", "--height", "24", "--transparent", "false"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)

    def launch(self, args, extra_env=None, log_path=None):
        """Starts an application on this desktop. close() stops it before the desktop itself."""
        env = dict(self.env)
        env.update({"QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_ACCESSIBILITY": "1",
                    "QT_QPA_PLATFORM": "xcb"})
        env.pop("QT_LOGGING_RULES", None)
        if extra_env:
            env.update(extra_env)
        out = open(log_path, "wb") if log_path else subprocess.DEVNULL
        app = self._spawn(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.apps.append(app)
        return app

    def run(self, args, **kw):
        return subprocess.run(args, env=self.env, **kw)

    def close(self, app_timeout=30):
        # The applications first, while their X server and buses still run: pulling the display
        # from under a Qt program that is still shutting down crashes it in Qt's own threads (an
        # ASan build reported a SEGV in a non-main thread when everything got SIGTERM at once).
        for p in self.apps:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.apps:
            try:
                p.wait(app_timeout)
            except subprocess.TimeoutExpired:
                pass
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.time() + 5
        for p in reversed(self.procs):
            try:
                p.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(p.pid, signal.SIGKILL)  # the group: also what the process left behind
            except (ProcessLookupError, PermissionError):
                pass
            try:
                p.wait(2)
            except subprocess.TimeoutExpired:
                pass
        self.procs = []
        self.apps = []
        shutil.rmtree(self.tmp, ignore_errors=True)
