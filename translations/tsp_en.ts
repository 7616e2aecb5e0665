<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ConnectionLook</name>
    <message>
        <location filename="../ui/connectionlook.cpp" line="38"/>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="40"/>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="42"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="44"/>
        <source>Reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="46"/>
        <source>Connection failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsoleRunner</name>
    <message>
        <location filename="../app/consolerunner.cpp" line="35"/>
        <source>direct chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="52"/>
        <source>TSP Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="78"/>
        <source>The configuration is not valid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="91"/>
        <source>Another tsp-assistant (%1) is already running on the data dir %2. Stop it first, or give this one its own --data-dir.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="105"/>
        <source>The demo sandbox could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="118"/>
        <source>FEISHU_APP_ID and FEISHU_APP_SECRET are not set. Put them in .env (or the environment), or try the console on the local sandbox with --demo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="138"/>
        <source>The bot cannot start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="191"/>
        <source>TSP Assistant (demo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="241"/>
        <source>A conversation needs a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="248"/>
        <source>A draft waits for your review</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogPage</name>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="36"/>
        <source>Log level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="37"/>
        <source>All levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="38"/>
        <source>Info and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="39"/>
        <source>Warnings and errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="40"/>
        <source>Errors only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="45"/>
        <source>Log category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="51"/>
        <location filename="../ui/logs/logpage.cpp" line="52"/>
        <source>Search the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="55"/>
        <location filename="../ui/logs/logpage.cpp" line="182"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="57"/>
        <source>Pause the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="60"/>
        <source>Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="62"/>
        <source>Follow new lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="65"/>
        <location filename="../ui/logs/logpage.cpp" line="83"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="67"/>
        <source>Copy the selected lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="68"/>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="70"/>
        <source>Save the shown lines as a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="74"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="88"/>
        <source>Select all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="159"/>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="170"/>
        <source>The log is paused. Press Resume to see new lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="171"/>
        <source>No log lines yet. Lines appear here as the bot works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="173"/>
        <source>No log lines match the filters. Clear the search or choose another level or category.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/logs/logpage.cpp" line="185"/>
        <source>Resume (%n new)</source>
        <translation>
            <numerusform>Resume (%n new)</numerusform>
            <numerusform>Resume (%n new)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="185"/>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="253"/>
        <location filename="../ui/logs/logpage.cpp" line="258"/>
        <source>Save the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="253"/>
        <source>Log files (*.log *.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="258"/>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="26"/>
        <source>TSP Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="30"/>
        <source>Navigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="41"/>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="42"/>
        <source>The live conversations, review and takeover. This build has no conversations page yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43"/>
        <source>Knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="44"/>
        <source>The knowledge base editor. This build has no knowledge page yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45"/>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="46"/>
        <source>Charts of the bot&apos;s work and the connection health. This build has no dashboard yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="47"/>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="48"/>
        <source>Tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="49"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="84"/>
        <source>Next conversation that needs a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="86"/>
        <source>Take over / hand back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87"/>
        <source>Approve the draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="88"/>
        <source>Write a reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="89"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="102"/>
        <source>Show %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="107"/>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="109"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="158"/>
        <source>Send the reply (in the reply box)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="159"/>
        <source>Insert a knowledge entry (in the reply box)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="230"/>
        <source>Quit TSP Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="231"/>
        <source>Quit the console? The bot stops answering in Feishu until the console or the headless bot runs again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="12"/>
        <location filename="../ui/shortcutsdialog.cpp" line="15"/>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="16"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="16"/>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../ui/statuspanel.cpp" line="79"/>
        <source>%1 · bot paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="81"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="90"/>
        <source>Needs a person: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="91"/>
        <source>Conversations that need a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="92"/>
        <source>Click to open the next conversation that needs a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="96"/>
        <source>Drafts waiting: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="97"/>
        <source>Drafts waiting for review</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <location filename="../app/traycontroller.cpp" line="18"/>
        <location filename="../app/traycontroller.cpp" line="128"/>
        <source>Show the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="21"/>
        <source>Pause the bot (new conversations go to a person)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="24"/>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="32"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="128"/>
        <source>Hide the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="133"/>
        <source>TSP Assistant: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="135"/>
        <source>The bot is paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="136"/>
        <source>%n conversation(s) need a person</source>
        <translation>
            <numerusform>%n conversation needs a person</numerusform>
            <numerusform>%n conversations need a person</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="137"/>
        <source>%n draft(s) waiting</source>
        <translation>
            <numerusform>%n draft waiting</numerusform>
            <numerusform>%n drafts waiting</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="221"/>
        <source>TSP Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="222"/>
        <source>%n more conversation(s) need your attention. Open the console to see them.</source>
        <translation>
            <numerusform>%n more conversation needs your attention. Open the console to see them.</numerusform>
            <numerusform>%n more conversations need your attention. Open the console to see them.</numerusform>
        </translation>
    </message>
</context>
</TS>
