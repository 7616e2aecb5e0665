<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Autostart</name>
    <message>
        <location filename="../core/config/autostart.cpp" line="46" />
        <source>Cannot remove %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <location filename="../core/config/autostart.cpp" line="52" />
        <source>Cannot create the folder of %1.</source>
        <translation>无法创建 %1 所在的文件夹。</translation>
    </message>
    <message>
        <location filename="../core/config/autostart.cpp" line="72" />
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <location filename="../ui/dashboard/chartsummary.cpp" line="29" />
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/chartsummary.cpp" line="30" />
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/chartsummary.cpp" line="41" />
        <source>%1: none</source>
        <translation>%1：无</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/chartsummary.cpp" line="42" />
        <source>%1: %2 in all, the most (%3) at %4</source>
        <translation>%1：共 %2，最多（%3）在 %4</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="50" />
        <source>Conversation state</source>
        <translation>会话状态</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="52" />
        <location filename="../ui/conversations/composer.cpp" line="54" />
        <source>Take over</source>
        <translation>接管</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="56" />
        <source>Handle this conversation yourself; the bot stops answering it (Ctrl+Shift+T)</source>
        <translation>由您亲自处理此会话，机器人立即停止回复（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="57" />
        <location filename="../ui/conversations/composer.cpp" line="59" />
        <source>Hand back</source>
        <translation>交还</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="60" />
        <source>Let the bot answer this conversation again (Ctrl+Shift+T)</source>
        <translation>让机器人重新回复此会话（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="63" />
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="65" />
        <source>How this conversation is handled: the bot answers (Auto), drafts for you (Review), or stays quiet (Manual)</source>
        <translation>此会话的处理方式：机器人自动回复（自动）、为您起草（审核）或保持沉默（人工）</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="68" />
        <source>New conversations:</source>
        <translation>新会话：</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="71" />
        <source>Default mode for new conversations</source>
        <translation>新会话的默认模式</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="77" />
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="81" />
        <location filename="../ui/conversations/composer.cpp" line="83" />
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="84" />
        <source>Send the reply (Ctrl+Enter)</source>
        <translation>发送回复（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="85" />
        <source>Knowledge…</source>
        <translation>知识库…</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="87" />
        <location filename="../ui/conversations/composer.cpp" line="89" />
        <source>Insert from knowledge</source>
        <translation>从知识库插入</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="88" />
        <source>Search the knowledge base and insert a solution (Ctrl+K)</source>
        <translation>搜索知识库并插入解决方案（Ctrl+K）</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="94" />
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="164" />
        <source>No conversation selected.</source>
        <translation>未选择会话。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="166" />
        <source>Pick a conversation on the left to reply.</source>
        <translation>请在左侧选择一个会话后回复。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="175" />
        <source>Needs a person.</source>
        <translation>需要人工处理。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="179" />
        <source>The bot is handling this conversation. Take over to reply yourself.</source>
        <translation>机器人正在处理此会话。接管后即可亲自回复。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="180" />
        <source>Write a reply; Ctrl+Enter sends it.</source>
        <translation>输入回复，按 Ctrl+Enter 发送。</translation>
    </message>
</context>
<context>
    <name>ConflictView</name>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="20" />
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="40" />
        <source>This ticket was changed here and in Bitable since the last sync. Pick a side for each field, or edit the result to merge both. Nothing is overwritten until you apply.</source>
        <translation>自上次同步以来，此工单在本机和多维表格中都被修改过。请为每个字段选择一方，或编辑结果以合并两边。点击“应用”之前不会覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="62" />
        <source>Keep all local</source>
        <translation>全部保留本机</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="64" />
        <source>Keep all local values</source>
        <translation>全部保留本机的值</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="65" />
        <source>Take all from Bitable</source>
        <translation>全部采用多维表格</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="67" />
        <source>Take all values from Bitable</source>
        <translation>全部采用多维表格的值</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="68" />
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="70" />
        <source>Apply the resolution</source>
        <translation>应用冲突处理结果</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="72" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="74" />
        <source>Cancel the conflict resolution</source>
        <translation>取消冲突处理</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="126" />
        <source>This ticket is not in conflict.</source>
        <translation>此工单没有冲突。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="132" />
        <source>Conflict in %1 %2</source>
        <translation>%1 %2 的冲突</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="134" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="135" />
        <source>This console</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="136" />
        <source>Bitable</source>
        <translation>多维表格</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="137" />
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="163" />
        <source>%1 (both changed)</source>
        <translation>%1（两边都改了）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="171" />
        <source>Use this console's %1</source>
        <translation>采用本机的%1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="180" />
        <source>Use Bitable's %1</source>
        <translation>采用多维表格的%1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="190" />
        <source>Result for %1</source>
        <translation>%1 的结果</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="274" />
        <source>&quot;%1&quot; is not a status. Use one of: %2.</source>
        <translation>“%1”不是有效状态。请使用：%2。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/conflictview.cpp" line="291" />
        <source>The conflict could not be resolved: %1</source>
        <translation>无法处理冲突：%1</translation>
    </message>
</context>
<context>
    <name>ConnectionLook</name>
    <message>
        <location filename="../ui/connectionlook.cpp" line="38" />
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="40" />
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="42" />
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="44" />
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location filename="../ui/connectionlook.cpp" line="46" />
        <source>Connection failed</source>
        <translation>连接失败</translation>
    </message>
</context>
<context>
    <name>ConsoleRunner</name>
    <message>
        <location filename="../app/consolerunner.cpp" line="43" />
        <source>direct chat</source>
        <translation>私聊</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="60" />
        <source>TSP Assistant</source>
        <translation>TSP 助手</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="85" />
        <source>The configuration is not valid: %1</source>
        <translation>配置无效：%1</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="98" />
        <source>Another tsp-assistant (%1) is already running on the data dir %2. Stop it first, or give this one its own --data-dir.</source>
        <translation>另一个 tsp-assistant（%1）已在数据目录 %2 上运行。请先停止它，或为本实例指定单独的 --data-dir。</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="111" />
        <source>The demo sandbox could not start: %1</source>
        <translation>演示沙箱无法启动：%1</translation>
    </message>
    <message>
        <source>FEISHU_APP_ID and FEISHU_APP_SECRET are not set. Put them in .env (or the environment), run the setup wizard, or try the console on the local sandbox with --demo.</source>
        <translation>未设置 FEISHU_APP_ID 和 FEISHU_APP_SECRET。请写入 .env（或环境变量）、运行设置向导，或用 --demo 在本地沙箱中试用控制台。</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="136" />
        <source>The bot cannot start: %1</source>
        <translation>机器人无法启动：%1</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="190" />
        <source>TSP Assistant (demo)</source>
        <translation>TSP 助手（演示）</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="196" />
        <source>Dashboard and connection</source>
        <translation>仪表盘与连接</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="198" />
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="203" />
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="251" />
        <source>A conversation needs a person</source>
        <translation>有会话需要人工处理</translation>
    </message>
    <message>
        <location filename="../app/consolerunner.cpp" line="258" />
        <source>A draft waits for your review</source>
        <translation>有草稿等待您审核</translation>
    </message>
    <message>
        <source>Choose where the secrets are kept from now on. Nothing is written until you choose.</source>
        <translation>请选择今后保存密钥的方式。在您选择之前不会写入任何内容。</translation>
    </message>
    <message>
        <source>Keep them in a file only I can read</source>
        <translation>保存在仅本人可读的文件中</translation>
    </message>
    <message>
        <source>Keep secrets in a file only I can read</source>
        <translation>将密钥保存在仅本人可读的文件中</translation>
    </message>
    <message>
        <source>Ask at every start</source>
        <translation>每次启动时询问</translation>
    </message>
    <message>
        <source>Do not store secrets; ask at every start</source>
        <translation>不保存密钥；每次启动时询问</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>You chose not to store the secrets.</source>
        <translation>您选择了不保存密钥。</translation>
    </message>
    <message>
        <source>No App Secret is stored for the Feishu app %1.</source>
        <translation>尚未保存飞书应用 %1 的 App Secret。</translation>
    </message>
    <message>
        <source>Secrets for this session</source>
        <translation>本次会话的密钥</translation>
    </message>
    <message>
        <source>The bot cannot start without the App Secret.</source>
        <translation>没有 App Secret，机器人无法启动。</translation>
    </message>
    <message>
        <source>The settings were saved but cannot be used: %1</source>
        <translation>设置已保存，但无法使用：%1</translation>
    </message>
    <message>
        <source>No App Secret was given.</source>
        <translation>未提供 App Secret。</translation>
    </message>
    <message>
        <source>The new settings cannot be used: %1</source>
        <translation>新设置无法使用：%1</translation>
    </message>
    <message>
        <source>Less secure: secrets in a file</source>
        <translation>安全性较低：密钥保存在文件中</translation>
    </message>
    <message>
        <source>No keychain is used: the secrets are kept in %1, readable only by you.</source>
        <translation>未使用系统钥匙串：密钥保存在 %1，仅您本人可读。</translation>
    </message>
</context>
<context>
    <name>ConversationText</name>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="9" />
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="11" />
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="13" />
        <source>Manual</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="22" />
        <source>The bot is handling this conversation.</source>
        <translation>机器人正在处理此会话。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="24" />
        <source>The bot drafts; you approve, edit or reject.</source>
        <translation>机器人起草，由您批准、编辑或驳回。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="26" />
        <source>You are handling this conversation; the bot is quiet.</source>
        <translation>由您处理此会话，机器人保持沉默。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="35" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="37" />
        <source>Bot</source>
        <translation>机器人</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="39" />
        <source>Operator</source>
        <translation>客服</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="41" />
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="52" />
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="54" />
        <source>Sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="56" />
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="58" />
        <source>Failed</source>
        <translation>发送失败</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="66" />
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="68" />
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="70" />
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="72" />
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="84" />
        <source>Direct chat</source>
        <translation>私聊</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="94" />
        <source>now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="96" />
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="98" />
        <source>%n h</source>
        <translation>
            <numerusform>%n 小时</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="99" />
        <source>%n d</source>
        <translation>
            <numerusform>%n 天</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="115" />
        <source>needs a person</source>
        <translation>需要人工</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="117" />
        <source>draft waiting</source>
        <translation>草稿待审</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="119" />
        <source>%n unread</source>
        <translation>
            <numerusform>%n 条未读</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="71" />
        <source>Operator %1</source>
        <translation>客服 %1</translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="81" />
        <source>lead %1</source>
        <translation>领先 %1</translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="84" />
        <source>coverage %1%</source>
        <translation>覆盖 %1%</translation>
    </message>
</context>
<context>
    <name>ConversationsPage</name>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="78" />
        <source>Next conversation needing attention</source>
        <translation>下一个需要处理的会话</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="80" />
        <source>Take over / hand back</source>
        <translation>接管 / 交还</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="81" />
        <source>Approve draft</source>
        <translation>批准草稿</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="82" />
        <location filename="../ui/conversations/conversationspage.cpp" line="131" />
        <source>Search conversations</source>
        <translation>搜索会话</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="83" />
        <source>Write a reply</source>
        <translation>撰写回复</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="132" />
        <source>Search names and messages (Ctrl+F)</source>
        <translation>搜索姓名和消息（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="134" />
        <source>Needs attention</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="136" />
        <source>Only conversations that need attention</source>
        <translation>只显示需要处理的会话</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="139" />
        <source>Filter by mode</source>
        <translation>按模式筛选</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="140" />
        <source>All modes</source>
        <translation>全部模式</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="145" />
        <source>Filter by chat</source>
        <translation>按群聊筛选</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="151" />
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="159" />
        <location filename="../ui/conversations/conversationspage.cpp" line="269" />
        <source>No conversations yet: messages to the bot in Feishu appear here.</source>
        <translation>还没有会话：飞书中发给机器人的消息会显示在这里。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="206" />
        <source>No conversation selected — pick one on the left.</source>
        <translation>未选择会话——请在左侧选择一个。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="211" />
        <source>Conversation</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="218" />
        <source>Mode and state</source>
        <translation>模式和状态</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="225" />
        <source>Notice</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="260" />
        <source>All chats</source>
        <translation>全部群聊</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="272" />
        <source>No conversation matches — clear the search or the filters.</source>
        <translation>没有匹配的会话——请清除搜索或筛选条件。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="323" />
        <source>needs a person</source>
        <translation>需要人工</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="325" />
        <source>draft waiting</source>
        <translation>草稿待审</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="346" />
        <source>That conversation is not known (yet).</source>
        <translation>（暂时）找不到该会话。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="241" />
        <source>Promote to knowledge</source>
        <translation>收录为知识</translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="346" />
        <source>Saved as knowledge entry %1.</source>
        <translation>已保存为知识条目 %1。</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="33" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="37" />
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="46" />
        <source>Period</source>
        <translation>时间段</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="47" />
        <source>Day</source>
        <translation>按天</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="48" />
        <source>Week</source>
        <translation>按周</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="51" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="54" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="56" />
        <source>Refresh dashboard</source>
        <translation>刷新仪表盘</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="66" />
        <source>Conversations today</source>
        <translation>今日会话</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="68" />
        <source>Answered by the bot alone</source>
        <translation>机器人独立解答</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="68" />
        <source>Share answered by the bot alone</source>
        <translation>机器人独立解答比例</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="70" />
        <source>Waiting for a person now</source>
        <translation>当前等待人工</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="70" />
        <source>Conversations waiting for a person</source>
        <translation>等待人工的会话</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="71" />
        <source>Median first reply today</source>
        <translation>今日首次回复中位数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="71" />
        <source>Median first reply</source>
        <translation>首次回复中位数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="93" />
        <source>Messages per hour</source>
        <translation>每小时消息数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="94" />
        <source>Customer messages by day and hour</source>
        <translation>客户消息（按日期和小时）</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="95" />
        <source>How conversations ended</source>
        <translation>会话结果</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="96" />
        <source>Time to first reply (seconds)</source>
        <translation>首次回复用时（秒）</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="97" />
        <source>Top categories (bot-alone share)</source>
        <translation>热门分类（机器人独立解答比例）</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="98" />
        <source>Draft outcomes (review mode)</source>
        <translation>草稿处理结果（审核模式）</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="100" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="101" />
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="163" />
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="181" />
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="182" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="190" />
        <source>Cannot compute the figures: %1</source>
        <translation>无法计算统计数据：%1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="195" />
        <source>No data for this day.</source>
        <translation>这一天没有数据。</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="195" />
        <source>No data for this week.</source>
        <translation>这一周没有数据。</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="220" />
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="220" />
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="221" />
        <source>Messages</source>
        <translation>消息数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="233" />
        <source>Bot alone</source>
        <translation>机器人解答</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="233" />
        <source>Handed to a person</source>
        <translation>转人工</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="233" />
        <source>Operator takeover</source>
        <translation>人工接管</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="234" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="237" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="265" />
        <source>Conversations</source>
        <translation>会话数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="245" />
        <source>Bot</source>
        <translation>机器人</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="245" />
        <source>Operator</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="246" />
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="247" />
        <source>90th percentile</source>
        <translation>P90</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="250" />
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="260" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/dashboard/dashboardpage.cpp" line="271" />
        <source>%n draft(s) waiting; none decided yet.</source>
        <translation>
            <numerusform>%n 条草稿待审核，尚无决定。</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="274" />
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="274" />
        <source>Edited</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="274" />
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="275" />
        <location filename="../ui/dashboard/dashboardpage.cpp" line="278" />
        <source>Drafts</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="207" />
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>DraftBanner</name>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="17" />
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="29" />
        <source>Draft text</source>
        <translation>草稿内容</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="34" />
        <source>Draft sources</source>
        <translation>草稿来源</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="38" />
        <source>Draft warning</source>
        <translation>草稿警告</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="43" />
        <location filename="../ui/conversations/draftbanner.cpp" line="45" />
        <location filename="../ui/conversations/draftbanner.cpp" line="170" />
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="46" />
        <source>Send the draft as it is (Ctrl+Shift+A)</source>
        <translation>按原样发送草稿（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="47" />
        <location filename="../ui/conversations/draftbanner.cpp" line="49" />
        <source>Edit draft</source>
        <translation>编辑草稿</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="50" />
        <source>Put the draft into the reply box to change it before sending</source>
        <translation>将草稿放入回复框，修改后再发送</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="51" />
        <location filename="../ui/conversations/draftbanner.cpp" line="53" />
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="54" />
        <source>Send nothing; the conversation stays with you</source>
        <translation>不发送任何内容，会话由您继续处理</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="57" />
        <source>Reason for rejecting</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="58" />
        <source>Reason for rejecting (optional)</source>
        <translation>驳回原因（可选）</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="124" />
        <source>Draft from the bot · covers %1% of the question</source>
        <translation>机器人草稿 · 覆盖问题的 %1%</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="126" />
        <source>Draft from the bot</source>
        <translation>机器人草稿</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="127" />
        <source>No knowledge entry cited</source>
        <translation>未引用知识条目</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="127" />
        <source>Sources: %1</source>
        <translation>来源：%1</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="134" />
        <source>Search scores (relative; the best entry may score above 1): %1</source>
        <translation>搜索得分（相对值，最匹配的条目可能高于 1）：%1</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="130" />
        <source>the bot would hand this to a person</source>
        <translation>机器人建议转人工</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="135" />
        <source>The customer wrote again after this draft was made.</source>
        <translation>生成此草稿后，客户又发来了新消息。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="150" />
        <source>The bot is writing a draft…</source>
        <translation>机器人正在起草…</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="164" />
        <source>The customer wrote again after this draft was made. Approve anyway? Press Approve again to send it.</source>
        <translation>生成此草稿后，客户又发来了新消息。仍要批准吗？再次点击“批准”即发送。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="167" />
        <source>Approve anyway</source>
        <translation>仍然批准</translation>
    </message>
</context>
<context>
    <name>FeishuCheck</name>
    <message>
        <location filename="../core/feishu/feishucheck.cpp" line="117" />
        <source>no answer within %1 s</source>
        <translation>%1 秒内无应答</translation>
    </message>
    <message>
        <location filename="../core/feishu/feishucheck.cpp" line="136" />
        <source>HTTP %1 without the platform's JSON answer</source>
        <translation>HTTP %1，且没有开放平台的 JSON 应答</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="68" />
        <source>Set up TSP Assistant</source>
        <translation>设置 TSP 助手</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="78" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="79" />
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="80" />
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="81" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="101" />
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="102" />
        <source>This wizard connects the console to your Feishu app and, if you want, to an LLM. It takes about five minutes.</source>
        <translation>本向导将控制台连接到您的飞书应用，并可选连接大语言模型（LLM），大约需要五分钟。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="105" />
        <source>Already running the Python version of the assistant? Import its .env file: the keys are the same. Secrets are shown masked and will be kept in the system keychain, not in a file.</source>
        <translation>已在运行 Python 版助手？可直接导入它的 .env 文件，键名相同。密钥会以掩码显示，并保存在系统钥匙串中，而不是文件里。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="111" />
        <source>.env file</source>
        <translation>.env 文件</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="112" />
        <source>Path of an existing .env file (optional)</source>
        <translation>现有 .env 文件的路径（可选）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="113" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="115" />
        <source>Browse for a .env file</source>
        <translation>浏览 .env 文件</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="116" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="118" />
        <source>Import .env</source>
        <translation>导入 .env</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="124" />
        <source>Nothing imported. You can also skip this and type the values on the next pages.</source>
        <translation>尚未导入。也可以跳过此步，在后面的页面中手动填写。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="129" />
        <source>Imported values</source>
        <translation>导入的值</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="130" />
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="130" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="150" />
        <source>Feishu app</source>
        <translation>飞书应用</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="151" />
        <source>From the Feishu developer console: your app → Credentials &amp; Basic Info.</source>
        <translation>在飞书开发者后台：您的应用 → 凭证与基础信息。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="157" />
        <source>App ID</source>
        <translation>App ID</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="161" />
        <source>App Secret</source>
        <translation>App Secret</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="165" />
        <source>Domain</source>
        <translation>域名</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="166" />
        <source>Feishu (open.feishu.cn)</source>
        <translation>飞书（open.feishu.cn）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="167" />
        <source>Lark (open.larksuite.com)</source>
        <translation>Lark（open.larksuite.com）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="168" />
        <source>Custom URL (test server)</source>
        <translation>自定义 URL（测试服务器）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="171" />
        <source>Custom domain URL</source>
        <translation>自定义域名 URL</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="174" />
        <source>App ID:</source>
        <translation>App ID：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="175" />
        <source>App Secret:</source>
        <translation>App Secret：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="176" />
        <source>Domain:</source>
        <translation>域名：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="177" />
        <source>Custom URL:</source>
        <translation>自定义 URL：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="183" />
        <location filename="../ui/settings/firstrunwizard.cpp" line="185" />
        <location filename="../ui/settings/firstrunwizard.cpp" line="281" />
        <location filename="../ui/settings/firstrunwizard.cpp" line="283" />
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="189" />
        <source>Not tested yet. The test asks the platform for a tenant token and a long-connection endpoint; it does not disturb a running bot.</source>
        <translation>尚未测试。测试会向开放平台申请 tenant token 和长连接地址，不会影响正在运行的机器人。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="207" />
        <source>On the Feishu side</source>
        <translation>飞书侧配置</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="208" />
        <source>Check these in the Feishu developer console before the bot goes live.</source>
        <translation>机器人上线前，请在飞书开发者后台核对以下各项。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="213" />
        <source>Permissions (Permissions &amp; Scopes): %1, %2 and %3.</source>
        <translation>权限（权限管理）：%1、%2 和 %3。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="218" />
        <source>Optional, for syncing tickets with a Base table: %1.</source>
        <translation>可选，用于与多维表格同步工单：%1。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="222" />
        <source>Events &amp; Callbacks → subscription mode: “%1” (receive events over the long connection).</source>
        <translation>事件与回调 → 订阅方式：“%1”。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="225" />
        <source>Add the event %1 (receive messages).</source>
        <translation>添加事件 %1（接收消息）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="228" />
        <source>Enable the bot capability, then publish a new version after changing permissions: changes take effect only once the new version is published.</source>
        <translation>启用机器人能力；修改权限后请发布新版本（publish a new version after changing permissions）：新版本发布后更改才会生效。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="237" />
        <source>Tip: the console only receives events while it is connected. The Feishu console accepts the long-connection mode only while a client is connected, so save the setup first, then switch the mode.</source>
        <translation>提示：控制台只有在连接时才能收到事件。飞书后台只有在有客户端连接时才允许保存长连接模式，所以请先完成本设置，再切换订阅方式。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="247" />
        <source>Language model</source>
        <translation>大语言模型</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="248" />
        <source>Optional. Without an LLM the bot answers from the knowledge base only.</source>
        <translation>可选。不配置 LLM 时，机器人只根据知识库回答。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="254" />
        <source>LLM provider</source>
        <translation>LLM 服务商</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="255" />
        <source>No LLM, answer from the knowledge base only</source>
        <translation>不使用 LLM，只根据知识库回答</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="256" />
        <source>Qwen (DashScope)</source>
        <translation>通义千问（DashScope）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="257" />
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="258" />
        <source>DeepSeek</source>
        <translation>DeepSeek</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="259" />
        <source>Ollama (on this network)</source>
        <translation>Ollama（本地网络）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="260" />
        <source>Custom (OpenAI-compatible)</source>
        <translation>自定义（兼容 OpenAI）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="263" />
        <source>Base URL</source>
        <translation>Base URL</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="267" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="270" />
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="272" />
        <source>Provider:</source>
        <translation>服务商：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="273" />
        <source>Base URL:</source>
        <translation>Base URL：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="274" />
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="275" />
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="287" />
        <source>Not tested yet. The test sends one short question and reports the time the answer took.</source>
        <translation>尚未测试。测试会发送一个简短问题，并报告回答所用的时间。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="305" />
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="306" />
        <source>Finish saves these settings and starts the bot.</source>
        <translation>点击“完成”将保存这些设置并启动机器人。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="314" />
        <source>No keychain</source>
        <translation>没有可用的钥匙串</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="320" />
        <source>Choose where the secrets go. Nothing is stored until you choose.</source>
        <translation>请选择密钥的保存方式。在您选择之前不会保存任何内容。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="321" />
        <source>Keep them in a file only I can read (less secure)</source>
        <translation>保存在只有我能读取的文件中（安全性较低）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="323" />
        <source>Keep secrets in a file only I can read</source>
        <translation>将密钥保存在只有我能读取的文件中</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="324" />
        <source>Do not store them; ask at every start</source>
        <translation>不保存，每次启动时询问</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="326" />
        <source>Do not store secrets; ask at every start</source>
        <translation>不保存密钥，每次启动时询问</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="350" />
        <source>Import a .env file</source>
        <translation>导入 .env 文件</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="351" />
        <source>.env files (*.env .env);;All files (*)</source>
        <translation>.env 文件 (*.env .env);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="362" />
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="413" />
        <source>Found %n value(s) in %1.</source>
        <translation>
            <numerusform>在 %1 中找到 %n 个值。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="416" />
        <source>%n line(s) could not be read and were skipped.</source>
        <translation>
            <numerusform>有 %n 行无法读取，已跳过。</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="450" />
        <source>The custom domain must be an http(s) URL such as https://open.feishu.cn or http://127.0.0.1:8080.</source>
        <translation>自定义域名必须是 http(s) URL，例如 https://open.feishu.cn 或 http://127.0.0.1:8080。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="475" />
        <source>Testing %1 …</source>
        <translation>正在测试 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="485" />
        <source>tested, working</source>
        <translation>已测试，正常</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="485" />
        <source>tested, failed (code %1)</source>
        <translation>已测试，失败（代码 %1）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="495" />
        <source>Working: the platform issued a tenant token and a long-connection endpoint (%1 ms).</source>
        <translation>正常：开放平台已签发 tenant token 和长连接地址（%1 毫秒）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="498" />
        <location filename="../ui/settings/firstrunwizard.cpp" line="633" />
        <source>Enter the App ID and the App Secret first.</source>
        <translation>请先填写 App ID 和 App Secret。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="500" />
        <source>The platform does not accept this App ID.</source>
        <translation>开放平台不接受这个 App ID。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="501" />
        <source>Copy the App ID (it starts with cli_) again from Credentials &amp; Basic Info.</source>
        <translation>请从“凭证与基础信息”重新复制 App ID（以 cli_ 开头）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="504" />
        <source>The App Secret is wrong (or the App ID belongs to another app).</source>
        <translation>App Secret 不正确（或 App ID 属于另一个应用）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="506" />
        <source>Copy the App Secret again from Credentials &amp; Basic Info; if it was reset, use the new one.</source>
        <translation>请从“凭证与基础信息”重新复制 App Secret；如果已重置，请使用新的。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="509" />
        <source>The app lacks a permission or its latest version is not published.</source>
        <translation>应用缺少权限，或最新版本尚未发布。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="510" />
        <source>Add the permissions from the checklist, then publish a new version of the app.</source>
        <translation>按清单添加权限，然后发布应用的新版本。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="513" />
        <source>The credentials are right, but the platform refused the long connection.</source>
        <translation>凭证正确，但开放平台拒绝了长连接。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="514" />
        <source>Use a self-built app, choose “使用长连接接收事件” under Events &amp; Callbacks, and publish a new version.</source>
        <translation>请使用企业自建应用，在“事件与回调”中选择“使用长连接接收事件”，然后发布新版本。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="518" />
        <source>The platform refused the app (it is disabled or blocked).</source>
        <translation>开放平台拒绝了该应用（已停用或被封禁）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="519" />
        <source>Ask your Feishu administrator to enable the app.</source>
        <translation>请联系飞书管理员启用该应用。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="522" />
        <source>The platform is busy or had an internal error.</source>
        <translation>开放平台繁忙或发生内部错误。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="523" />
        <source>Try again in a minute.</source>
        <translation>请一分钟后重试。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="526" />
        <source>No answer from %1.</source>
        <translation>%1 没有应答。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="527" />
        <source>Check the domain, the network and the proxy setting.</source>
        <translation>请检查域名、网络和代理设置。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="530" />
        <source>The secure connection failed (the certificate is not trusted).</source>
        <translation>安全连接失败（证书不受信任）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="531" />
        <source>On an intranet that inspects TLS, set the extra CA certificate in the settings.</source>
        <translation>如果内网会检查 TLS 流量，请在设置中配置额外的 CA 证书。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="534" />
        <source>The answer was not what the platform sends.</source>
        <translation>应答内容不像是开放平台发出的。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="535" />
        <source>Check that the domain is the Feishu or Lark open platform (or your test server).</source>
        <translation>请确认域名是飞书或 Lark 开放平台（或您的测试服务器）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="540" />
        <source>Platform code %1: %2</source>
        <translation>平台错误码 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="541" />
        <source>Detail: %1</source>
        <translation>详情：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="544" />
        <source>tenant token</source>
        <translation>tenant token</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="544" />
        <source>long-connection endpoint</source>
        <translation>长连接地址</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="545" />
        <source>Failed at the %1 step. %2</source>
        <translation>在“%1”步骤失败。%2</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="547" />
        <source>What to do: %1</source>
        <translation>处理办法：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="568" />
        <source>not needed for Ollama</source>
        <translation>Ollama 不需要</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="572" />
        <source>The bot will answer from the knowledge base only.</source>
        <translation>机器人将只根据知识库回答。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="574" />
        <source>Not tested yet.</source>
        <translation>尚未测试。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="594" />
        <source>Asking %1 …</source>
        <translation>正在询问 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="607" />
        <source>Working: %1 answered in %2 ms (“%3”).</source>
        <translation>正常：%1 在 %2 毫秒内作答（“%3”）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="611" />
        <source>tested, %1 ms</source>
        <translation>已测试，%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="613" />
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="615" />
        <source>What to do: check the API key.</source>
        <translation>处理办法：请检查 API 密钥。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="618" />
        <source>What to do: check the base URL and the model name.</source>
        <translation>处理办法：请检查 Base URL 和模型名称。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="619" />
        <source>tested, failed</source>
        <translation>已测试，失败</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="650" />
        <source>The base URL must be an http(s) URL ending in /v1, e.g. https://api.openai.com/v1.</source>
        <translation>Base URL 必须是以 /v1 结尾的 http(s) URL，例如 https://api.openai.com/v1。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="652" />
        <source>Enter the model name.</source>
        <translation>请填写模型名称。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="685" />
        <source>not tested</source>
        <translation>未测试</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="687" />
        <source>Feishu app: %1</source>
        <translation>飞书应用：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="688" />
        <source>App Secret: %1</source>
        <translation>App Secret：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="689" />
        <source>Domain: %1</source>
        <translation>域名：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="690" />
        <source>Feishu test: %1</source>
        <translation>飞书测试：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="692" />
        <source>LLM: none, answers come from the knowledge base only</source>
        <translation>LLM：无，只根据知识库回答</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="694" />
        <source>LLM: %1, model %2</source>
        <translation>LLM：%1，模型 %2</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="695" />
        <source>Base URL: %1</source>
        <translation>Base URL：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="697" />
        <source>API key: %1</source>
        <translation>API 密钥：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="697" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="698" />
        <source>LLM test: %1</source>
        <translation>LLM 测试：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="706" />
        <source>Other imported settings: %n</source>
        <translation>
            <numerusform>其他导入的设置：%n 项</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="710" />
        <source>the system keychain</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="713" />
        <source>a file only you can read (less secure)</source>
        <translation>只有您能读取的文件（安全性较低）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="716" />
        <source>nowhere: you will be asked at every start</source>
        <translation>不保存：每次启动时询问</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="719" />
        <source>Secrets are kept in: %1</source>
        <translation>密钥保存位置：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="744" />
        <source>Cannot save the settings to %1.</source>
        <translation>无法将设置保存到 %1。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="762" />
        <source>Saving the secrets …</source>
        <translation>正在保存密钥 …</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="790" />
        <source>Waiting for your choice: the secrets are not stored yet.</source>
        <translation>等待您的选择：密钥尚未保存。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="798" />
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>HealthHint</name>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="251"/>
        <source>The App ID or App Secret is wrong or missing. Copy both again from the Feishu developer console (Credentials &amp; Basic Info) into the settings.</source>
        <translation>App ID 或 App Secret 错误或缺失。请从飞书开发者后台（凭证与基础信息）重新复制这两项到设置中。</translation>
    </message>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="256"/>
        <source>Feishu had an internal error; the bot keeps retrying. If it lasts, check the Feishu status page.</source>
        <translation>飞书内部出错，机器人会继续重试。如果一直如此，请查看飞书的状态页面。</translation>
    </message>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="260"/>
        <source>Feishu is busy; the bot keeps retrying on its own.</source>
        <translation>飞书繁忙，机器人会自动重试。</translation>
    </message>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="262"/>
        <source>The reconnect attempts the platform allows are used up. Press Reconnect, or check the network and the proxy settings.</source>
        <translation>平台允许的重连次数已用完。请点击“重新连接”，或检查网络和代理设置。</translation>
    </message>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="266"/>
        <source>In the Feishu developer console, turn on &quot;receive events over the long connection&quot; (使用长连接接收事件), subscribe to im.message.receive_v1, and publish a new version of the app.</source>
        <translation>请在飞书开发者后台开启“使用长连接接收事件”，订阅 im.message.receive_v1 事件，并发布应用的新版本。</translation>
    </message>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="271"/>
        <source>The app already has the most long connections Feishu allows (50). Stop other bots or consoles that use the same app, then press Reconnect.</source>
        <translation>该应用的长连接数已达到飞书允许的上限（50 个）。请停止使用同一应用的其他机器人或控制台，然后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="276"/>
        <source>Feishu refused the app: it is disabled or blocked. Ask the tenant administrator to enable it in the Feishu admin console.</source>
        <translation>飞书拒绝了该应用：它已被停用或封禁。请联系企业管理员在飞书管理后台启用该应用。</translation>
    </message>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="280"/>
        <source>A TLS problem: an intranet proxy may inspect traffic. Set its CA certificate (FEISHU_CA_FILE) or the proxy (FEISHU_PROXY) in the settings.</source>
        <translation>TLS 出错：内网代理可能在检查流量。请在设置中配置它的 CA 证书（FEISHU_CA_FILE）或代理（FEISHU_PROXY）。</translation>
    </message>
    <message>
        <location filename="../core/desk/healthmonitor.cpp" line="285"/>
        <source>The bot retries on its own. If this lasts, check the network, the proxy and the Feishu domain in the settings.</source>
        <translation>机器人会自动重试。如果一直如此，请检查设置中的网络、代理和飞书域名。</translation>
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="20" />
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="22" />
        <source>Connection health</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="38" />
        <source>Feishu long connection</source>
        <translation>飞书长连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="41" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="41" />
        <source>Connection state</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="42" />
        <source>In this state for</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="42" />
        <source>Time in this state</source>
        <translation>处于此状态的时间</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="43" />
        <source>Last event</source>
        <translation>最近事件</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="43" />
        <source>Time since the last event</source>
        <translation>距最近事件的时间</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="44" />
        <source>ACK latency (last minute)</source>
        <translation>ACK 延迟（最近一分钟）</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="44" />
        <source>ACK latency</source>
        <translation>ACK 延迟</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="45" />
        <source>Reconnects today</source>
        <translation>今日重连次数</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="46" />
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="47" />
        <source>What to do</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="47" />
        <source>What to do about the last error</source>
        <translation>如何处理最近的错误</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="48" />
        <source>Duplicates dropped</source>
        <translation>已丢弃的重复事件</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="49" />
        <source>Tenant token expires</source>
        <translation>租户令牌到期</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="49" />
        <source>Tenant token expiry</source>
        <translation>租户令牌到期时间</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="52" />
        <source>Replies and LLM</source>
        <translation>回复与 LLM</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="55" />
        <source>Outbox</source>
        <translation>发件箱</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="55" />
        <source>Outbox depth</source>
        <translation>发件箱深度</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="56" />
        <source>Oldest pending delivery</source>
        <translation>最早的待发送回复</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="57" />
        <source>LLM last latency</source>
        <translation>LLM 最近延迟</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="58" />
        <source>LLM last error</source>
        <translation>LLM 最近错误</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="62" />
        <location filename="../ui/health/healthpanel.cpp" line="64" />
        <source>Reconnect</source>
        <translation>重新连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="65" />
        <source>Drop the connection and dial a fresh endpoint</source>
        <translation>断开连接并重新获取接入点</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="121" />
        <source>bot paused</source>
        <translation>机器人已暂停</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="129" />
        <location filename="../ui/health/healthpanel.cpp" line="139" />
        <location filename="../ui/health/healthpanel.cpp" line="143" />
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="132" />
        <source>median %1, p99 %2</source>
        <translation>中位数 %1，P99 %2</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="135" />
        <source>%1 (since start: %2)</source>
        <translation>%1（自启动以来：%2）</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="136" />
        <location filename="../ui/health/healthpanel.cpp" line="145" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="137" />
        <source>%1 (code %2)</source>
        <translation>%1（代码 %2）</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/health/healthpanel.cpp" line="142" />
        <source>%n repl(ies) waiting</source>
        <translation>
            <numerusform>%n 条回复待发送</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="142" />
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="144" />
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="144" />
        <source>no call yet</source>
        <translation>尚未调用</translation>
    </message>
</context>
<context>
    <name>HealthText</name>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="13" />
        <source>Not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="15" />
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="17" />
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="19" />
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="21" />
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="30" />
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="32" />
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="34" />
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="35" />
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="41" />
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="42" />
        <source>%1 ago</source>
        <translation>%1前</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="48" />
        <source>no pushes in the last minute</source>
        <translation>最近一分钟没有推送</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="49" />
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="55" />
        <source>no token yet</source>
        <translation>尚无令牌</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="57" />
        <source>expired %1 ago (renewed at the next call)</source>
        <translation>已于 %1前过期（下次调用时自动续期）</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="58" />
        <source>in %1</source>
        <translation>%1后</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="68" />
        <source>Feishu does not accept the app's credentials, so the bot cannot connect. Fix: in the Feishu developer console open the app, copy the App ID and App Secret from "Credentials &amp; Basic Info" into the settings, then press Reconnect.</source>
        <translation>飞书不接受该应用的凭证，机器人无法连接。解决办法：在飞书开发者后台打开该应用，从“凭证与基础信息”中复制 App ID 和 App Secret 填入设置，然后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="72" />
        <source>Feishu allows at most 50 long connections per app and this one would exceed it. Fix: stop other bots or consoles that use the same app, then press Reconnect.</source>
        <translation>飞书每个应用最多允许 50 个长连接，本连接将超出限制。解决办法：停止使用同一应用的其他机器人或控制台，然后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="75" />
        <source>Feishu refused the app (it is disabled or blocked). Fix: ask the tenant administrator to enable the app in the Feishu admin console, then press Reconnect.</source>
        <translation>飞书拒绝了该应用（已停用或被封禁）。解决办法：请租户管理员在飞书管理后台启用该应用，然后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="78" />
        <source>Feishu does not let this app use the long connection. Fix: in the Feishu developer console open the app, under "Events &amp; Callbacks" choose "Receive events through persistent connection", subscribe to im.message.receive_v1, publish a new app version, then press Reconnect.</source>
        <translation>飞书不允许该应用使用长连接。解决办法：在飞书开发者后台打开该应用，在“事件与回调”中选择“使用长连接接收事件”，订阅 im.message.receive_v1 事件，发布新版本后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="87" />
        <source>Feishu connection: %1 for %2</source>
        <translation>飞书连接：%1，已持续 %2</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="89" />
        <source>The bot is paused: new conversations go to an operator.</source>
        <translation>机器人已暂停：新会话交给人工。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="90" />
        <source>Last event: %1</source>
        <translation>最近事件：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="91" />
        <source>ACK latency (last minute): median %1, p99 %2</source>
        <translation>ACK 延迟（最近一分钟）：中位数 %1，P99 %2</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="93" />
        <source>Reconnects today: %1</source>
        <translation>今日重连次数：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="95" />
        <source>Last error: %1 (code %2)</source>
        <translation>最近错误：%1（代码 %2）</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="96" />
        <source>Last error: %1</source>
        <translation>最近错误：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="98" />
        <source>What to do: %1</source>
        <translation>处理建议：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="100" />
        <source>Duplicates dropped: %1</source>
        <translation>已丢弃的重复事件：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="101" />
        <source>Token expires: %1</source>
        <translation>令牌到期：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="102" />
        <source>Outbox: %1 waiting, oldest since %2</source>
        <translation>发件箱：%1 条待发送，最早的来自 %2</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="105" />
        <source>Outbox: empty</source>
        <translation>发件箱：空</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="106" />
        <source>LLM: last answer in %1 ms</source>
        <translation>LLM：最近一次回答用时 %1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="107" />
        <source>LLM: no call yet</source>
        <translation>LLM：尚未调用</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="109" />
        <source>LLM last error: %1</source>
        <translation>LLM 最近错误：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="99"/>
        <source>The bot stopped trying to reconnect: the attempts the platform allows are used up. Fix: check the network, the proxy and the Feishu domain in the settings, then press Reconnect.</source>
        <translation>机器人已停止重连：平台允许的重连次数已用完。解决办法：检查设置中的网络、代理和飞书域名，然后点击“重新连接”。</translation>
    </message>
</context>
<context>
    <name>HeatMap</name>
    <message>
        <location filename="../ui/dashboard/chartsummary.cpp" line="64" />
        <source>No customer messages.</source>
        <translation>没有客户消息。</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/chartsummary.cpp" line="65" />
        <source>%1 customer messages in all; the busiest hour: %2 %3:00 (%4).</source>
        <translation>共 %1 条客户消息；最忙的时段：%2 %3:00（%4 条）。</translation>
    </message>
</context>
<context>
    <name>KnowledgeDesk</name>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="263" />
        <source>Enter a title: a short description of the problem.</source>
        <translation>请输入标题：问题的简短描述。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="267" />
        <source>The title is too long (at most %1 characters).</source>
        <translation>标题过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="269" />
        <source>Choose or type a category.</source>
        <translation>请选择或输入分类。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="273" />
        <source>The category is too long (at most %1 characters).</source>
        <translation>分类过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="276" />
        <source>Enter the solution: it is what the bot answers the customer.</source>
        <translation>请输入解决方案：机器人会用它回答客户。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="280" />
        <source>The solution is too long (at most %1 characters).</source>
        <translation>解决方案过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="284" />
        <source>The cause is too long (at most %1 characters).</source>
        <translation>原因过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="290" />
        <source>Too many items (at most %1).</source>
        <translation>项目过多（最多 %1 项）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="295" />
        <source>An item is too long (at most %1 characters).</source>
        <translation>有一项过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="302" />
        <source>An entry with the id %1 exists already: edit it instead.</source>
        <translation>ID 为 %1 的条目已存在，请直接编辑它。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="305" />
        <source>The entry %1 no longer exists (deleted meanwhile?).</source>
        <translation>条目 %1 已不存在（可能已被删除）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="335" />
        <location filename="../core/desk/knowledgedesk.cpp" line="340" />
        <source>The entry was not saved: %1</source>
        <translation>条目未保存：%1</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="426" />
        <source>Version %1 of %2 cannot be restored.</source>
        <translation>无法恢复 %2 的版本 %1。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="430" />
        <source>Version %1 is the same as the current entry: nothing to restore.</source>
        <translation>版本 %1 与当前条目相同，无需恢复。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="434" />
        <source>Version %1 was not restored: %2</source>
        <translation>版本 %1 未恢复：%2</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="681" />
        <source>%1: unknown file type (use .jsonl, .json or .csv)</source>
        <translation>%1：未知的文件类型（请使用 .jsonl、.json 或 .csv）</translation>
    </message>
</context>
<context>
    <name>KnowledgeEntryDialog</name>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="33" />
        <source>Knowledge entry %1</source>
        <translation>知识条目 %1</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="34" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="60" />
        <source>Knowledge entry</source>
        <translation>知识条目</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="36" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="37" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="38" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="39" />
        <source>Vehicle models</source>
        <translation>车型</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="40" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="41" />
        <source>Symptoms</source>
        <translation>症状</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="42" />
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="43" />
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="44" />
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="46" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="61" />
        <source>The knowledge entry %1 no longer exists.</source>
        <translation>知识条目 %1 已不存在。</translation>
    </message>
</context>
<context>
    <name>KnowledgeEntryForm</name>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="61" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="63" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="62" />
        <source>A short description of the problem</source>
        <translation>问题的简短描述</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="69" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="70" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="74" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="76" />
        <source>Vehicle models</source>
        <translation>车型</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="75" />
        <source>Separated by commas; empty = every model</source>
        <translation>用逗号分隔；留空表示所有车型</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="81" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="83" />
        <source>Symptoms</source>
        <translation>症状</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="82" />
        <source>One per line, in the customers' words</source>
        <translation>每行一条，用客户的原话</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="88" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="89" />
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="93" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="95" />
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="94" />
        <source>What the bot answers the customer</source>
        <translation>机器人回答客户的内容</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="99" />
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="101" />
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="100" />
        <source>Separated by commas</source>
        <translation>用逗号分隔</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="136" />
        <source>New entry</source>
        <translation>新建条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="136" />
        <source>New entry %1</source>
        <translation>新条目 %1</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="137" />
        <source>Entry %1</source>
        <translation>条目 %1</translation>
    </message>
</context>
<context>
    <name>KnowledgePage</name>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="33" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="35" />
        <location filename="../ui/knowledge/knowledgepage.cpp" line="232" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="37" />
        <source>Vehicle models</source>
        <translation>车型</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="39" />
        <source>Symptoms</source>
        <translation>症状</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="41" />
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="43" />
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="45" />
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="47" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="54" />
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="56" />
        <source>Edited</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="58" />
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="95" />
        <source>Search knowledge</source>
        <translation>搜索知识</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="96" />
        <source>Search knowledge (as the bot searches)</source>
        <translation>搜索知识（与机器人的检索相同）</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="101" />
        <source>Category filter</source>
        <translation>分类筛选</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="105" />
        <source>New entry</source>
        <translation>新建条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="106" />
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="106" />
        <location filename="../ui/knowledge/knowledgepage.cpp" line="290" />
        <source>Import knowledge</source>
        <translation>导入知识</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="107" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="107" />
        <location filename="../ui/knowledge/knowledgepage.cpp" line="295" />
        <source>Export knowledge</source>
        <translation>导出知识</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="115" />
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="143" />
        <source>Import or export progress</source>
        <translation>导入或导出进度</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="144" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="144" />
        <source>Cancel import or export</source>
        <translation>取消导入或导出</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="155" />
        <source>Import errors</source>
        <translation>导入错误</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="166" />
        <source>Entry, history and gaps</source>
        <translation>条目、历史和知识缺口</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="181" />
        <source>Revert</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="181" />
        <source>Revert changes</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="182" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="189" />
        <source>Similar entries (edit one of these instead of adding a duplicate):</source>
        <translation>相似条目（请编辑已有条目，不要重复新建）：</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="194" />
        <source>Similar entries</source>
        <translation>相似条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="197" />
        <source>Entry</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="203" />
        <source>Versions</source>
        <translation>版本列表</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="205" />
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="205" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="205" />
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="205" />
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="210" />
        <source>Changes of the version</source>
        <translation>该版本的变更</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="213" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="213" />
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="213" />
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="216" />
        <source>Restore this version</source>
        <translation>恢复此版本</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="219" />
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="224" />
        <source>Questions of the last 30 days that the bot handed to a person because no entry fitted, grouped:</source>
        <translation>最近 30 天因没有合适条目而转人工的问题（按相似度分组）：</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="230" />
        <source>Knowledge gaps</source>
        <translation>知识缺口</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="232" />
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="232" />
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="232" />
        <source>Last asked</source>
        <translation>最近提问</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="237" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="237" />
        <source>Refresh gaps</source>
        <translation>刷新知识缺口</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="238" />
        <source>New entry from this group</source>
        <translation>用此组新建条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="245" />
        <source>Gaps</source>
        <translation>知识缺口</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="290" />
        <source>Knowledge files (*.jsonl *.ndjson *.json *.csv)</source>
        <translation>知识文件 (*.jsonl *.ndjson *.json *.csv)</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="296" />
        <source>Knowledge files (*.jsonl *.json *.csv)</source>
        <translation>知识文件 (*.jsonl *.json *.csv)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="306" />
        <location filename="../ui/knowledge/knowledgepage.cpp" line="311" />
        <source>%n entries</source>
        <translation>
            <numerusform>共 %n 条</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="307" />
        <source>%n hits</source>
        <translation>
            <numerusform>命中 %n 条</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="330" />
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="331" />
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="352" />
        <source>The entry %1 no longer exists.</source>
        <translation>条目 %1 已不存在。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="389" />
        <source>Not saved: correct the marked fields.</source>
        <translation>未保存：请修改标出的字段。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="396" />
        <source>Not saved.</source>
        <translation>未保存。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="401" />
        <source>Saved %1. The bot answers with the new text from now on.</source>
        <translation>已保存 %1。机器人从现在起使用新内容回答。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="402" />
        <source>Knowledge entry %1 saved</source>
        <translation>知识条目 %1 已保存</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="415" />
        <source>Score %1; activate to edit this entry instead</source>
        <translation>得分 %1；双击改为编辑此条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="418" />
        <source>No similar entries.</source>
        <translation>没有相似条目。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="457" />
        <source>(first version)</source>
        <translation>（第一版）</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="481" />
        <source>Version %1 restored as a new version.</source>
        <translation>已将版本 %1 恢复为新版本。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="497" />
        <source>No handed-off questions. Nothing is missing.</source>
        <translation>没有转人工的问题，知识库没有缺口。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="512" />
        <source>A new entry from %n question(s). Write the solution, then save.</source>
        <translation>
            <numerusform>已根据 %n 个问题新建条目。请填写解决方案后保存。</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="522" />
        <source>Importing %1 …</source>
        <translation>正在导入 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="532" />
        <source>Exporting to %1 …</source>
        <translation>正在导出到 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="564" />
        <source>Imported %1 entries from %2: %3 new, %4 changed, %5 unchanged.</source>
        <translation>已从 %2 导入 %1 条：新增 %3，修改 %4，未变 %5。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="571" />
        <source>Exported %1 entries to %2.</source>
        <translation>已导出 %1 条到 %2。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="573" />
        <source>Import cancelled: nothing was imported.</source>
        <translation>导入已取消：未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="574" />
        <source>Export cancelled: no file was written.</source>
        <translation>导出已取消：未写入文件。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="577" />
        <source>Nothing was imported: %n row(s) rejected.</source>
        <translation>
            <numerusform>未导入任何内容：%n 行被拒绝。</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="578" />
        <source>The list is in %1.</source>
        <translation>错误清单见 %1。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="580" />
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="580" />
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>KnowledgeSearchDialog</name>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="75" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="76" />
        <source>Insert from knowledge</source>
        <translation>从知识库插入</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="79" />
        <source>Search knowledge</source>
        <translation>搜索知识库</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="80" />
        <source>Search knowledge, e.g. 车机没网</source>
        <translation>搜索知识库，例如：车机没网</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="84" />
        <source>Knowledge results</source>
        <translation>知识库结果</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="87" />
        <source>Solution preview</source>
        <translation>解决方案预览</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="90" />
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="92" />
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="93" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>KnowledgeTableModel</name>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="79" />
        <source>Imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="81" />
        <source>Operator</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="83" />
        <source>Promoted</source>
        <translation>对话提炼</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="85" />
        <source>Bitable</source>
        <translation>多维表格</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="130" />
        <source>Answers that cited this entry in the last 7 days</source>
        <translation>最近 7 天引用此条目的回答数</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="151" />
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="153" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="155" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="157" />
        <source>Vehicle models</source>
        <translation>车型</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="159" />
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="161" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="163" />
        <source>Cited (7 days)</source>
        <translation>引用（7 天）</translation>
    </message>
</context>
<context>
    <name>LogPage</name>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="36" />
        <source>Log level</source>
        <translation>日志级别</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="37" />
        <source>All levels</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="38" />
        <source>Info and above</source>
        <translation>信息及以上</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="39" />
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="40" />
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="45" />
        <source>Log category</source>
        <translation>日志类别</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="51" />
        <location filename="../ui/logs/logpage.cpp" line="52" />
        <source>Search the log</source>
        <translation>搜索日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="55" />
        <location filename="../ui/logs/logpage.cpp" line="183" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="57" />
        <source>Pause the log</source>
        <translation>暂停日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="60" />
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="62" />
        <source>Follow new lines</source>
        <translation>跟随新日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="65" />
        <location filename="../ui/logs/logpage.cpp" line="83" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="67" />
        <source>Copy the selected lines</source>
        <translation>复制所选行</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="68" />
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="70" />
        <source>Save the shown lines as a file</source>
        <translation>将显示的行保存为文件</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="74" />
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="88" />
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="160" />
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="171" />
        <source>The log is paused. Press Resume to see new lines.</source>
        <translation>日志已暂停。点击“继续”查看新日志。</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="172" />
        <source>No log lines yet. Lines appear here as the bot works.</source>
        <translation>还没有日志。机器人工作时日志会显示在这里。</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="174" />
        <source>No log lines match the filters. Clear the search or choose another level or category.</source>
        <translation>没有符合筛选条件的日志。请清除搜索，或选择其他级别或类别。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/logs/logpage.cpp" line="186" />
        <source>Resume (%n new)</source>
        <translation>
            <numerusform>继续（%n 条新日志）</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="186" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="255" />
        <location filename="../ui/logs/logpage.cpp" line="260" />
        <source>Save the log</source>
        <translation>保存日志</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="255" />
        <source>Log files (*.log *.txt)</source>
        <translation>日志文件 (*.log *.txt)</translation>
    </message>
    <message>
        <location filename="../ui/logs/logpage.cpp" line="260" />
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="26" />
        <source>TSP Assistant</source>
        <translation>TSP 助手</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="30" />
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="42" />
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43" />
        <source>The live conversations, review and takeover. This build has no conversations page yet.</source>
        <translation>实时会话、审核与接管。此版本尚未包含会话页面。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="44" />
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45" />
        <source>The knowledge base editor. This build has no knowledge page yet.</source>
        <translation>知识库编辑器。此版本尚未包含知识库页面。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="46" />
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="47" />
        <source>Charts of the bot's work and the connection health. This build has no dashboard yet.</source>
        <translation>机器人工作情况与连接健康的图表。此版本尚未包含仪表盘。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="48" />
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="49" />
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="50" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="85" />
        <source>Next conversation that needs a person</source>
        <translation>下一个需要人工的会话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87" />
        <source>Take over / hand back</source>
        <translation>接管 / 交还机器人</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="88" />
        <source>Approve the draft</source>
        <translation>批准草稿</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="89" />
        <source>Write a reply</source>
        <translation>撰写回复</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="90" />
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="103" />
        <source>Show %1</source>
        <translation>显示%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="107" />
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="110" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="168" />
        <source>Send the reply (in the reply box)</source>
        <translation>发送回复（在回复框中）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="170" />
        <source>Insert a knowledge entry (in the reply box)</source>
        <translation>插入知识条目（在回复框中）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="242" />
        <source>Quit TSP Assistant</source>
        <translation>退出 TSP 助手</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="243" />
        <source>Quit the console? The bot stops answering in Feishu until the console or the headless bot runs again.</source>
        <translation>退出控制台？在控制台或无界面机器人再次运行之前，机器人将不再在飞书中回复。</translation>
    </message>
</context>
<context>
    <name>OperatorDesk</name>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="629" />
        <location filename="../core/desk/operatordesk.cpp" line="643" />
        <source>The database refused the change; nothing was changed.</source>
        <translation>数据库拒绝了这次修改，没有任何内容被更改。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="650" />
        <source>Conversation #%1 does not exist.</source>
        <translation>会话 #%1 不存在。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="666" />
        <source>The default mode could not be saved (database error).</source>
        <translation>默认模式未能保存（数据库错误）。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="678" />
        <source>Draft #%1 does not exist.</source>
        <translation>草稿 #%1 不存在。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="680" />
        <source>This draft was already decided (%1).</source>
        <translation>这条草稿已经处理过了（%1）。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="683" />
        <source>The customer wrote again after this draft was made. Read the new message before approving.</source>
        <translation>草稿生成后客户又发了新消息。请先阅读新消息再批准。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="694" />
        <source>The reply is empty.</source>
        <translation>回复内容为空。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="730" />
        <source>Nothing to retry: this reply has not failed.</source>
        <translation>无需重试：这条回复没有发送失败。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="747" />
        <source>Turn #%1 does not exist.</source>
        <translation>消息 #%1 不存在。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="749" />
        <source>Only a reply sent to the customer can become knowledge.</source>
        <translation>只有已发给客户的回复才能加入知识库。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="755" />
        <source>The entry needs a title.</source>
        <translation>条目需要标题。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="757" />
        <source>The entry needs a solution.</source>
        <translation>条目需要解决方案。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="771" />
        <source>The entry could not be saved.</source>
        <translation>条目未能保存。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="780" />
        <source>The entry could not be saved (database error).</source>
        <translation>条目未能保存（数据库错误）。</translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="803" />
        <source>The change could not be saved (database error).</source>
        <translation>修改未能保存（数据库错误）。</translation>
    </message>
</context>
<context>
    <name>PromoteDialog</name>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="24" />
        <location filename="../ui/knowledge/promotedialog.cpp" line="25" />
        <source>Promote to knowledge</source>
        <translation>收录为知识</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="31" />
        <source>Promote as</source>
        <translation>收录方式</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="32" />
        <source>A new entry</source>
        <translation>新条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="36" />
        <source>A new version of %1 %2 (cited by the bot)</source>
        <translation>%1 %2 的新版本（机器人引用过）</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="38" />
        <source>Promote as:</source>
        <translation>收录方式：</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="43" />
        <source>From conversation #%1, reply #%2. The entry keeps this link.</source>
        <translation>来自会话 #%1 的回复 #%2。条目会保留这个来源链接。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="46" />
        <source>The reply #%1 no longer exists.</source>
        <translation>回复 #%1 已不存在。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="48" />
        <source>Origin:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="67" />
        <location filename="../ui/knowledge/promotedialog.cpp" line="69" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="72" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/promotedialog.cpp" line="131" />
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>SavedSettings</name>
    <message>
        <location filename="../core/config/savedsettings.cpp" line="110" />
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../core/config/savedsettings.cpp" line="121" />
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>SecretPrompt</name>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="17" />
        <source>Secrets for this session</source>
        <translation>本次运行的密钥</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="19" />
        <source>You chose not to store the secrets. Enter them for this session; they are kept in memory only and asked for again at the next start.</source>
        <translation>您选择了不保存密钥。请输入本次运行所需的密钥；它们只保存在内存中，下次启动时会再次询问。</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="24" />
        <source>App Secret</source>
        <translation>App Secret</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="25" />
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="26" />
        <source>Embedding API key</source>
        <translation>向量（Embedding）API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="37" />
        <location filename="../ui/settings/secretprompt.cpp" line="38" />
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="39" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <location filename="../core/config/secretstore.cpp" line="166" />
        <source>The keychain refused to delete %1: %2</source>
        <translation>钥匙串拒绝删除 %1：%2</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="236" />
        <source>Cannot read the secrets file %1: %2</source>
        <translation>无法读取密钥文件 %1：%2</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="250" />
        <source>Cannot create the folder %1 for the secrets file.</source>
        <translation>无法为密钥文件创建文件夹 %1。</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="256" />
        <source>Cannot remove the secrets file %1.</source>
        <translation>无法删除密钥文件 %1。</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="268" />
        <location filename="../core/config/secretstore.cpp" line="281" />
        <source>Cannot write the secrets file %1: %2</source>
        <translation>无法写入密钥文件 %1：%2</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="294" />
        <source>No keychain is available on this computer (no Secret Service is running), so the secrets cannot be stored securely.</source>
        <translation>这台电脑上没有可用的钥匙串（未运行 Secret Service），因此无法安全地保存密钥。</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="298" />
        <source>The keychain is locked and was not unlocked, so the secrets cannot be stored securely.</source>
        <translation>钥匙串已锁定且未被解锁，因此无法安全地保存密钥。</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="300" />
        <source>The keychain cannot be used (%1), so the secrets cannot be stored securely.</source>
        <translation>钥匙串无法使用（%1），因此无法安全地保存密钥。</translation>
    </message>
</context>
<context>
    <name>SessionTicketButton</name>
    <message>
        <location filename="../ui/tickets/sessionticketbutton.cpp" line="19" />
        <source>Ticket message</source>
        <translation>工单提示</translation>
    </message>
    <message>
        <location filename="../ui/tickets/sessionticketbutton.cpp" line="51" />
        <source>Open ticket %1 (%2)</source>
        <translation>打开工单 %1（%2）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/sessionticketbutton.cpp" line="52" />
        <source>Open ticket</source>
        <translation>打开工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/sessionticketbutton.cpp" line="53" />
        <source>Show this conversation's ticket in Tickets</source>
        <translation>在工单页显示此会话的工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/sessionticketbutton.cpp" line="55" />
        <location filename="../ui/tickets/sessionticketbutton.cpp" line="56" />
        <source>Create ticket</source>
        <translation>创建工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/sessionticketbutton.cpp" line="57" />
        <source>Make a ticket for this conversation, filled in from its analysis</source>
        <translation>为此会话创建工单，按 AI 分析自动填写</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../core/config/settingstable.cpp" line="43" />
        <source>App ID of the Feishu/Lark app (cli_...).</source>
        <translation>飞书/Lark 应用的 App ID（cli_...）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="47" />
        <source>App secret of the Feishu/Lark app.</source>
        <translation>飞书/Lark 应用的 App Secret。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="55" />
        <source>Open platform base URL: https://open.feishu.cn, https://open.larksuite.com (or feishu, lark), or a test server.</source>
        <translation>开放平台地址：https://open.feishu.cn、https://open.larksuite.com（或 feishu、lark），也可以是测试服务器。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="63" />
        <source>Proxy for every outbound connection (Feishu, LLM, embeddings): system, none, http://host:port or socks5://host:port.</source>
        <translation>所有对外连接（飞书、LLM、向量服务）使用的代理：system、none、http://host:port 或 socks5://host:port。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="72" />
        <source>Extra CA certificates (PEM file) for intranets that inspect TLS.</source>
        <translation>额外的 CA 证书（PEM 文件），用于会检查 TLS 流量的内网。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="82" />
        <source>The LLM service. Empty or none: answers come from the knowledge base alone (qwen when only LLM_API_KEY is set).</source>
        <translation>LLM 服务。为空或 none：只根据知识库回答（只设置了 LLM_API_KEY 时使用 qwen）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="89" />
        <source>API key of the LLM service (not needed for ollama).</source>
        <translation>LLM 服务的 API 密钥（ollama 不需要）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="94" />
        <source>The .../v1 base of an OpenAI-compatible API; empty takes the provider's preset.</source>
        <translation>兼容 OpenAI 的 API 的 .../v1 地址；为空时使用服务商的预设值。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="100" />
        <source>Model name; empty takes the provider's preset.</source>
        <translation>模型名称；为空时使用服务商的预设值。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="108" />
        <source>Sampling temperature of the answers.</source>
        <translation>回答的采样温度。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="116" />
        <source>Longest answer, in tokens.</source>
        <translation>回答的最大长度（token 数）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="124" />
        <source>Time for one LLM attempt, in milliseconds; after it the answer comes from the knowledge base.</source>
        <translation>一次 LLM 请求的时限（毫秒）；超时后改由知识库回答。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="134" />
        <source>Extra LLM attempts after a network error, 5xx or 429.</source>
        <translation>网络错误、5xx 或 429 之后额外重试 LLM 的次数。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="140" />
        <source>Stream answers from the LLM (drafts grow as they arrive).</source>
        <translation>以流式方式接收 LLM 回答（草稿随到随显示）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="144" />
        <source>The .../v1 base of an OpenAI-compatible embeddings API; empty: keyword search only.</source>
        <translation>兼容 OpenAI 的向量（embeddings）API 的 .../v1 地址；为空时只用关键词检索。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="151" />
        <source>API key of the embeddings API (default: LLM_API_KEY).</source>
        <translation>向量 API 的密钥（默认：LLM_API_KEY）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="157" />
        <source>Embedding model name.</source>
        <translation>向量模型名称。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="165" />
        <source>Time for one embeddings request, in milliseconds; after it the search ranks by keywords alone.</source>
        <translation>一次向量请求的时限（毫秒）；超时后只按关键词排序。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="175" />
        <source>Vector size asked of the embeddings API; 0 takes the model's own.</source>
        <translation>向向量 API 请求的向量维度；0 表示使用模型自身的维度。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="181" />
        <source>The app_token of the Feishu Base (多维表格) that tickets sync with; empty: no sync.</source>
        <translation>与工单同步的飞书多维表格的 app_token；留空表示不同步。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="187" />
        <source>The table (tbl...) in that Base that holds the tickets.</source>
        <translation>该多维表格中存放工单的数据表（tbl...）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="195" />
        <source>Minutes between two ticket syncs with the Base (0: only on request).</source>
        <translation>两次工单同步之间的分钟数（0：仅在手动请求时同步）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="201" />
        <source>Open a ticket for every conversation handed to a person.</source>
        <translation>每个转人工的会话都自动创建工单。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="205" />
        <source>JSON that renames the Base's ticket fields, e.g. {"title":"工单标题"}; empty: the default names.</source>
        <translation>用 JSON 重命名多维表格中的工单字段，例如 {"title":"工单标题"}；留空使用默认字段名。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="215" />
        <source>A conversation quiet this long starts afresh.</source>
        <translation>会话空闲超过此时长后重新开始。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="222" />
        <source>Mode of new conversations: auto (the bot answers), review (an operator approves drafts), manual (operators answer).</source>
        <translation>新会话的模式：auto（机器人自动回答）、review（由操作员审核草稿）、manual（由操作员回答）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="229" />
        <source>Where conversations and knowledge are stored: sqlite:///relative.db, sqlite:////abs/path.db or postgresql://user:pass@host:port/db.</source>
        <translation>会话和知识的存储位置：sqlite:///relative.db、sqlite:////abs/path.db 或 postgresql://user:pass@host:port/db。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="240" />
        <source>Least severe message that is logged.</source>
        <translation>记录日志的最低级别。</translation>
    </message>
    <message>
        <source>History window: how many earlier turns of the conversation the LLM is given with a question (0: the question alone).</source>
        <translation>历史窗口：随问题一起提供给大模型的此前对话轮数（0：只提供问题本身）。</translation>
    </message>
    <message>
        <source>Language of the console: system (follow the system), zh_CN (中文) or en (English). Applies at the next start.</source>
        <translation>控制台语言：system（跟随系统）、zh_CN（中文）或 en（English）。下次启动时生效。</translation>
    </message>
    <message>
        <source>Start the console hidden in the tray (minimized when there is no tray); the bot runs all the same.</source>
        <translation>启动时隐藏到托盘（没有托盘时最小化）；机器人照常运行。</translation>
    </message>
    <message>
        <source>The log file (its folder is created); relative paths are taken from the data dir.</source>
        <translation>日志文件（会自动创建所在文件夹）；相对路径以数据目录为起点。</translation>
    </message>
    <message>
        <source>Review mode: how long a draft waits for an operator, in seconds, before DRAFT_TIMEOUT_POLICY applies (0: it waits for ever).</source>
        <translation>审核模式：草稿等待客服处理的时长（秒），超时后按 DRAFT_TIMEOUT_POLICY 处理（0：一直等待）。</translation>
    </message>
    <message>
        <source>What happens to a draft nobody decided in time: send (sent as the bot wrote it) or handoff (the customer is told a person takes over, and the conversation goes to manual).</source>
        <translation>草稿超时无人处理时：send（按机器人原文发送）或 handoff（告知客户将由人工接手，会话转为人工模式）。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="58" />
        <source>Feishu</source>
        <translation>飞书</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="60" />
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="62" />
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="64" />
        <source>Interface</source>
        <translation>界面</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="66" />
        <source>Logging</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="98" />
        <source>Settings groups</source>
        <translation>设置分组</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="118" />
        <location filename="../ui/settings/settingspage.cpp" line="120" />
        <source>Start at login</source>
        <translation>登录时启动</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="123" />
        <source>Adds the console to the programs your desktop starts when you log in (%1).</source>
        <translation>将控制台加入桌面登录时自动启动的程序（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="131" />
        <source>Login:</source>
        <translation>登录：</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="134" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="136" />
        <location filename="../ui/settings/settingspage.cpp" line="496" />
        <source>Export settings</source>
        <translation>导出设置</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="137" />
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="139" />
        <location filename="../ui/settings/settingspage.cpp" line="507" />
        <source>Import settings</source>
        <translation>导入设置</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="140" />
        <source>Setup wizard…</source>
        <translation>设置向导…</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="142" />
        <source>Open the setup wizard</source>
        <translation>打开设置向导</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="143" />
        <location filename="../ui/settings/settingspage.cpp" line="145" />
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="187" />
        <source>(default: %1)</source>
        <translation>（默认：%1）</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="203" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="204" />
        <source>Browse for %1</source>
        <translation>为 %1 选择文件</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="262" />
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="264" />
        <source>environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="266" />
        <source>.env</source>
        <translation>.env</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="268" />
        <source>saved</source>
        <translation>已保存的设置</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="270" />
        <source>default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="312" />
        <source>Not valid here.</source>
        <translation>此处不接受该值。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="328" />
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="330" />
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="331" />
        <source>Default: %1 · From: %2</source>
        <translation>默认：%1 · 来源：%2</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="334" />
        <source>(a value saved here applies only once that is removed)</source>
        <translation>（在此保存的值要在其被移除后才生效）</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="337" />
        <source>· A value is stored; type to replace it.</source>
        <translation>· 已保存一个值；输入新值即可替换。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="337" />
        <source>· Nothing stored.</source>
        <translation>· 未保存。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="339" />
        <source>· Changed, not applied yet.</source>
        <translation>· 已修改，尚未应用。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="358" />
        <source>Less secure: the secrets are kept in a file only you can read (%1), because no keychain was available.</source>
        <translation>安全性较低：由于没有可用的钥匙串，密钥保存在只有您能读取的文件中（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="362" />
        <source>The secrets are not stored: you are asked for them at every start.</source>
        <translation>密钥未保存：每次启动时都会询问。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="416" />
        <source>Not applied: %1</source>
        <translation>未应用：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="443" />
        <source>Cannot save the settings to %1.</source>
        <translation>无法将设置保存到 %1。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="463" />
        <source>Nothing to apply.</source>
        <translation>没有需要应用的更改。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/settingspage.cpp" line="464" />
        <source>Applied %n change(s).</source>
        <translation>
            <numerusform>已应用 %n 项更改。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/settingspage.cpp" line="489" />
        <source>Imported %n value(s); review them and press Apply.</source>
        <translation>
            <numerusform>已导入 %n 个值；请检查后点击“应用”。</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="490" />
        <source>Secrets in the file were ignored.</source>
        <translation>文件中的密钥已被忽略。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="501" />
        <source>Exported to %1 (without secrets).</source>
        <translation>已导出到 %1（不含密钥）。</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="12" />
        <location filename="../ui/shortcutsdialog.cpp" line="15" />
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="16" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../ui/shortcutsdialog.cpp" line="16" />
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="29" />
        <source>VIN</source>
        <translation>车架号</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="31" />
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="33" />
        <source>DTC</source>
        <translation>故障码</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="35" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="46" />
        <source>AI analysis</source>
        <translation>AI 分析</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="47" />
        <location filename="../ui/conversations/sidepanel.cpp" line="54" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="48" />
        <location filename="../ui/conversations/sidepanel.cpp" line="55" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="49" />
        <location filename="../ui/conversations/sidepanel.cpp" line="56" />
        <source>Entities</source>
        <translation>识别信息</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="50" />
        <location filename="../ui/conversations/sidepanel.cpp" line="57" />
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="51" />
        <source>Suggested next step</source>
        <translation>建议的下一步</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="58" />
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="60" />
        <location filename="../ui/conversations/sidepanel.cpp" line="65" />
        <source>Earlier conversations of this vehicle</source>
        <translation>该车辆的历史会话</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="66" />
        <source>Double-click or press Enter to open</source>
        <translation>双击或按回车打开</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="71" />
        <location filename="../ui/conversations/sidepanel.cpp" line="74" />
        <source>Session key</source>
        <translation>会话键</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="107" />
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="117" />
        <source>Not analysed yet</source>
        <translation>尚未分析</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="133" />
        <source>No VIN or plate known for this conversation yet.</source>
        <translation>此会话尚未识别到车架号或车牌。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="146" />
        <source>No earlier conversation of %1.</source>
        <translation>%1 没有历史会话。</translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="147" />
        <source>Found by %1.</source>
        <translation>按 %1 查找。</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../ui/statuspanel.cpp" line="94" />
        <source>%1 · bot paused</source>
        <translation>%1 · 机器人已暂停</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="96" />
        <source>Connection state</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="101" />
        <source>Needs a person: %1</source>
        <translation>需人工：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="102" />
        <source>Conversations that need a person</source>
        <translation>需要人工的会话</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="103" />
        <source>Click to open the next conversation that needs a person</source>
        <translation>点击打开下一个需要人工的会话</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="107" />
        <source>Drafts waiting: %1</source>
        <translation>待审草稿：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspanel.cpp" line="108" />
        <source>Drafts waiting for review</source>
        <translation>等待审核的草稿</translation>
    </message>
</context>
<context>
    <name>ThreadDelegate</name>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="100" />
        <location filename="../ui/conversations/threadview.cpp" line="218" />
        <source>Retry</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>ThreadView</name>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="250" />
        <source>Thread</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="260" />
        <source>Retry delivery</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="345" />
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="347" />
        <source>Copy text</source>
        <translation>复制文本</translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="267" />
        <source>Promote to knowledge</source>
        <translation>收录为知识</translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="269" />
        <source>Make the selected reply (or the newest operator reply) a knowledge entry</source>
        <translation>把选中的回复（或最新的人工回复）收录为知识条目</translation>
    </message>
</context>
<context>
    <name>TicketDesk</name>
    <message numerus="yes">
        <source>%n ticket(s) pulled, %1 pushed, %2 conflict(s), %3 failed</source>
        <translation type="vanished">
            <numerusform>拉取 %n 个工单，推送 %1 个，冲突 %2 个，失败 %3 个</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="105" />
        <source>The ticket could not be created: %1</source>
        <translation>无法创建工单：%1</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="112" />
        <source>The ticket could not be saved: %1</source>
        <translation>无法保存工单：%1</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="120" />
        <location filename="../core/desk/ticketdesk.cpp" line="131" />
        <location filename="../core/desk/ticketdesk.cpp" line="140" />
        <location filename="../core/desk/ticketdesk.cpp" line="175" />
        <source>This ticket no longer exists.</source>
        <translation>该工单已不存在。</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="122" />
        <source>Unknown status "%1".</source>
        <translation>未知状态“%1”。</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="142" />
        <source>Write how the problem was solved first.</source>
        <translation>请先填写问题的解决方案。</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="172" />
        <source>There is no knowledge base.</source>
        <translation>没有可用的知识库。</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="177" />
        <source>Only a resolved ticket with a resolution can become knowledge.</source>
        <translation>只有已解决且填写了解决方案的工单才能转为知识条目。</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="182" />
        <source>The knowledge entry could not be updated: %1</source>
        <translation>无法更新知识条目：%1</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="186" />
        <source>The knowledge entry could not be created: %1</source>
        <translation>无法创建知识条目：%1</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="204" />
        <source>Bitable is not configured (BITABLE_APP_TOKEN, BITABLE_TABLE_ID).</source>
        <translation>未配置多维表格（BITABLE_APP_TOKEN、BITABLE_TABLE_ID）。</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="206" />
        <source>A sync is already running.</source>
        <translation>同步正在进行中。</translation>
    </message>
    <message>
        <location filename="../core/desk/ticketdesk.cpp" line="196"/>
        <source>This ticket is no longer in conflict (a sync or another operator resolved it).</source>
        <translation>该工单已不在冲突中（已被同步或其他客服处理）。</translation>
    </message>
</context>
<context>
    <name>TicketDetail</name>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="53" />
        <source>Ticket title</source>
        <translation>工单标题</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="62" />
        <source>Sync state</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="63" />
        <source>Resolve conflict…</source>
        <translation>处理冲突…</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="65" />
        <source>Resolve conflict</source>
        <translation>处理冲突</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="71" />
        <source>Handling</source>
        <translation>处理</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="74" />
        <source>Ticket status</source>
        <translation>工单状态</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="79" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="93" />
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="80" />
        <source>Who handles it (Enter saves)</source>
        <translation>由谁处理（按回车保存）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="83" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="94" />
        <source>Resolution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="84" />
        <source>How the problem was solved</source>
        <translation>问题是如何解决的</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="87" />
        <source>Resolve</source>
        <translation>解决</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="89" />
        <source>Resolve the ticket</source>
        <translation>解决此工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="92" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="105" />
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="107" />
        <source>Do not make a knowledge entry</source>
        <translation>不创建知识条目</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="119" />
        <source>Ticket message</source>
        <translation>工单提示</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="124" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="125" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="135" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="126" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="136" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="127" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="137" />
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="128" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="138" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="129" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="139" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="130" />
        <source>Created and updated</source>
        <translation>创建和更新时间</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="131" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="141" />
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="132" />
        <source>Knowledge entry</source>
        <translation>知识条目</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="140" />
        <source>Created / updated</source>
        <translation>创建 / 更新</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="142" />
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="144" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="147" />
        <source>Linked conversations</source>
        <translation>关联会话</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="148" />
        <source>Double-click or press Enter to open it in Conversations</source>
        <translation>双击或按回车在会话页打开</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="150" />
        <location filename="../ui/tickets/ticketdetail.cpp" line="152" />
        <source>Open conversation</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="183" />
        <source>Assignee saved.</source>
        <translation>处理人已保存。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="223" />
        <source>This ticket no longer exists.</source>
        <translation>此工单已不存在。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="230" />
        <source>%1 (Bitable record %2)</source>
        <translation>%1（多维表格记录 %2）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="233" />
        <source>%1 in %2</source>
        <translation>%1，群 %2</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="244" />
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="252" />
        <source>Sync: %1</source>
        <translation>同步：%1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="258" />
        <source>Conversation %1</source>
        <translation>会话 %1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="263" />
        <source>No linked conversation (imported from Bitable or made by hand).</source>
        <translation>没有关联会话（从多维表格导入或手动创建）。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="289" />
        <source>Status set to %1.</source>
        <translation>状态已改为%1。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="300" />
        <source>Resolved.</source>
        <translation>已解决。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="312" />
        <source>This ticket came from knowledge entry %1. Update that entry with this resolution, so the bot answers with it?</source>
        <translation>此工单来自知识条目 %1。要用这个解决方案更新该条目，让机器人以后按它回答吗？</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="315" />
        <source>Turn this ticket into a knowledge entry, so the bot can answer the next customer with the same problem?</source>
        <translation>要把此工单转为知识条目，让机器人能回答遇到同样问题的下一位客户吗？</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="317" />
        <source>Update knowledge entry</source>
        <translation>更新知识条目</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="317" />
        <source>Create knowledge entry</source>
        <translation>创建知识条目</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="331" />
        <source>Knowledge entry %1 saved. It can be edited in Knowledge.</source>
        <translation>知识条目 %1 已保存，可在“知识库”中编辑。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="273"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketdetail.cpp" line="275"/>
        <source>Conversation %1: %2 (%3)</source>
        <translation>会话 %1：%2（%3）</translation>
    </message>
</context>
<context>
    <name>TicketListModel</name>
    <message>
        <location filename="../ui/tickets/ticketlistmodel.cpp" line="57" />
        <source>(no title)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketlistmodel.cpp" line="90" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketlistmodel.cpp" line="92" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketlistmodel.cpp" line="94" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketlistmodel.cpp" line="96" />
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketlistmodel.cpp" line="98" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketlistmodel.cpp" line="100" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
</context>
<context>
    <name>TicketText</name>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="53" />
        <source>changed here and in Bitable: %1</source>
        <translation>本机和多维表格都修改了：%1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="16" />
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="18" />
        <source>In progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="20" />
        <source>Waiting for the customer</source>
        <translation>待客户反馈</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="22" />
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="24" />
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="32" />
        <source>Synced</source>
        <translation>已同步</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="34" />
        <source>Pending</source>
        <translation>待同步</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="36" />
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="38" />
        <source>Error</source>
        <translation>出错</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="47" />
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="73" />
        <source>Number</source>
        <translation>工单编号</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="74" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="75" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="76" />
        <source>VIN</source>
        <translation>车架号</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="77" />
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="78" />
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="79" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="80" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="81" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="82" />
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="83" />
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="84" />
        <source>Resolution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="85" />
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="86" />
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="51"/>
        <location filename="../ui/tickets/tickettext.cpp" line="150"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="53"/>
        <source>Bitable refused a value (code %1: %2)</source>
        <translation>多维表格拒绝了一个字段值（代码 %1：%2）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="57"/>
        <location filename="../ui/tickets/tickettext.cpp" line="165"/>
        <source>code %1: %2</source>
        <translation>代码 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="59"/>
        <source>Bitable created no record for it</source>
        <translation>多维表格没有为它创建记录</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="79"/>
        <source>reading the table&apos;s fields</source>
        <translation>正在读取表格的字段</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="81"/>
        <source>pulled %1 of %2 records</source>
        <translation>已拉取 %1 / %2 条记录</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="83"/>
        <source>pushing %1 tickets (%2 new)</source>
        <translation>正在推送 %1 个工单（其中 %2 个新建）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="87"/>
        <source>pushed %1 of %2 tickets</source>
        <translation>已推送 %1 / %2 个工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="89"/>
        <source>Bitable answered code %1, retry %2 in %3 s</source>
        <translation>多维表格返回代码 %1，%3 秒后第 %2 次重试</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="94"/>
        <source>a batch of %1 was refused (code %2: %3); sending its records one by one</source>
        <translation>一批 %1 条记录被拒绝（代码 %2：%3），改为逐条发送</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="107"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="109"/>
        <source>number</source>
        <translation>数字</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="111"/>
        <source>single select</source>
        <translation>单选</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="113"/>
        <source>multi select</source>
        <translation>多选</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="115"/>
        <source>date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="117"/>
        <source>checkbox</source>
        <translation>复选框</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="119"/>
        <source>person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="121"/>
        <source>link</source>
        <translation>关联</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="123"/>
        <source>created time</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="125"/>
        <source>modified time</source>
        <translation>最后更新时间</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="127"/>
        <source>type %1</source>
        <translation>类型 %1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="136"/>
        <source>the Bitable field &quot;%1&quot; is mapped twice (%2 and %3)</source>
        <translation>多维表格字段“%1”被映射了两次（%2 和 %3）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="140"/>
        <source>the table has no field &quot;%1&quot; (for %2)</source>
        <translation>表格中没有字段“%1”（用于%2）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="143"/>
        <source>the field &quot;%1&quot; (for %2) is %3; it must be %4</source>
        <translation>字段“%1”（用于%2）的类型是%3，应为%4</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="146"/>
        <source>date (or created/modified time)</source>
        <translation>日期（或创建时间/最后更新时间）</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="149"/>
        <source>the field &quot;%1&quot; lacks the status options %2</source>
        <translation>字段“%1”缺少状态选项 %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tickets/tickettext.cpp" line="159"/>
        <source>%n ticket(s) pulled, %1 pushed, %2 conflict(s), %3 failed</source>
        <translation>
            <numerusform>拉取 %n 个工单，推送 %1 个，冲突 %2 个，失败 %3 个</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="173"/>
        <source>Bitable is not configured: set BITABLE_APP_TOKEN and BITABLE_TABLE_ID in the settings.</source>
        <translation>未配置多维表格：请在设置中填写 BITABLE_APP_TOKEN 和 BITABLE_TABLE_ID。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="177"/>
        <source>the table&apos;s fields cannot be read (%1).</source>
        <translation>无法读取表格的字段（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="183"/>
        <source>the Bitable table does not fit the ticket field map, nothing was written: %1</source>
        <translation>多维表格与工单字段映射不符，未写入任何内容：%1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="186"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="189"/>
        <source>the Bitable records cannot be read (%1).</source>
        <translation>无法读取多维表格的记录（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/tickettext.cpp" line="192"/>
        <source>Bitable refused a write (%1).</source>
        <translation>多维表格拒绝了写入（%1）。</translation>
    </message>
</context>
<context>
    <name>TicketsPage</name>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="61" />
        <source>Search tickets</source>
        <translation>搜索工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="62" />
        <source>Number, title, customer, VIN or plate</source>
        <translation>编号、标题、客户、车架号或车牌</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="64" />
        <source>Status filter</source>
        <translation>状态筛选</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="65" />
        <source>Assignee filter</source>
        <translation>处理人筛选</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="66" />
        <source>Category filter</source>
        <translation>分类筛选</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="67" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="69" />
        <source>Sync tickets</source>
        <translation>同步工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="72" />
        <source>Sync progress</source>
        <translation>同步进度</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="77" />
        <source>Sync message</source>
        <translation>同步消息</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="93" />
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="108" />
        <source>No tickets</source>
        <translation>没有工单</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="123" />
        <source>Select a ticket to see it here.</source>
        <translation>选择一个工单，在此查看详情。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="175" />
        <source>Syncing with Bitable…</source>
        <translation>正在与多维表格同步…</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="186" />
        <source>Syncing with Bitable: %1</source>
        <translation>正在与多维表格同步：%1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="192" />
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="192" />
        <source>Sync failed: %1</source>
        <translation>同步失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="219" />
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="223" />
        <source>All assignees</source>
        <translation>全部处理人</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="227" />
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="248" />
        <source>No ticket matches these filters. Clear the search or pick &quot;All&quot; in the filters.</source>
        <translation>没有符合这些筛选条件的工单。请清空搜索，或在筛选中选择“全部”。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="250" />
        <source>No tickets yet.

Open a conversation and press &quot;Create ticket&quot; in its side panel, or press &quot;Sync now&quot; to bring in the tickets of the Bitable table.</source>
        <translation>还没有工单。

打开一个会话，在右侧面板点击“创建工单”；或点击“立即同步”导入多维表格中的工单。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="253" />
        <source>No tickets yet.

Open a conversation and press &quot;Create ticket&quot; in its side panel. To share tickets with a Feishu Bitable, set BITABLE_APP_TOKEN and BITABLE_TABLE_ID in the settings.</source>
        <translation>还没有工单。

打开一个会话，在右侧面板点击“创建工单”。如需与飞书多维表格共享工单，请在设置中填写 BITABLE_APP_TOKEN 和 BITABLE_TABLE_ID。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="265" />
        <source>Bitable is not configured</source>
        <translation>未配置多维表格</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="266" />
        <source>Bitable is not configured: tickets stay on this computer. Set BITABLE_APP_TOKEN and BITABLE_TABLE_ID in the settings to sync them.</source>
        <translation>未配置多维表格：工单只保存在本机。在设置中填写 BITABLE_APP_TOKEN 和 BITABLE_TABLE_ID 即可同步。</translation>
    </message>
    <message>
        <location filename="../ui/tickets/ticketspage.cpp" line="269" />
        <source>Pull the changes from Bitable and push the local ones</source>
        <translation>拉取多维表格中的修改，并推送本机的修改</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <location filename="../app/traycontroller.cpp" line="20" />
        <location filename="../app/traycontroller.cpp" line="133" />
        <source>Show the console</source>
        <translation>显示控制台</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="23" />
        <source>Pause the bot (new conversations go to a person)</source>
        <translation>暂停机器人（新会话转人工）</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="26" />
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="34" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="133" />
        <source>Hide the console</source>
        <translation>隐藏控制台</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="138" />
        <source>TSP Assistant: %1</source>
        <translation>TSP 助手：%1</translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="140" />
        <source>The bot is paused</source>
        <translation>机器人已暂停</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="141" />
        <source>%n conversation(s) need a person</source>
        <translation>
            <numerusform>%n 个会话需要人工</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="142" />
        <source>%n draft(s) waiting</source>
        <translation>
            <numerusform>%n 个草稿待审核</numerusform></translation>
    </message>
    <message>
        <location filename="../app/traycontroller.cpp" line="226" />
        <source>TSP Assistant</source>
        <translation>TSP 助手</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/traycontroller.cpp" line="227" />
        <source>%n more conversation(s) need your attention. Open the console to see them.</source>
        <translation>
            <numerusform>另有 %n 个会话需要您处理。请打开控制台查看。</numerusform></translation>
    </message>
</context>
</TS>