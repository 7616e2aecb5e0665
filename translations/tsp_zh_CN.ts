<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConnectionLook</name>
    <message>
        <location filename="../ui/connectionlook.cpp" line="38"/>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="40"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="42"/>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="44"/>
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="46"/>
        <source>Connection failed</source>
        <translation>连接失败</translation>
    </message>
</context>
<context>
    <name>ConsoleRunner</name>
    <message>
        <location filename="../app/consolerunner.cpp" line="35"/>
        <source>direct chat</source>
        <translation>私聊</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="52"/>
        <source>TSP Assistant</source>
        <translation>TSP 助手</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="78"/>
        <source>The configuration is not valid: %1</source>
        <translation>配置无效：%1</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="91"/>
        <source>Another tsp-assistant (%1) is already running on the data dir %2. Stop it first, or give this one its own --data-dir.</source>
        <translation>另一个 tsp-assistant（%1）已在数据目录 %2 上运行。请先停止它，或为本实例指定单独的 --data-dir。</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="105"/>
        <source>The demo sandbox could not start: %1</source>
        <translation>演示沙箱无法启动：%1</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="118"/>
        <source>FEISHU_APP_ID and FEISHU_APP_SECRET are not set. Put them in .env (or the environment), or try the console on the local sandbox with --demo.</source>
        <translation>未设置 FEISHU_APP_ID 和 FEISHU_APP_SECRET。请写入 .env（或环境变量），或使用 --demo 在本地沙箱上试用控制台。</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="138"/>
        <source>The bot cannot start: %1</source>
        <translation>机器人无法启动：%1</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="191"/>
        <source>TSP Assistant (demo)</source>
        <translation>TSP 助手（演示）</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="241"/>
        <source>A conversation needs a person</source>
        <translation>有会话需要人工处理</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="248"/>
        <source>A draft waits for your review</source>
        <translation>有草稿等待您审核</translation>
    </message>
</context>
<context>
    <name>LogPage</name>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="36"/>
        <source>Log level</source>
        <translation>日志级别</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="37"/>
        <source>All levels</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="38"/>
        <source>Info and above</source>
        <translation>信息及以上</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="39"/>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="40"/>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="45"/>
        <source>Log category</source>
        <translation>日志类别</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="51"/>
        <location filename="../ui/logs/logpage.cpp" line="52"/>
        <source>Search the log</source>
        <translation>搜索日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="55"/>
        <location filename="../ui/logs/logpage.cpp" line="182"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="57"/>
        <source>Pause the log</source>
        <translation>暂停日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="60"/>
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="62"/>
        <source>Follow new lines</source>
        <translation>跟随新日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="65"/>
        <location filename="../ui/logs/logpage.cpp" line="83"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="67"/>
        <source>Copy the selected lines</source>
        <translation>复制所选行</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="68"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="70"/>
        <source>Save the shown lines as a file</source>
        <translation>将显示的行保存为文件</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="74"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="88"/>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="159"/>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="170"/>
        <source>The log is paused. Press Resume to see new lines.</source>
        <translation>日志已暂停。点击“继续”查看新日志。</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="171"/>
        <source>No log lines yet. Lines appear here as the bot works.</source>
        <translation>还没有日志。机器人工作时日志会显示在这里。</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="173"/>
        <source>No log lines match the filters. Clear the search or choose another level or category.</source>
        <translation>没有符合筛选条件的日志。请清除搜索，或选择其他级别或类别。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/logs/logpage.cpp" line="185"/>
        <source>Resume (%n new)</source>
        <translation>
            <numerusform>继续（%n 条新日志）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="185"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="253"/>
        <location filename="../ui/logs/logpage.cpp" line="258"/>
        <source>Save the log</source>
        <translation>保存日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="253"/>
        <source>Log files (*.log *.txt)</source>
        <translation>日志文件 (*.log *.txt)</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="258"/>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="26"/>
        <source>TSP Assistant</source>
        <translation>TSP 助手</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="30"/>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="41"/>
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="42"/>
        <source>The live conversations, review and takeover. This build has no conversations page yet.</source>
        <translation>实时会话、审核与接管。此版本尚未包含会话页面。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43"/>
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="44"/>
        <source>The knowledge base editor. This build has no knowledge page yet.</source>
        <translation>知识库编辑器。此版本尚未包含知识库页面。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45"/>
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="46"/>
        <source>Charts of the bot&apos;s work and the connection health. This build has no dashboard yet.</source>
        <translation>机器人工作情况与连接健康的图表。此版本尚未包含仪表盘。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="47"/>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="48"/>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="49"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="84"/>
        <source>Next conversation that needs a person</source>
        <translation>下一个需要人工的会话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="86"/>
        <source>Take over / hand back</source>
        <translation>接管 / 交还机器人</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87"/>
        <source>Approve the draft</source>
        <translation>批准草稿</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="88"/>
        <source>Write a reply</source>
        <translation>撰写回复</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="89"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="102"/>
        <source>Show %1</source>
        <translation>显示%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="107"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="109"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="158"/>
        <source>Send the reply (in the reply box)</source>
        <translation>发送回复（在回复框中）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="159"/>
        <source>Insert a knowledge entry (in the reply box)</source>
        <translation>插入知识条目（在回复框中）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="230"/>
        <source>Quit TSP Assistant</source>
        <translation>退出 TSP 助手</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="231"/>
        <source>Quit the console? The bot stops answering in Feishu until the console or the headless bot runs again.</source>
        <translation>退出控制台？在控制台或无界面机器人再次运行之前，机器人将不再在飞书中回复。</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="12"/>
        <location filename="../ui/shortcutsdialog.cpp" line="15"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="16"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="16"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../ui/statuspanel.cpp" line="79"/>
        <source>%1 · bot paused</source>
        <translation>%1 · 机器人已暂停</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="81"/>
        <source>Connection</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="90"/>
        <source>Needs a person: %1</source>
        <translation>需人工：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="91"/>
        <source>Conversations that need a person</source>
        <translation>需要人工的会话</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="92"/>
        <source>Click to open the next conversation that needs a person</source>
        <translation>点击打开下一个需要人工的会话</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="96"/>
        <source>Drafts waiting: %1</source>
        <translation>待审草稿：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="97"/>
        <source>Drafts waiting for review</source>
        <translation>等待审核的草稿</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <location filename="../app/traycontroller.cpp" line="18"/>
        <location filename="../app/traycontroller.cpp" line="128"/>
        <source>Show the console</source>
        <translation>显示控制台</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="21"/>
        <source>Pause the bot (new conversations go to a person)</source>
        <translation>暂停机器人（新会话转人工）</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="24"/>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="32"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="128"/>
        <source>Hide the console</source>
        <translation>隐藏控制台</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="133"/>
        <source>TSP Assistant: %1</source>
        <translation>TSP 助手：%1</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="135"/>
        <source>The bot is paused</source>
        <translation>机器人已暂停</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="136"/>
        <source>%n conversation(s) need a person</source>
        <translation>
            <numerusform>%n 个会话需要人工</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="137"/>
        <source>%n draft(s) waiting</source>
        <translation>
            <numerusform>%n 个草稿待审核</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="221"/>
        <source>TSP Assistant</source>
        <translation>TSP 助手</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="222"/>
        <source>%n more conversation(s) need your attention. Open the console to see them.</source>
        <translation>
            <numerusform>另有 %n 个会话需要您处理。请打开控制台查看。</numerusform>
        </translation>
    </message>
</context>
</TS>
