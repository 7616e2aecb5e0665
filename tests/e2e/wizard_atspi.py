#!/usr/bin/python3
"""End-to-end test of the first run of the real console, driven from outside through AT-SPI.
Usage:

    wizard_atspi.py /path/to/tsp-assistant /path/to/tsp_standalone_sandbox

Starts Xvfb, a private session bus with a real gnome-keyring (Secret Service) on it, the AT-SPI
bus, and a Feishu sandbox plus LLM stand-in on 127.0.0.1 (a helper process). Then starts the
console with an empty config dir and data dir (private HOME and XDG_* dirs), so no configuration
is found and the first-run wizard opens. Through the accessibility interface, with the English
accessible names of the issue (App ID, App Secret, Domain, LLM provider, API key, Base URL, Model,
Test connection, Finish), it fills in the sandbox's app, tests the Feishu side, picks the custom
LLM provider pointed at the stand-in, tests it, and finishes. Then it checks:
  - the main window comes up and its status bar says Connected (the sandbox sees the connection);
  - the App Secret and the API key are in the keychain (read back over the Secret Service D-Bus
    API), and in no file under the config and data dirs (nor anywhere in the private HOME).
Exits 0 when everything passed, 1 on a failure. Cleans up every process it started.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_atspi import (App, Failure, arm_deadline, click_at, find_combo, log, showing_named,  # noqa: E402
                           wait_until)
from desktop_session import DesktopSession  # noqa: E402

LLM_KEY = "sk-wizard-e2e-llm-key-5f1c"


def start_keyring(session):
    """gnome-keyring's Secret Service on the private bus, unlocked with a test password. It forks
    into the process group of the shell, so session.close() ends it."""
    p = session._spawn(["sh", "-c", "printf %s test-pw | gnome-keyring-daemon --unlock --components=secrets"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if p.wait(20) != 0:
        raise Failure("gnome-keyring-daemon did not start")

    def owned():
        out = session.run(["dbus-send", "--session", "--dest=org.freedesktop.DBus", "--print-reply",
                           "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                           "string:org.freedesktop.secrets"], capture_output=True, text=True)
        return "boolean true" in out.stdout

    wait_until("the Secret Service on the private bus", owned, 20, 0.1)


def start_sandbox(session, binary):
    p = session._spawn([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    info = json.loads(p.stdout.readline().decode())
    log(f"sandbox: Feishu {info['feishu']}, LLM {info['llm']}")
    return p, info


def choose_last(app, session, Atspi, combo, pattern):
    """Picks the combo's last item (Custom, in both combos) the way a mouse and keyboard user
    does: click it open, End, Return. Selecting an item of the popup list over AT-SPI does not
    change a QComboBox's current item in Qt 6.4, and without a window manager AT-SPI's
    grab_focus does not move the X focus."""
    wid = session.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid)],
                      capture_output=True, text=True, timeout=30).stdout.split()
    if wid:
        session.run(["xdotool", "windowfocus", "--sync", wid[-1]], timeout=10)
    for attempt in range(3):  # a click right after a page change can land before the layout settles
        click_at(session, combo, Atspi)
        time.sleep(0.3)
        session.run(["xdotool", "key", "End", "Return"], check=True, timeout=10)
        try:
            wait_until(f"the combo to show {pattern!r}", lambda: re.search(pattern, combo.get_name() or "", re.I), 3)
            return
        except Failure:
            log(f"the combo shows {combo.get_name()!r}; trying again")
    raise Failure(f"cannot pick {pattern!r} in the combo (it shows {combo.get_name()!r})")


def type_into(app, name, text):
    edit = wait_until(f"the {name} field", lambda: showing_named(app, name, {"text", "password text"}), 20)
    if not edit.get_editable_text_iface().set_text_contents(text):
        raise Failure(f"cannot type into {name}")


def press(app, name):
    button = wait_until(f"the {name} button", lambda: showing_named(app, name, {"push button"}), 20)
    wait_until(f"{name} to be enabled", lambda: app.enabled(button), 20)
    app.press(button)


def label_starting(app, prefix):
    return app.find(None, {"label"}, pred=lambda n: (n.get_name() or "").startswith(prefix) and app.showing(n))


def secret_from_keychain(key):
    """Reads what QtKeychain stored for `key` over the Secret Service D-Bus API."""
    from gi.repository import Gio, GLib
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    def call(method, args, reply):
        return bus.call_sync("org.freedesktop.secrets", "/org/freedesktop/secrets",
                             "org.freedesktop.Secret.Service", method, args, GLib.VariantType(reply),
                             Gio.DBusCallFlags.NONE, 5000, None).unpack()

    unlocked, locked = call("SearchItems", GLib.Variant("(a{ss})", ({"user": key},)), "(aoao)")
    if not unlocked:
        return None
    _, session = call("OpenSession", GLib.Variant("(sv)", ("plain", GLib.Variant("s", ""))), "(vo)")
    (secrets,) = call("GetSecrets", GLib.Variant("(aoo)", (unlocked, session)), "(a{o(oayays)})")
    for _, (_, _, value, _) in secrets.items():
        return bytes(value).decode()
    return None


def files_containing(root, needle):
    hits = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            path = os.path.join(dirpath, f)
            try:
                with open(path, "rb") as fh:
                    if needle.encode() in fh.read():
                        hits.append(path)
            except OSError:
                pass
    return hits


def print_tail(path, lines=40):
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            print(f"---- the console's last {lines} lines ----\n" + "".join(f.readlines()[-lines:]), flush=True)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, sandbox_binary = (os.path.abspath(a) for a in sys.argv[1:3])
    arm_deadline(int(os.environ.get("TSP_E2E_TIMEOUT", "100")))
    started = time.time()

    session = DesktopSession(1280, 800, tray=False)
    status = 1
    try:
        home = os.path.join(session.tmp, "home")
        config_home = os.path.join(home, ".config")
        data_home = os.path.join(home, ".local", "share")
        for d in (config_home, data_home):
            os.makedirs(d, exist_ok=True)
        session.env.update({"HOME": home, "XDG_CONFIG_HOME": config_home, "XDG_DATA_HOME": data_home})
        start_keyring(session)
        sandbox, info = start_sandbox(session, sandbox_binary)

        log_path = os.path.join(session.tmp, "app.log")
        # An empty config, no .env in the working dir (the console reads ./.env), English.
        os.chdir(session.tmp)
        proc = session.launch([binary], {"LANG": "C.UTF-8", "LANGUAGE": "en", "LC_ALL": "C.UTF-8"}, log_path)
        os.environ.update({k: session.env[k] for k in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")})
        import gi
        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi

        app = App(Atspi, proc.pid)
        wait_until("the console on the accessibility bus", app.find_root, 60)
        log("the first-run wizard is up")

        # Page 1: import a .env (skipped). Page 2: the Feishu app.
        press(app, "Next")
        type_into(app, "App ID", info["app_id"])
        type_into(app, "App Secret", info["app_secret"])
        domain = wait_until("the Domain combo", lambda: find_combo(app, Atspi, "Domain", r"^Domain"), 20)
        choose_last(app, session, Atspi, domain, r"custom")
        type_into(app, "Custom domain URL", info["feishu"])
        press(app, "Test connection")
        result = wait_until("the Feishu test result", lambda: label_starting(app, "Working") or
                            label_starting(app, "Failed") or label_starting(app, "The platform"), 30)
        if not result.get_name().startswith("Working"):
            raise Failure(f"the Feishu test failed: {result.get_name()}")
        log(f"Feishu test: {result.get_name()}")
        press(app, "Next")  # the checklist
        press(app, "Next")  # the LLM
        provider = wait_until("the LLM provider combo",
                              lambda: find_combo(app, Atspi, "LLM provider", r"^Provider"), 20)
        choose_last(app, session, Atspi, provider, r"custom")
        type_into(app, "Base URL", info["llm"])
        type_into(app, "Model", info["model"])
        type_into(app, "API key", LLM_KEY)
        press(app, "Test connection")
        result = wait_until("the LLM test result", lambda: label_starting(app, "Working") or
                            label_starting(app, "Failed"), 30)
        if not result.get_name().startswith("Working"):
            raise Failure(f"the LLM test failed: {result.get_name()}")
        log(f"LLM test: {result.get_name()}")
        press(app, "Next")  # the summary
        press(app, "Finish")
        log("Finish pressed")

        connection = wait_until("the main window's Connection label",
                                lambda: app.find("Connection state", {"label"}), 40)
        wait_until("the status bar to say Connected", lambda: app.description(connection).startswith("Connected"),
                   40)
        log(f"status bar: {app.description(connection)}")

        stored = secret_from_keychain("FEISHU_APP_SECRET")
        if stored != info["app_secret"]:
            raise Failure(f"the App Secret is not in the keychain (found {stored!r:.12})")
        if secret_from_keychain("LLM_API_KEY") != LLM_KEY:
            raise Failure("the LLM API key is not in the keychain")
        log("both secrets are in the keychain")
        app_dirs = [os.path.join(config_home, "tsp-assistant"), os.path.join(data_home, "tsp-assistant")]
        if not os.path.exists(os.path.join(app_dirs[0], "tsp-assistant.ini")):
            raise Failure(f"no saved settings in {app_dirs[0]}")
        for secret in (info["app_secret"], LLM_KEY):
            hits = files_containing(home, secret)
            if hits:
                raise Failure(f"a secret is in plaintext in {hits}")
        log(f"no file under {home} (config and data dirs included) holds a secret")

        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(20)
        if code != 0:
            raise Failure(f"the console exited with {code} on SIGTERM")
        with open(log_path, "rb") as f:
            output = f.read()
        for secret in (info["app_secret"], LLM_KEY):
            if secret.encode() in output:
                raise Failure("a secret is in the console's output")
        sandbox.stdin.close()
        log(f"passed in {time.time() - started:.1f} s")
        status = 0
    except Failure as e:
        log(f"FAILED: {e}")
        print_tail(os.path.join(session.tmp, "app.log"))
    finally:
        signal.alarm(0)
        session.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
