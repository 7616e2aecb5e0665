#!/usr/bin/python3
"""End-to-end test of the real console in a real window, driven from outside through AT-SPI the
way a screen reader does (see ../shared/design/toolchain.md). Usage:

    console_atspi.py /path/to/tsp-assistant

Starts Xvfb, a private session bus, the AT-SPI bus and trayer, then `tsp-assistant --demo` on a
temp data dir, and checks:
  shell:         the window, the navigation, the status bar's connection word, the tray icon,
                 the live Log view;
  conversations: select a conversation, Take over, type into Reply, Send, the reply reaches the
                 sandbox and shows in the Thread, Hand back, the Mode control; then the demo's
                 review group: a draft shows in the banner, Approve sends it, the sandbox receives
                 it and the Thread shows it sent;
  knowledge:     Search knowledge, select an entry in the Knowledge table, edit Title and
                 Solution, Save; the console's own search and `tsp-assistant kb search --json`
                 (the real binary, a second process on the same data dir) find the new text;
  dashboard:     the Dashboard and Connection pages exist and show their figures.
Exits 0 when everything passed, 1 on a failure, 77 (ctest: skipped) when the build has no
Conversations page yet (the shell checks still ran and passed). Stops by itself after TSP_E2E_TIMEOUT
seconds (default 240) and always cleans up every process it started.
"""

import json
import os
import re
import subprocess
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desktop_session import DesktopSession  # noqa: E402

SKIP = 77


class Failure(Exception):
    pass


def log(msg):
    print(f"[atspi {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def arm_deadline(timeout):
    """The whole test fails (Failure) after `timeout` seconds, or when it is sent SIGTERM."""
    def on_alarm(signum, frame):
        raise Failure(f"the whole test took longer than {timeout} s")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, lambda s, f: (_ for _ in ()).throw(Failure("terminated")))
    signal.alarm(timeout)


def wait_until(what, fn, timeout=30.0, interval=0.2):
    deadline = time.time() + timeout
    last_error = None
    while time.time() < deadline:
        try:
            value = fn()
            if value:
                return value
        except Exception as e:  # AT-SPI objects can go stale while the UI changes
            last_error = e
        time.sleep(interval)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what}" + (f" ({last_error})" if last_error else ""))


class App:
    def __init__(self, Atspi, pid):
        self.Atspi = Atspi
        self.pid = pid
        self.root = None

    def find_root(self):
        desktop = self.Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is not None and child.get_process_id() == self.pid:
                self.root = child
                return child
        return None

    ITEM_CONTAINERS = {"list", "table", "tree", "tree table", "list box"}

    def find(self, name=None, roles=None, root=None, pred=None, into_items=False):
        """Breadth-first search by accessible name and role; rows of big views are skipped."""
        queue = [root or self.root]
        while queue:
            node = queue.pop(0)
            if node is None:
                continue
            try:
                role = node.get_role_name()
                n = node.get_name()
            except Exception:
                continue
            if (name is None or n == name) and (roles is None or role in roles) and (pred is None or pred(node)):
                if node is not (root or self.root):
                    return node
            if role in self.ITEM_CONTAINERS and not into_items and node is not (root or self.root):
                continue
            try:
                count = node.get_child_count()
            except Exception:
                continue
            for i in range(min(count, 500)):
                queue.append(node.get_child_at_index(i))
        return None

    def children(self, node):
        return [node.get_child_at_index(i) for i in range(node.get_child_count())]

    def showing(self, node):
        states = node.get_state_set()
        return states.contains(self.Atspi.StateType.SHOWING) and states.contains(self.Atspi.StateType.VISIBLE)

    def enabled(self, node):
        return node.get_state_set().contains(self.Atspi.StateType.ENABLED)

    def press(self, node):
        action = node.get_action_iface()
        for i in range(action.get_n_actions()):
            if action.get_action_name(i) in ("Press", "press", "click"):
                return action.do_action(i)
        return action.do_action(0)

    def description(self, node):
        return node.get_description() or ""

    def text(self, node):
        t = node.get_text_iface()
        return t.get_text(0, -1) if t else ""


def click_at(session, node, Atspi):
    ext = node.get_extents(Atspi.CoordType.SCREEN)
    x, y = ext.x + ext.width // 2, ext.y + ext.height // 2
    session.run(["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1"], check=True)


def shell_checks(app, session, Atspi, log_path):
    nav = wait_until("the Navigation list", lambda: app.find("Navigation", {"list", "list box"}))
    names = [c.get_name() for c in app.children(nav)]
    log(f"navigation: {names}")
    for page in ("Conversations", "Knowledge", "Dashboard", "Logs"):
        if page not in names:
            raise Failure(f"the navigation has no {page}: {names}")
    connection = wait_until("the Connection label", lambda: app.find("Connection state", {"label"}))
    wait_until("the status bar to say Connected", lambda: app.description(connection).startswith("Connected"), 60)
    log(f"status bar: {app.description(connection)}")
    attention = app.find("Conversations that need a person", {"label"})
    drafts = app.find("Drafts waiting for review", {"label"})
    if attention is None or drafts is None:
        raise Failure("the status bar has no attention or draft count")
    log(f"status bar: {app.description(attention)} / {app.description(drafts)}")

    # The tray host docked the icon (the console logs it when the icon is shown).
    wait_until("the tray icon", lambda: "tray icon shown" in open(log_path, encoding="utf-8", errors="replace").read(), 30)

    # The Logs page: select it in the navigation, the Log view fills with the live lines.
    logs_item = [c for c in app.children(nav) if c.get_name() == "Logs"][0]
    click_at(session, logs_item, Atspi)
    view = wait_until("the Log view", lambda: (lambda v: v if v is not None and app.showing(v) else None)(
        app.find("Log", {"list", "list box"})), 15)
    wait_until("log lines in the Log view", lambda: view.get_child_count() > 0, 30)
    first = view.get_child_at_index(0).get_name()
    if not re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (INFO |WARN |ERROR|DEBUG) tsp\.", first):
        raise Failure(f"a Log row is not a log line: {first!r}")
    log(f"log view: {view.get_child_count()} rows, first {first[:80]!r}")
    conversations_item = [c for c in app.children(nav) if c.get_name() == "Conversations"][0]
    click_at(session, conversations_item, Atspi)


def sandbox_lines(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return [line for line in f if "demo ◀" in line]


def find_combo(app, Atspi, name, label_pattern):
    """A combo box by its accessible name. Qt names a combo box after its current text on Linux
    and exposes its label through a labelled-by relation, as screen readers expect: a combo whose
    label matches label_pattern counts too."""
    direct = app.find(name, {"combo box"})
    if direct is not None:
        return direct

    def labelled(node):
        try:
            for rel in node.get_relation_set() or []:
                if rel.get_relation_type() != Atspi.RelationType.LABELLED_BY:
                    continue
                for i in range(rel.get_n_targets()):
                    target = rel.get_target(i)
                    if target is not None and re.match(label_pattern, target.get_name() or ""):
                        return True
        except Exception:
            return False
        return False

    return app.find(None, {"combo box"}, pred=labelled)


def find_mode_control(app, Atspi):
    """The session's Mode control."""
    return find_combo(app, Atspi, "Mode", r"^(Mode|模式)")


def conversation_checks(app, session, Atspi, log_path):
    conversations = app.find("Conversations", {"list", "table", "tree", "tree table", "list box"})
    if conversations is None:
        return False
    rows = wait_until("conversations in the list", lambda: app.children(conversations) or None, 60)
    target = None
    for row in rows:
        if re.search(r"王先生|ou_demo_wang", row.get_name() or ""):
            target = row
    target = target or rows[0]
    log(f"selecting the conversation {target.get_name()[:60]!r}")
    click_at(session, target, Atspi)

    thread = wait_until("the Thread", lambda: app.find("Thread"))
    wait_until("turns in the Thread", lambda: thread.get_child_count() > 0, 20)

    take_over = wait_until("Take over", lambda: app.find("Take over", {"push button"}))
    app.press(take_over)
    reply = wait_until("the Reply box", lambda: (lambda r: r if r is not None and app.enabled(r) else None)(
        app.find("Reply", {"text", "entry", "paragraph"})), 10)
    marker = f"e2e-{os.getpid()}"
    text = f"您好，我是人工客服，已经为您查看了车辆状态（{marker}）。"
    reply.get_editable_text_iface().set_text_contents(text)
    wait_until("the typed text in Reply", lambda: marker in app.text(reply), 5)
    before = len(sandbox_lines(log_path))
    app.press(wait_until("Send", lambda: app.find("Send", {"push button"})))
    wait_until("the reply at the sandbox", lambda: any(marker in line for line in sandbox_lines(log_path)[before:]), 30)
    log("the operator reply reached the sandbox")

    def sent_in_thread():
        for row in app.children(thread):
            name = (row.get_name() or "") + " " + app.description(row)
            if marker in name:
                return re.search(r"\bsent\b|已发送", name, re.I) is not None
        return False

    wait_until("the reply in the Thread as sent", sent_in_thread, 30)
    log("the Thread shows the reply as sent")

    app.press(wait_until("Hand back", lambda: app.find("Hand back", {"push button"})))
    wait_until("Take over again after Hand back", lambda: app.find("Take over", {"push button"}), 10)
    log("handed back")

    wait_until("the Mode control", lambda: find_mode_control(app, Atspi))
    log("the Mode control is there")
    approve_draft(app, session, Atspi, log_path, conversations, thread)
    return True


def approve_draft(app, session, Atspi, log_path, conversations, thread):
    """The demo puts one group (the owners' group) in review mode from its first message on, and
    its customer keeps writing: select that conversation, wait for the bot's draft in the banner,
    Approve it, and follow it to the sandbox and into the Thread as sent."""
    def review_row():
        for row in app.children(conversations):
            if re.search(r", (Review|审核),", row.get_name() or ""):
                return row
        return None

    row = wait_until("a conversation in review mode (the demo's owners' group)", review_row, 60)
    log(f"selecting the reviewed conversation {row.get_name()[:60]!r}")
    click_at(session, row, Atspi)

    def ready_approve():
        b = app.find("Approve", {"push button"})
        return b if b is not None and app.showing(b) and app.enabled(b) else None

    # The list is ordered by the newest message, and the demo keeps writing: a row can move between
    # finding it and the click landing. When no draft shows for a while, the row is clicked again.
    clicked = {"at": time.time()}

    def selected_with_draft():
        button = ready_approve()
        if button is None and time.time() - clicked["at"] > 5:
            again = review_row()
            if again is not None:
                log(f"selecting the reviewed conversation again {again.get_name()[:60]!r}")
                click_at(session, again, Atspi)
            clicked["at"] = time.time()
        return button

    approve = wait_until("a draft with an enabled Approve button", selected_with_draft, 60)
    for name in ("Edit draft", "Reject"):
        if app.find(name, {"push button"}) is None:
            raise Failure(f"the draft banner has no {name}")
    draft_label = wait_until("the draft text", lambda: app.find("Draft text", {"label"}))
    draft = wait_until("the draft's text in its description", lambda: app.description(draft_label).strip(), 10)
    log(f"the draft: {draft[:60]!r}")
    before = len(sandbox_lines(log_path))
    app.press(approve)
    probe = draft.splitlines()[0].strip()[:12]
    # The demo's owners keep writing, so the customer may have written again since the draft was
    # made: the banner then asks to press Approve again (its warning says so, once the press has
    # been handled), and the draft is sent only then. A newer draft may also have replaced the
    # one pressed; then that one is approved. Both are watched for while the sandbox is.
    state = {"probe": probe, "confirmed": False, "presses": 1}

    def approved_at_sandbox():
        if any(state["probe"] in line for line in sandbox_lines(log_path)[before:]):
            return True
        warning = app.find("Draft warning", {"label"})
        if (not state["confirmed"] and warning is not None and app.showing(warning)
                and "again" in app.description(warning)):
            log(f"the banner asks to confirm: {app.description(warning)!r}")
            state["confirmed"] = True
            app.press(approve)
            return False
        current = app.description(draft_label).strip()
        if current and current.splitlines()[0].strip()[:12] != state["probe"] and state["presses"] < 4:
            button = ready_approve()
            if button is not None:
                log(f"a newer draft replaced it: {current[:60]!r}")
                state.update(probe=current.splitlines()[0].strip()[:12], confirmed=False,
                             presses=state["presses"] + 1)
                app.press(button)
        return False

    wait_until("the approved draft at the sandbox", approved_at_sandbox, 30)
    probe = state["probe"]
    log("the approved draft reached the sandbox")

    def approved_in_thread():
        for r in app.children(thread):
            name = (r.get_name() or "") + " " + app.description(r)
            if probe in name and re.search(r"\bsent\b|已发送", name, re.I):
                return True
        return False

    wait_until("the approved draft in the Thread as sent", approved_in_thread, 30)
    log("the Thread shows the approved draft as sent")


def select_page(app, session, Atspi, page):
    nav = app.find("Navigation", {"list", "list box"})
    item = [c for c in app.children(nav) if c.get_name() == page][0]
    click_at(session, item, Atspi)


def showing_named(app, name, roles=None):
    node = app.find(name, roles, pred=lambda n: app.showing(n))
    return node


def kb_search(binary, data_dir, query):
    """`tsp-assistant kb search --json` in a process of its own, on the console's data dir (kb
    takes no instance lock: it reads the same SQLite database while the console runs)."""
    out = subprocess.run([binary, "kb", "search", "--json", "--top", "3", "--data-dir", data_dir, query],
                         capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen"))
    if out.returncode != 0:
        raise Failure(f"kb search exited with {out.returncode}: {out.stderr.strip()[:300]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def knowledge_checks(app, session, Atspi, binary, data_dir):
    select_page(app, session, Atspi, "Knowledge")
    search = wait_until("Search knowledge", lambda: showing_named(app, "Search knowledge", {"text", "entry"}), 15)
    table = wait_until("the Knowledge table", lambda: showing_named(app, "Knowledge", {"table", "tree table"}), 10)
    query = "车机网络显示E"
    search.get_editable_text_iface().set_text_contents(query)

    def first_row_cell():
        cells = [c for c in app.children(table) if c.get_role_name() == "table cell"]
        ids = [c for c in cells if re.match(r"^KB-\d+$", c.get_name() or "")]
        return ids[0] if ids else None

    cell = wait_until(f"hits for {query!r} in the Knowledge table", first_row_cell, 20)
    entry_id = cell.get_name()
    log(f"the Knowledge table's first hit for {query!r}: {entry_id}")
    click_at(session, cell, Atspi)
    title = wait_until("the Title field", lambda: showing_named(app, "Title", {"text", "entry"}), 10)
    solution = wait_until("the Solution field", lambda: showing_named(app, "Solution", {"text", "paragraph", "entry"}), 10)
    wait_until(f"the entry {entry_id} in the form", lambda: app.text(title).strip() != "", 10)
    marker = f"E2E{os.getpid()}"
    new_title = f"车机网络只显示E（{marker}修订）"
    new_solution = "长按方向盘左侧的星形按键十秒，车机会重新注册网络；仍显示E时请到服务站检查天线。"
    title.get_editable_text_iface().set_text_contents(new_title)
    solution.get_editable_text_iface().set_text_contents(new_solution)
    wait_until("the typed text in Solution", lambda: "星形按键" in app.text(solution), 5)
    save = wait_until("Save", lambda: showing_named(app, "Save", {"push button"}))
    app.press(save)

    # The console's own search (the bot's retrieval) finds the new text.
    search.get_editable_text_iface().set_text_contents("方向盘星形按键")

    def found_in_table():
        names = [c.get_name() or "" for c in app.children(table)]
        return entry_id in names and any(marker in n for n in names)

    wait_until("the edited entry when searching its new solution in the console", found_in_table, 20)
    log(f"the console's search finds {entry_id} with the new title")

    # A second process, the real binary's kb command, finds it too.
    result = kb_search(binary, data_dir, "方向盘星形按键十秒重新注册网络")
    hits = result.get("results", [])
    if not hits or hits[0].get("id") != entry_id or marker not in hits[0].get("title", ""):
        raise Failure(f"kb search does not find the new text of {entry_id} first: {result}")
    log(f"kb search --json: {hits[0]}")


def labels_with_description(app, root, roles=("label",)):
    found = []
    queue = [root]
    while queue:
        node = queue.pop(0)
        if (roles is None or node.get_role_name() in roles) and app.description(node):
            found.append(node)
        queue += app.children(node)
    return found


def dashboard_checks(app, session, Atspi):
    select_page(app, session, Atspi, "Dashboard")
    tab = wait_until("the Dashboard tab", lambda: app.find("Dashboard", {"page tab"}), 15)
    dashboard = wait_until("the Dashboard page", lambda: showing_named(app, "Dashboard", {"filler", "panel"}), 15)

    def kpi():
        for node in labels_with_description(app, dashboard):
            if app.description(node).startswith("Conversations today") and re.match(r"^\d+$", node.get_name() or ""):
                return node
        return None

    tile = wait_until("the KPI tile 'Conversations today' with a figure", kpi, 20)
    log(f"dashboard: {tab.get_name()!r}, {app.description(tile)!r} shows {tile.get_name()!r}")
    # A chart tells a screen reader its data in its description.
    chart = wait_until("the per-hour chart's description", lambda: next(
        (n for n in labels_with_description(app, dashboard, roles=None) if n.get_name() == "Messages per hour"
         and re.search(r"Customers: (none|\d+ in all)", app.description(n))), None), 20)
    log(f"the per-hour chart says: {app.description(chart)[:120]!r}")
    if app.find("Refresh dashboard", {"push button"}, root=dashboard) is None:
        raise Failure("the Dashboard has no Refresh button")
    connection_tab = wait_until("the Connection tab", lambda: app.find("Connection", {"page tab"}), 10)
    click_at(session, connection_tab, Atspi)
    panel = wait_until("the Connection panel", lambda: showing_named(app, "Connection", {"filler", "panel"}), 15)
    if app.find("Reconnect", {"push button"}, root=panel) is None:
        raise Failure("the Connection panel has no Reconnect button")
    # Each figure is a label: its text (the accessible name) is the value, its description
    # says which figure it is.
    figures = {app.description(n): n.get_name() or "" for n in labels_with_description(app, panel)}
    if not figures.get("Connection state", "").startswith("Connected"):
        raise Failure(f"the Connection panel does not show the state: {figures}")
    if not re.search(r"\d", figures.get("ACK latency", "")):
        raise Failure(f"the Connection panel shows no ACK latency: {figures}")
    log(f"connection panel: {len(figures)} figures, e.g. {list(figures.items())[:3]}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    arm_deadline(int(os.environ.get("TSP_E2E_TIMEOUT", "240")))

    session = DesktopSession(1280, 800, tray=True)
    status = 1
    try:
        data_dir = os.path.join(session.tmp, "data")
        log_path = os.path.join(session.tmp, "app.log")
        proc = session.launch([binary, "--demo", "--data-dir", data_dir],
                              {"TSP_DEMO_INTERVAL_MS": "1500", "LANG": "C.UTF-8", "LANGUAGE": "en"}, log_path)
        # Import only now: Atspi reads DISPLAY and the bus at import time.
        os.environ.update({k: session.env[k] for k in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")})
        import gi
        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi

        app = App(Atspi, proc.pid)
        wait_until("the console on the accessibility bus", app.find_root, 60)
        wid = session.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(proc.pid)],
                          capture_output=True, text=True, timeout=30).stdout.split()
        if wid:
            session.run(["xdotool", "windowfocus", "--sync", wid[-1]], timeout=10)
        shell_checks(app, session, Atspi, log_path)
        log("shell checks passed")
        full = conversation_checks(app, session, Atspi, log_path)
        if full:
            knowledge_checks(app, session, Atspi, binary, data_dir)
            log("knowledge checks passed")
            dashboard_checks(app, session, Atspi)
            log("dashboard checks passed")
        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(20)
        if code != 0:
            raise Failure(f"the console exited with {code} on SIGTERM")
        log("the console quit cleanly on SIGTERM")
        if not full:
            log("SKIPPED the conversation checks: this build has no Conversations page yet")
            status = SKIP
        else:
            status = 0
    except Failure as e:
        log(f"FAILED: {e}")
        try:
            with open(os.path.join(session.tmp, "app.log"), encoding="utf-8", errors="replace") as f:
                tail = f.readlines()[-40:]
            print("---- last lines of the console's output ----\n" + "".join(tail), flush=True)
        except OSError:
            pass
        status = 1
    finally:
        signal.alarm(0)
        session.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
