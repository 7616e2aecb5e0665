<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>Autostart</name>
    <message>
        <location filename="../core/config/autostart.cpp" line="46" />
        <source>Cannot remove %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/autostart.cpp" line="52" />
        <source>Cannot create the folder of %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/autostart.cpp" line="72" />
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="50" />
        <source>Conversation state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="52" />
        <location filename="../ui/conversations/composer.cpp" line="54" />
        <source>Take over</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="56" />
        <source>Handle this conversation yourself; the bot stops answering it (Ctrl+Shift+T)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="57" />
        <location filename="../ui/conversations/composer.cpp" line="59" />
        <source>Hand back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="60" />
        <source>Let the bot answer this conversation again (Ctrl+Shift+T)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="63" />
        <source>Mode</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="65" />
        <source>How this conversation is handled: the bot answers (Auto), drafts for you (Review), or stays quiet (Manual)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="68" />
        <source>New conversations:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="71" />
        <source>Default mode for new conversations</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="77" />
        <source>Reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="81" />
        <location filename="../ui/conversations/composer.cpp" line="83" />
        <source>Send</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="84" />
        <source>Send the reply (Ctrl+Enter)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="85" />
        <source>Knowledge…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="87" />
        <location filename="../ui/conversations/composer.cpp" line="89" />
        <source>Insert from knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="88" />
        <source>Search the knowledge base and insert a solution (Ctrl+K)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="94" />
        <source>Mode:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="164" />
        <source>No conversation selected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="166" />
        <source>Pick a conversation on the left to reply.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="175" />
        <source>Needs a person.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="179" />
        <source>The bot is handling this conversation. Take over to reply yourself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="180" />
        <source>Write a reply; Ctrl+Enter sends it.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConnectionLook</name>
    <message>
        <location filename="../ui/connectionlook.cpp" line="38" />
        <source>Not connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="40" />
        <source>Connecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="42" />
        <source>Connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="44" />
        <source>Reconnecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="46" />
        <source>Connection failed</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConsoleRunner</name>
    <message>
        <location filename="../app/consolerunner.cpp" line="43" />
        <source>direct chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="60" />
        <source>TSP Assistant</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="85" />
        <source>The configuration is not valid: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="98" />
        <source>Another tsp-assistant (%1) is already running on the data dir %2. Stop it first, or give this one its own --data-dir.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="111" />
        <source>The demo sandbox could not start: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="116" />
        <source>FEISHU_APP_ID and FEISHU_APP_SECRET are not set. Put them in .env (or the environment), or try the console on the local sandbox with --demo.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="136" />
        <source>The bot cannot start: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="190" />
        <source>TSP Assistant (demo)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="196" />
        <source>Dashboard and connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="198" />
        <source>Dashboard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="203" />
        <source>Connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="251" />
        <source>A conversation needs a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="258" />
        <source>A draft waits for your review</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConversationText</name>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="9" />
        <source>Auto</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="11" />
        <source>Review</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="13" />
        <source>Manual</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="22" />
        <source>The bot is handling this conversation.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="24" />
        <source>Review: the bot drafts, you approve, edit or reject.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="26" />
        <source>You are handling this conversation; the bot is quiet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="35" />
        <source>Customer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="37" />
        <source>Bot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="39" />
        <source>Operator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="41" />
        <source>System</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="52" />
        <source>Queued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="54" />
        <source>Sending</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="56" />
        <source>Sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="58" />
        <source>Failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="66" />
        <source>Low</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="68" />
        <source>Normal</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="70" />
        <source>High</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="72" />
        <source>Critical</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="84" />
        <source>Direct chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="94" />
        <source>now</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="96" />
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="98" />
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="99" />
        <source>%n d</source>
        <translation>
            <numerusform>%n d</numerusform>
            <numerusform>%n d</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="115" />
        <source>needs a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="117" />
        <source>draft waiting</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="119" />
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="71" />
        <source>Operator %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="81" />
        <source>lead %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="84" />
        <source>coverage %1%</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConversationsPage</name>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="78" />
        <source>Next conversation needing attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="80" />
        <source>Take over / hand back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="81" />
        <source>Approve draft</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="82" />
        <location filename="../ui/conversations/conversationspage.cpp" line="131" />
        <source>Search conversations</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="83" />
        <source>Write a reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="132" />
        <source>Search names and messages (Ctrl+F)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="134" />
        <source>Needs attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="136" />
        <source>Only conversations that need attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="139" />
        <source>Filter by mode</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="140" />
        <source>All modes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="145" />
        <source>Filter by chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="151" />
        <source>Conversations</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="159" />
        <location filename="../ui/conversations/conversationspage.cpp" line="269" />
        <source>No conversations yet: messages to the bot in Feishu appear here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="206" />
        <source>No conversation selected — pick one on the left.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="211" />
        <source>Conversation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="218" />
        <source>Mode and state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="225" />
        <source>Notice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="260" />
        <source>All chats</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="272" />
        <source>No conversation matches — clear the search or the filters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="323" />
        <source>needs a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="325" />
        <source>draft waiting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="346" />
        <source>That conversation is not known (yet).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="33" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="37" />
        <source>Dashboard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="46" />
        <source>Period</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="47" />
        <source>Day</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="48" />
        <source>Week</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="51" />
        <source>Date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="54" />
        <source>Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="56" />
        <source>Refresh dashboard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="66" />
        <source>Conversations today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="68" />
        <source>Answered by the bot alone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="68" />
        <source>Share answered by the bot alone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="70" />
        <source>Waiting for a person now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="70" />
        <source>Conversations waiting for a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="71" />
        <source>Median first reply today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="71" />
        <source>Median first reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="93" />
        <source>Messages per hour</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="94" />
        <source>Customer messages by day and hour</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="95" />
        <source>How conversations ended</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="96" />
        <source>Time to first reply (seconds)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="97" />
        <source>Top categories (bot-alone share)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="98" />
        <source>Draft outcomes (review mode)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="100" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="101" />
        <source>Loading…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="163" />
        <source>Updating…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="181" />
        <source>%1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="182" />
        <source>%1 min</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="190" />
        <source>Cannot compute the figures: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="195" />
        <source>No data for this day.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="195" />
        <source>No data for this week.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="220" />
        <source>Customers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="220" />
        <source>Replies</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="221" />
        <source>Messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="233" />
        <source>Bot alone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="233" />
        <source>Handed to a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="233" />
        <source>Operator takeover</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="234" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="237" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="265" />
        <source>Conversations</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="245" />
        <source>Bot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="245" />
        <source>Operator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="246" />
        <source>Median</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="247" />
        <source>90th percentile</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="250" />
        <source>Seconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="260" />
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/dashboard/dashboardpage.cpp" line="271" />
        <source>%n draft(s) waiting; none decided yet.</source>
        <translation>
            <numerusform>%n draft waiting; none decided yet.</numerusform>
            <numerusform>%n drafts waiting; none decided yet.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="274" />
        <source>Approved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="274" />
        <source>Edited</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="274" />
        <source>Rejected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="275" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="278" />
        <source>Drafts</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>DraftBanner</name>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="17" />
        <source>Draft</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="29" />
        <source>Draft text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="34" />
        <source>Draft sources</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="38" />
        <source>Draft warning</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="43" />
        <location filename="../ui/conversations/draftbanner.cpp" line="45" />
        <location filename="../ui/conversations/draftbanner.cpp" line="170" />
        <source>Approve</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="46" />
        <source>Send the draft as it is (Ctrl+Shift+A)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="47" />
        <location filename="../ui/conversations/draftbanner.cpp" line="49" />
        <source>Edit draft</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="50" />
        <source>Put the draft into the reply box to change it before sending</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="51" />
        <location filename="../ui/conversations/draftbanner.cpp" line="53" />
        <source>Reject</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="54" />
        <source>Send nothing; the conversation stays with you</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="57" />
        <source>Reason for rejecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="58" />
        <source>Reason for rejecting (optional)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="124" />
        <source>Draft from the bot · covers %1% of the question</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="126" />
        <source>Draft from the bot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="127" />
        <source>No knowledge entry cited</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="127" />
        <source>Sources: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="134" />
        <source>Search scores (relative; the best entry may score above 1): %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="130" />
        <source>the bot would hand this to a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="135" />
        <source>The customer wrote again after this draft was made.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="150" />
        <source>The bot is writing a draft…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="164" />
        <source>The customer wrote again after this draft was made. Approve anyway? Press Approve again to send it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="167" />
        <source>Approve anyway</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>FeishuCheck</name>
    <message>
        <location filename="../core/feishu/feishucheck.cpp" line="117" />
        <source>no answer within %1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/feishu/feishucheck.cpp" line="136" />
        <source>HTTP %1 without the platform's JSON answer</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="68" />
        <source>Set up TSP Assistant</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="78" />
        <source>Finish</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="79" />
        <source>Next</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="80" />
        <source>Back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="81" />
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="101" />
        <source>Welcome</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="102" />
        <source>This wizard connects the console to your Feishu app and, if you want, to an LLM. It takes about five minutes.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="105" />
        <source>Already running the Python version of the assistant? Import its .env file: the keys are the same. Secrets are shown masked and will be kept in the system keychain, not in a file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="111" />
        <source>.env file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="112" />
        <source>Path of an existing .env file (optional)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="113" />
        <source>Browse…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="115" />
        <source>Browse for a .env file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="116" />
        <source>Import</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="118" />
        <source>Import .env</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="124" />
        <source>Nothing imported. You can also skip this and type the values on the next pages.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="129" />
        <source>Imported values</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="130" />
        <source>Key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="130" />
        <source>Value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="150" />
        <source>Feishu app</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="151" />
        <source>From the Feishu developer console: your app → Credentials &amp; Basic Info.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="157" />
        <source>App ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="161" />
        <source>App Secret</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="165" />
        <source>Domain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="166" />
        <source>Feishu (open.feishu.cn)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="167" />
        <source>Lark (open.larksuite.com)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="168" />
        <source>Custom URL (test server)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="171" />
        <source>Custom domain URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="174" />
        <source>App ID:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="175" />
        <source>App Secret:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="176" />
        <source>Domain:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="177" />
        <source>Custom URL:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="183" />
        <location filename="../ui/settings/firstrunwizard.cpp" line="185" />
        <location filename="../ui/settings/firstrunwizard.cpp" line="281" />
        <location filename="../ui/settings/firstrunwizard.cpp" line="283" />
        <source>Test connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="189" />
        <source>Not tested yet. The test asks the platform for a tenant token and a long-connection endpoint; it does not disturb a running bot.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="207" />
        <source>On the Feishu side</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="208" />
        <source>Check these in the Feishu developer console before the bot goes live.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="213" />
        <source>Permissions (Permissions &amp; Scopes): %1, %2 and %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="218" />
        <source>Optional, for syncing tickets with a Base table: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="222" />
        <source>Events &amp; Callbacks → subscription mode: “%1” (receive events over the long connection).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="225" />
        <source>Add the event %1 (receive messages).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="228" />
        <source>Enable the bot capability, then publish a new version after changing permissions: changes take effect only once the new version is published.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="237" />
        <source>Tip: the console only receives events while it is connected. The Feishu console accepts the long-connection mode only while a client is connected, so save the setup first, then switch the mode.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="247" />
        <source>Language model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="248" />
        <source>Optional. Without an LLM the bot answers from the knowledge base only.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="254" />
        <source>LLM provider</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="255" />
        <source>No LLM, answer from the knowledge base only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="256" />
        <source>Qwen (DashScope)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="257" />
        <source>OpenAI</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="258" />
        <source>DeepSeek</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="259" />
        <source>Ollama (on this network)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="260" />
        <source>Custom (OpenAI-compatible)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="263" />
        <source>Base URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="267" />
        <source>Model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="270" />
        <source>API key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="272" />
        <source>Provider:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="273" />
        <source>Base URL:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="274" />
        <source>Model:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="275" />
        <source>API key:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="287" />
        <source>Not tested yet. The test sends one short question and reports the time the answer took.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="305" />
        <source>Summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="306" />
        <source>Finish saves these settings and starts the bot.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="314" />
        <source>No keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="320" />
        <source>Choose where the secrets go. Nothing is stored until you choose.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="321" />
        <source>Keep them in a file only I can read (less secure)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="323" />
        <source>Keep secrets in a file only I can read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="324" />
        <source>Do not store them; ask at every start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="326" />
        <source>Do not store secrets; ask at every start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="350" />
        <source>Import a .env file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="351" />
        <source>.env files (*.env .env);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="362" />
        <source>Cannot read %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="413" />
        <source>Found %n value(s) in %1.</source>
        <translation>
            <numerusform>Found %n value in %1.</numerusform>
            <numerusform>Found %n values in %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="416" />
        <source>%n line(s) could not be read and were skipped.</source>
        <translation>
            <numerusform>%n line could not be read and was skipped.</numerusform>
            <numerusform>%n lines could not be read and were skipped.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="450" />
        <source>The custom domain must be an http(s) URL such as https://open.feishu.cn or http://127.0.0.1:8080.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="475" />
        <source>Testing %1 …</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="485" />
        <source>tested, working</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="485" />
        <source>tested, failed (code %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="495" />
        <source>Working: the platform issued a tenant token and a long-connection endpoint (%1 ms).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="498" />
        <location filename="../ui/settings/firstrunwizard.cpp" line="633" />
        <source>Enter the App ID and the App Secret first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="500" />
        <source>The platform does not accept this App ID.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="501" />
        <source>Copy the App ID (it starts with cli_) again from Credentials &amp; Basic Info.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="504" />
        <source>The App Secret is wrong (or the App ID belongs to another app).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="506" />
        <source>Copy the App Secret again from Credentials &amp; Basic Info; if it was reset, use the new one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="509" />
        <source>The app lacks a permission or its latest version is not published.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="510" />
        <source>Add the permissions from the checklist, then publish a new version of the app.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="513" />
        <source>The credentials are right, but the platform refused the long connection.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="514" />
        <source>Use a self-built app, choose “使用长连接接收事件” under Events &amp; Callbacks, and publish a new version.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="518" />
        <source>The platform refused the app (it is disabled or blocked).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="519" />
        <source>Ask your Feishu administrator to enable the app.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="522" />
        <source>The platform is busy or had an internal error.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="523" />
        <source>Try again in a minute.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="526" />
        <source>No answer from %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="527" />
        <source>Check the domain, the network and the proxy setting.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="530" />
        <source>The secure connection failed (the certificate is not trusted).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="531" />
        <source>On an intranet that inspects TLS, set the extra CA certificate in the settings.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="534" />
        <source>The answer was not what the platform sends.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="535" />
        <source>Check that the domain is the Feishu or Lark open platform (or your test server).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="540" />
        <source>Platform code %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="541" />
        <source>Detail: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="544" />
        <source>tenant token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="544" />
        <source>long-connection endpoint</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="545" />
        <source>Failed at the %1 step. %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="547" />
        <source>What to do: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="568" />
        <source>not needed for Ollama</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="572" />
        <source>The bot will answer from the knowledge base only.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="574" />
        <source>Not tested yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="594" />
        <source>Asking %1 …</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="607" />
        <source>Working: %1 answered in %2 ms (“%3”).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="611" />
        <source>tested, %1 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="613" />
        <source>Failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="615" />
        <source>What to do: check the API key.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="618" />
        <source>What to do: check the base URL and the model name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="619" />
        <source>tested, failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="650" />
        <source>The base URL must be an http(s) URL ending in /v1, e.g. https://api.openai.com/v1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="652" />
        <source>Enter the model name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="685" />
        <source>not tested</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="687" />
        <source>Feishu app: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="688" />
        <source>App Secret: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="689" />
        <source>Domain: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="690" />
        <source>Feishu test: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="692" />
        <source>LLM: none, answers come from the knowledge base only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="694" />
        <source>LLM: %1, model %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="695" />
        <source>Base URL: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="697" />
        <source>API key: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="697" />
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="698" />
        <source>LLM test: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="706" />
        <source>Other imported settings: %n</source>
        <translation>
            <numerusform>Other imported settings: %n</numerusform>
            <numerusform>Other imported settings: %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="710" />
        <source>the system keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="713" />
        <source>a file only you can read (less secure)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="716" />
        <source>nowhere: you will be asked at every start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="719" />
        <source>Secrets are kept in: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="744" />
        <source>Cannot save the settings to %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="762" />
        <source>Saving the secrets …</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="790" />
        <source>Waiting for your choice: the secrets are not stored yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="798" />
        <source>Saved.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="20" />
        <source>Connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="22" />
        <source>Connection health</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="38" />
        <source>Feishu long connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="41" />
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="41" />
        <source>Connection state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="42" />
        <source>In this state for</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="42" />
        <source>Time in this state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="43" />
        <source>Last event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="43" />
        <source>Time since the last event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="44" />
        <source>ACK latency (last minute)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="44" />
        <source>ACK latency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="45" />
        <source>Reconnects today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="46" />
        <source>Last error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="47" />
        <source>What to do</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="47" />
        <source>What to do about the last error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="48" />
        <source>Duplicates dropped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="49" />
        <source>Tenant token expires</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="49" />
        <source>Tenant token expiry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="52" />
        <source>Replies and LLM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="55" />
        <source>Outbox</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="55" />
        <source>Outbox depth</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="56" />
        <source>Oldest pending delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="57" />
        <source>LLM last latency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="58" />
        <source>LLM last error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="62" />
        <location filename="../ui/health/healthpanel.cpp" line="64" />
        <source>Reconnect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="65" />
        <source>Drop the connection and dial a fresh endpoint</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="121" />
        <source>bot paused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="129" />
        <location filename="../ui/health/healthpanel.cpp" line="139" />
        <location filename="../ui/health/healthpanel.cpp" line="143" />
        <source>–</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="132" />
        <source>median %1, p99 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="135" />
        <source>%1 (since start: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="136" />
        <location filename="../ui/health/healthpanel.cpp" line="145" />
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="137" />
        <source>%1 (code %2)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/health/healthpanel.cpp" line="142" />
        <source>%n repl(ies) waiting</source>
        <translation>
            <numerusform>%n reply waiting</numerusform>
            <numerusform>%n replies waiting</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="142" />
        <source>empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="144" />
        <source>%1 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="144" />
        <source>no call yet</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>HealthText</name>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="13" />
        <source>Not started</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="15" />
        <source>Connecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="17" />
        <source>Connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="19" />
        <source>Reconnecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="21" />
        <source>Stopped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="30" />
        <source>%1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="32" />
        <source>%1 min %2 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="34" />
        <source>%1 h %2 min</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="35" />
        <source>%1 d %2 h</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="41" />
        <source>never</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="42" />
        <source>%1 ago</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="48" />
        <source>no pushes in the last minute</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="49" />
        <source>%1 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="55" />
        <source>no token yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="57" />
        <source>expired %1 ago (renewed at the next call)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="58" />
        <source>in %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="68" />
        <source>Feishu does not accept the app's credentials, so the bot cannot connect. Fix: in the Feishu developer console open the app, copy the App ID and App Secret from "Credentials &amp; Basic Info" into the settings, then press Reconnect.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="72" />
        <source>Feishu allows at most 50 long connections per app and this one would exceed it. Fix: stop other bots or consoles that use the same app, then press Reconnect.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="75" />
        <source>Feishu refused the app (it is disabled or blocked). Fix: ask the tenant administrator to enable the app in the Feishu admin console, then press Reconnect.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="78" />
        <source>Feishu does not let this app use the long connection. Fix: in the Feishu developer console open the app, under "Events &amp; Callbacks" choose "Receive events through persistent connection", subscribe to im.message.receive_v1, publish a new app version, then press Reconnect.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="87" />
        <source>Feishu connection: %1 for %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="89" />
        <source>The bot is paused: new conversations go to an operator.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="90" />
        <source>Last event: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="91" />
        <source>ACK latency (last minute): median %1, p99 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="93" />
        <source>Reconnects today: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="95" />
        <source>Last error: %1 (code %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="96" />
        <source>Last error: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="98" />
        <source>What to do: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="100" />
        <source>Duplicates dropped: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="101" />
        <source>Token expires: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="102" />
        <source>Outbox: %1 waiting, oldest since %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="105" />
        <source>Outbox: empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="106" />
        <source>LLM: last answer in %1 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="107" />
        <source>LLM: no call yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="109" />
        <source>LLM last error: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KnowledgeDesk</name>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="263" />
        <source>Enter a title: a short description of the problem.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="267" />
        <source>The title is too long (at most %1 characters).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="269" />
        <source>Choose or type a category.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="273" />
        <source>The category is too long (at most %1 characters).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="276" />
        <source>Enter the solution: it is what the bot answers the customer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="280" />
        <source>The solution is too long (at most %1 characters).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="284" />
        <source>The cause is too long (at most %1 characters).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="290" />
        <source>Too many items (at most %1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="295" />
        <source>An item is too long (at most %1 characters).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="302" />
        <source>An entry with the id %1 exists already: edit it instead.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="305" />
        <source>The entry %1 no longer exists (deleted meanwhile?).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="335" />
        <location filename="../core/desk/knowledgedesk.cpp" line="340" />
        <source>The entry was not saved: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="426" />
        <source>Version %1 of %2 cannot be restored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="430" />
        <source>Version %1 is the same as the current entry: nothing to restore.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="434" />
        <source>Version %1 was not restored: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="681" />
        <source>%1: unknown file type (use .jsonl, .json or .csv)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KnowledgeEntryDialog</name>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="33" />
        <source>Knowledge entry %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="34" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="60" />
        <source>Knowledge entry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="36" />
        <source>Title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="37" />
        <source>Category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="38" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="39" />
        <source>Vehicle models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="40" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="41" />
        <source>Symptoms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="42" />
        <source>Cause</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="43" />
        <source>Solution</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="44" />
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="46" />
        <source>Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="61" />
        <source>The knowledge entry %1 no longer exists.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KnowledgeEntryForm</name>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="61" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="63" />
        <source>Title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="62" />
        <source>A short description of the problem</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="69" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="70" />
        <source>Category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="74" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="76" />
        <source>Vehicle models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="75" />
        <source>Separated by commas; empty = every model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="81" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="83" />
        <source>Symptoms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="82" />
        <source>One per line, in the customers' words</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="88" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="89" />
        <source>Cause</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="93" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="95" />
        <source>Solution</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="94" />
        <source>What the bot answers the customer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="99" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="101" />
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="100" />
        <source>Separated by commas</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="136" />
        <source>New entry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="136" />
        <source>New entry %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="137" />
        <source>Entry %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KnowledgePage</name>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="33" />
        <source>Title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="35" />
        <location filename="../ui/knowledge/knowledgepage.cpp" line="232" />
        <source>Category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="37" />
        <source>Vehicle models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="39" />
        <source>Symptoms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="41" />
        <source>Cause</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="43" />
        <source>Solution</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="45" />
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="47" />
        <source>Source</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="54" />
        <source>Created</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="56" />
        <source>Edited</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="58" />
        <source>Deleted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="95" />
        <source>Search knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="96" />
        <source>Search knowledge (as the bot searches)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="101" />
        <source>Category filter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="105" />
        <source>New entry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="106" />
        <source>Import…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="106" />
        <location filename="../ui/knowledge/knowledgepage.cpp" line="290" />
        <source>Import knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="107" />
        <source>Export…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="107" />
        <location filename="../ui/knowledge/knowledgepage.cpp" line="295" />
        <source>Export knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="115" />
        <source>Knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="143" />
        <source>Import or export progress</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="144" />
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="144" />
        <source>Cancel import or export</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="155" />
        <source>Import errors</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="166" />
        <source>Entry, history and gaps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="181" />
        <source>Revert</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="181" />
        <source>Revert changes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="182" />
        <source>Save</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="189" />
        <source>Similar entries (edit one of these instead of adding a duplicate):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="194" />
        <source>Similar entries</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="197" />
        <source>Entry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="203" />
        <source>Versions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="205" />
        <source>Version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="205" />
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="205" />
        <source>Who</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="205" />
        <source>Change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="210" />
        <source>Changes of the version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="213" />
        <source>Field</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="213" />
        <source>Before</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="213" />
        <source>After</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="216" />
        <source>Restore this version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="219" />
        <source>History</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="224" />
        <source>Questions of the last 30 days that the bot handed to a person because no entry fitted, grouped:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="230" />
        <source>Knowledge gaps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="232" />
        <source>Count</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="232" />
        <source>Question</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="232" />
        <source>Last asked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="237" />
        <source>Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="237" />
        <source>Refresh gaps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="238" />
        <source>New entry from this group</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="245" />
        <source>Gaps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="290" />
        <source>Knowledge files (*.jsonl *.ndjson *.json *.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="296" />
        <source>Knowledge files (*.jsonl *.json *.csv)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="306" />
        <location filename="../ui/knowledge/knowledgepage.cpp" line="311" />
        <source>%n entries</source>
        <translation>
            <numerusform>%n entry</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="307" />
        <source>%n hits</source>
        <translation>
            <numerusform>%n hit</numerusform>
            <numerusform>%n hits</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="330" />
        <source>Searching…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="331" />
        <source>All categories</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="352" />
        <source>The entry %1 no longer exists.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="389" />
        <source>Not saved: correct the marked fields.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="396" />
        <source>Not saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="401" />
        <source>Saved %1. The bot answers with the new text from now on.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="402" />
        <source>Knowledge entry %1 saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="415" />
        <source>Score %1; activate to edit this entry instead</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="418" />
        <source>No similar entries.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="457" />
        <source>(first version)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="481" />
        <source>Version %1 restored as a new version.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="497" />
        <source>No handed-off questions. Nothing is missing.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="512" />
        <source>A new entry from %n question(s). Write the solution, then save.</source>
        <translation>
            <numerusform>A new entry from %n question. Write the solution, then save.</numerusform>
            <numerusform>A new entry from %n questions. Write the solution, then save.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="522" />
        <source>Importing %1 …</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="532" />
        <source>Exporting to %1 …</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="564" />
        <source>Imported %1 entries from %2: %3 new, %4 changed, %5 unchanged.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="571" />
        <source>Exported %1 entries to %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="573" />
        <source>Import cancelled: nothing was imported.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="574" />
        <source>Export cancelled: no file was written.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="577" />
        <source>Nothing was imported: %n row(s) rejected.</source>
        <translation>
            <numerusform>Nothing was imported: %n row rejected.</numerusform>
            <numerusform>Nothing was imported: %n rows rejected.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="578" />
        <source>The list is in %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="580" />
        <source>Import failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="580" />
        <source>Export failed: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KnowledgeSearchDialog</name>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="75" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="76" />
        <source>Insert from knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="79" />
        <source>Search knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="80" />
        <source>Search knowledge, e.g. 车机没网</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="84" />
        <source>Knowledge results</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="87" />
        <source>Solution preview</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="90" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="92" />
        <source>Insert</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="93" />
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KnowledgeTableModel</name>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="79" />
        <source>Imported</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="81" />
        <source>Operator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="83" />
        <source>Promoted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="85" />
        <source>Bitable</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="130" />
        <source>Answers that cited this entry in the last 7 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="151" />
        <source>ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="153" />
        <source>Title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="155" />
        <source>Category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="157" />
        <source>Vehicle models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="159" />
        <source>Updated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="161" />
        <source>Source</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="163" />
        <source>Cited (7 days)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LogPage</name>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="36" />
        <source>Log level</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="37" />
        <source>All levels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="38" />
        <source>Info and above</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="39" />
        <source>Warnings and errors</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="40" />
        <source>Errors only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="45" />
        <source>Log category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="51" />
        <location filename="../ui/logs/logpage.cpp" line="52" />
        <source>Search the log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="55" />
        <location filename="../ui/logs/logpage.cpp" line="183" />
        <source>Pause</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="57" />
        <source>Pause the log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="60" />
        <source>Follow</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="62" />
        <source>Follow new lines</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="65" />
        <location filename="../ui/logs/logpage.cpp" line="83" />
        <source>Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="67" />
        <source>Copy the selected lines</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="68" />
        <source>Save as…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="70" />
        <source>Save the shown lines as a file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="74" />
        <source>Log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="88" />
        <source>Select all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="160" />
        <source>All categories</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="171" />
        <source>The log is paused. Press Resume to see new lines.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="172" />
        <source>No log lines yet. Lines appear here as the bot works.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="174" />
        <source>No log lines match the filters. Clear the search or choose another level or category.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/logs/logpage.cpp" line="186" />
        <source>Resume (%n new)</source>
        <translation>
            <numerusform>Resume (%n new)</numerusform><numerusform>Resume (%n new)</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="186" />
        <source>Resume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="255" />
        <location filename="../ui/logs/logpage.cpp" line="260" />
        <source>Save the log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="255" />
        <source>Log files (*.log *.txt)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="260" />
        <source>Could not save %1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="26" />
        <source>TSP Assistant</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="30" />
        <source>Navigation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="42" />
        <source>Conversations</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43" />
        <source>The live conversations, review and takeover. This build has no conversations page yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="44" />
        <source>Knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45" />
        <source>The knowledge base editor. This build has no knowledge page yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="46" />
        <source>Dashboard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="47" />
        <source>Charts of the bot's work and the connection health. This build has no dashboard yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="48" />
        <source>Logs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="49" />
        <source>Tickets</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="50" />
        <source>Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="85" />
        <source>Next conversation that needs a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87" />
        <source>Take over / hand back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="88" />
        <source>Approve the draft</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="89" />
        <source>Write a reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="90" />
        <source>Search</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="103" />
        <source>Show %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="107" />
        <source>Keyboard shortcuts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="110" />
        <source>Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="168" />
        <source>Send the reply (in the reply box)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="170" />
        <source>Insert a knowledge entry (in the reply box)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="242" />
        <source>Quit TSP Assistant</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="243" />
        <source>Quit the console? The bot stops answering in Feishu until the console or the headless bot runs again.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>OperatorDesk</name>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="629" />
        <location filename="../core/desk/operatordesk.cpp" line="643" />
        <source>The database refused the change; nothing was changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="650" />
        <source>Conversation #%1 does not exist.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="666" />
        <source>The default mode could not be saved (database error).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="678" />
        <source>Draft #%1 does not exist.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="680" />
        <source>This draft was already decided (%1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="683" />
        <source>The customer wrote again after this draft was made. Read the new message before approving.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="694" />
        <source>The reply is empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="730" />
        <source>Nothing to retry: this reply has not failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="747" />
        <source>Turn #%1 does not exist.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="749" />
        <source>Only a reply sent to the customer can become knowledge.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="755" />
        <source>The entry needs a title.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="757" />
        <source>The entry needs a solution.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="771" />
        <source>The entry could not be saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="780" />
        <source>The entry could not be saved (database error).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="803" />
        <source>The change could not be saved (database error).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SavedSettings</name>
    <message>
        <location filename="../core/config/savedsettings.cpp" line="110" />
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/savedsettings.cpp" line="121" />
        <source>Cannot read %1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SecretPrompt</name>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="17" />
        <source>Secrets for this session</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="19" />
        <source>You chose not to store the secrets. Enter them for this session; they are kept in memory only and asked for again at the next start.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="24" />
        <source>App Secret</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="25" />
        <source>API key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="26" />
        <source>Embedding API key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="37" />
        <location filename="../ui/settings/secretprompt.cpp" line="38" />
        <source>Start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="39" />
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <location filename="../core/config/secretstore.cpp" line="166" />
        <source>The keychain refused to delete %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="236" />
        <source>Cannot read the secrets file %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="250" />
        <source>Cannot create the folder %1 for the secrets file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="256" />
        <source>Cannot remove the secrets file %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="268" />
        <location filename="../core/config/secretstore.cpp" line="281" />
        <source>Cannot write the secrets file %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="294" />
        <source>No keychain is available on this computer (no Secret Service is running), so the secrets cannot be stored securely.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="298" />
        <source>The keychain is locked and was not unlocked, so the secrets cannot be stored securely.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="300" />
        <source>The keychain cannot be used (%1), so the secrets cannot be stored securely.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../core/config/settingstable.cpp" line="43" />
        <source>App ID of the Feishu/Lark app (cli_...).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="47" />
        <source>App secret of the Feishu/Lark app.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="55" />
        <source>Open platform base URL: https://open.feishu.cn, https://open.larksuite.com (or feishu, lark), or a test server.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="63" />
        <source>Proxy for every outbound connection (Feishu, LLM, embeddings): system, none, http://host:port or socks5://host:port.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="72" />
        <source>Extra CA certificates (PEM file) for intranets that inspect TLS.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="82" />
        <source>The LLM service. Empty or none: answers come from the knowledge base alone (qwen when only LLM_API_KEY is set).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="89" />
        <source>API key of the LLM service (not needed for ollama).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="94" />
        <source>The .../v1 base of an OpenAI-compatible API; empty takes the provider's preset.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="100" />
        <source>Model name; empty takes the provider's preset.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="108" />
        <source>Sampling temperature of the answers.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="116" />
        <source>Longest answer, in tokens.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="124" />
        <source>Time for one LLM attempt, in milliseconds; after it the answer comes from the knowledge base.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="134" />
        <source>Extra LLM attempts after a network error, 5xx or 429.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="140" />
        <source>Stream answers from the LLM (drafts grow as they arrive).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="144" />
        <source>The .../v1 base of an OpenAI-compatible embeddings API; empty: keyword search only.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="151" />
        <source>API key of the embeddings API (default: LLM_API_KEY).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="157" />
        <source>Embedding model name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="165" />
        <source>Time for one embeddings request, in milliseconds; after it the search ranks by keywords alone.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="175" />
        <source>Vector size asked of the embeddings API; 0 takes the model's own.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="181" />
        <source>The app_token of the Feishu Base (多维表格) that tickets sync with; empty: no sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="187" />
        <source>The table (tbl...) in that Base that holds the tickets.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="195" />
        <source>Minutes between two ticket syncs with the Base (0: only on request).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="201" />
        <source>Open a ticket for every conversation handed to a person.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="205" />
        <source>JSON that renames the Base's ticket fields, e.g. {"title":"工单标题"}; empty: the default names.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="215" />
        <source>A conversation quiet this long starts afresh.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="222" />
        <source>Mode of new conversations: auto (the bot answers), review (an operator approves drafts), manual (operators answer).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="229" />
        <source>Where conversations and knowledge are stored: sqlite:///relative.db, sqlite:////abs/path.db or postgresql://user:pass@host:port/db.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="240" />
        <source>Least severe message that is logged.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="58" />
        <source>Feishu</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="60" />
        <source>Assistant</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="62" />
        <source>Sessions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="64" />
        <source>Interface</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="66" />
        <source>Logging</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="98" />
        <source>Settings groups</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="118" />
        <location filename="../ui/settings/settingspage.cpp" line="120" />
        <source>Start at login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="123" />
        <source>Adds the console to the programs your desktop starts when you log in (%1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="131" />
        <source>Login:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="134" />
        <source>Export…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="136" />
        <location filename="../ui/settings/settingspage.cpp" line="496" />
        <source>Export settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="137" />
        <source>Import…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="139" />
        <location filename="../ui/settings/settingspage.cpp" line="507" />
        <source>Import settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="140" />
        <source>Setup wizard…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="142" />
        <source>Open the setup wizard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="143" />
        <location filename="../ui/settings/settingspage.cpp" line="145" />
        <source>Apply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="187" />
        <source>(default: %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="203" />
        <source>Browse…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="204" />
        <source>Browse for %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="262" />
        <source>command line</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="264" />
        <source>environment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="266" />
        <source>.env</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="268" />
        <source>saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="270" />
        <source>default</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="312" />
        <source>Not valid here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="328" />
        <source>(empty)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="330" />
        <source>(none)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="331" />
        <source>Default: %1 · From: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="334" />
        <source>(a value saved here applies only once that is removed)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="337" />
        <source>· A value is stored; type to replace it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="337" />
        <source>· Nothing stored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="339" />
        <source>· Changed, not applied yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="358" />
        <source>Less secure: the secrets are kept in a file only you can read (%1), because no keychain was available.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="362" />
        <source>The secrets are not stored: you are asked for them at every start.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="416" />
        <source>Not applied: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="443" />
        <source>Cannot save the settings to %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="463" />
        <source>Nothing to apply.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/settingspage.cpp" line="464" />
        <source>Applied %n change(s).</source>
        <translation>
            <numerusform>Applied %n change.</numerusform>
            <numerusform>Applied %n changes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/settingspage.cpp" line="489" />
        <source>Imported %n value(s); review them and press Apply.</source>
        <translation>
            <numerusform>Imported %n value; review it and press Apply.</numerusform>
            <numerusform>Imported %n values; review them and press Apply.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="490" />
        <source>Secrets in the file were ignored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="501" />
        <source>Exported to %1 (without secrets).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="12" />
        <location filename="../ui/shortcutsdialog.cpp" line="15" />
        <source>Keyboard shortcuts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="16" />
        <source>Action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="16" />
        <source>Keys</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="29" />
        <source>VIN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="31" />
        <source>Plate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="33" />
        <source>DTC</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="35" />
        <source>Phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="46" />
        <source>AI analysis</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="47" />
        <location filename="../ui/conversations/sidepanel.cpp" line="54" />
        <source>Category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="48" />
        <location filename="../ui/conversations/sidepanel.cpp" line="55" />
        <source>Urgency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="49" />
        <location filename="../ui/conversations/sidepanel.cpp" line="56" />
        <source>Entities</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="50" />
        <location filename="../ui/conversations/sidepanel.cpp" line="57" />
        <source>Summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="51" />
        <source>Suggested next step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="58" />
        <source>Next step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="60" />
        <location filename="../ui/conversations/sidepanel.cpp" line="65" />
        <source>Earlier conversations of this vehicle</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="66" />
        <source>Double-click or press Enter to open</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="71" />
        <location filename="../ui/conversations/sidepanel.cpp" line="74" />
        <source>Session key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="107" />
        <source>—</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="117" />
        <source>Not analysed yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="133" />
        <source>No VIN or plate known for this conversation yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="146" />
        <source>No earlier conversation of %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="147" />
        <source>Found by %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../ui/statuspanel.cpp" line="94" />
        <source>%1 · bot paused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="96" />
        <source>Connection state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="101" />
        <source>Needs a person: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="102" />
        <source>Conversations that need a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="103" />
        <source>Click to open the next conversation that needs a person</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="107" />
        <source>Drafts waiting: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="108" />
        <source>Drafts waiting for review</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ThreadDelegate</name>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="100" />
        <location filename="../ui/conversations/threadview.cpp" line="218" />
        <source>Retry</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ThreadView</name>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="250" />
        <source>Thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="260" />
        <source>Retry delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="345" />
        <source>Open %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="347" />
        <source>Copy text</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TicketDesk</name>
    <message numerus="yes">
        <location filename="../core/desk/ticketdesk.cpp" line="22" />
        <source>%n ticket(s) pulled, %1 pushed, %2 conflict(s), %3 failed</source>
        <translation>
            <numerusform>%n ticket pulled, %1 pushed, %2 conflict(s), %3 failed</numerusform>
            <numerusform>%n tickets pulled, %1 pushed, %2 conflict(s), %3 failed</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="105" />
        <source>The ticket could not be created: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="112" />
        <source>The ticket could not be saved: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="120" />
        <location filename="../core/desk/ticketdesk.cpp" line="131" />
        <location filename="../core/desk/ticketdesk.cpp" line="140" />
        <location filename="../core/desk/ticketdesk.cpp" line="175" />
        <source>This ticket no longer exists.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="122" />
        <source>Unknown status "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="142" />
        <source>Write how the problem was solved first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="172" />
        <source>There is no knowledge base.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="177" />
        <source>Only a resolved ticket with a resolution can become knowledge.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="182" />
        <source>The knowledge entry could not be updated: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="186" />
        <source>The knowledge entry could not be created: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="204" />
        <source>Bitable is not configured (BITABLE_APP_TOKEN, BITABLE_TABLE_ID).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="206" />
        <source>A sync is already running.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <location filename="../app/traycontroller.cpp" line="20" />
        <location filename="../app/traycontroller.cpp" line="133" />
        <source>Show the console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="23" />
        <source>Pause the bot (new conversations go to a person)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="26" />
        <source>Notifications</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="34" />
        <source>Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="133" />
        <source>Hide the console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="138" />
        <source>TSP Assistant: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="140" />
        <source>The bot is paused</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="141" />
        <source>%n conversation(s) need a person</source>
        <translation>
            <numerusform>%n conversation needs a person</numerusform><numerusform>%n conversations need a person</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="142" />
        <source>%n draft(s) waiting</source>
        <translation>
            <numerusform>%n draft waiting</numerusform><numerusform>%n drafts waiting</numerusform></translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="226" />
        <source>TSP Assistant</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="227" />
        <source>%n more conversation(s) need your attention. Open the console to see them.</source>
        <translation>
            <numerusform>%n more conversation needs your attention. Open the console to see them.</numerusform><numerusform>%n more conversations need your attention. Open the console to see them.</numerusform></translation>
    </message>
</context>
</TS>