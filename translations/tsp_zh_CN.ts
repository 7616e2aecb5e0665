<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="33"/>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="37"/>
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="46"/>
        <source>Period</source>
        <translation>时间段</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="47"/>
        <source>Day</source>
        <translation>按天</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="48"/>
        <source>Week</source>
        <translation>按周</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="51"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="54"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="56"/>
        <source>Refresh dashboard</source>
        <translation>刷新仪表盘</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="66"/>
        <source>Conversations today</source>
        <translation>今日会话</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="68"/>
        <source>Answered by the bot alone</source>
        <translation>机器人独立解答</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="68"/>
        <source>Share answered by the bot alone</source>
        <translation>机器人独立解答比例</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="70"/>
        <source>Waiting for a person now</source>
        <translation>当前等待人工</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="70"/>
        <source>Conversations waiting for a person</source>
        <translation>等待人工的会话</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="71"/>
        <source>Median first reply today</source>
        <translation>今日首次回复中位数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="71"/>
        <source>Median first reply</source>
        <translation>首次回复中位数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="93"/>
        <source>Messages per hour</source>
        <translation>每小时消息数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="94"/>
        <source>Customer messages by day and hour</source>
        <translation>客户消息（按日期和小时）</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="95"/>
        <source>How conversations ended</source>
        <translation>会话结果</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="96"/>
        <source>Time to first reply (seconds)</source>
        <translation>首次回复用时（秒）</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="97"/>
        <source>Top categories (bot-alone share)</source>
        <translation>热门分类（机器人独立解答比例）</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="98"/>
        <source>Draft outcomes (review mode)</source>
        <translation>草稿处理结果（审核模式）</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="100"/>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="101"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="163"/>
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="181"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="182"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="190"/>
        <source>Cannot compute the figures: %1</source>
        <translation>无法计算统计数据：%1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="195"/>
        <source>No data for this day.</source>
        <translation>这一天没有数据。</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="195"/>
        <source>No data for this week.</source>
        <translation>这一周没有数据。</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="218"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="218"/>
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="219"/>
        <source>Messages</source>
        <translation>消息数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="231"/>
        <source>Bot alone</source>
        <translation>机器人解答</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="231"/>
        <source>Handed to a person</source>
        <translation>转人工</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="231"/>
        <source>Operator takeover</source>
        <translation>人工接管</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="232"/>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="235"/>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="262"/>
        <source>Conversations</source>
        <translation>会话数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="243"/>
        <source>Bot</source>
        <translation>机器人</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="243"/>
        <source>Operator</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="244"/>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="245"/>
        <source>90th percentile</source>
        <translation>P90</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="248"/>
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="258"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/dashboard/dashboardpage.cpp" line="268"/>
        <source>%n draft(s) waiting; none decided yet.</source>
        <translation><numerusform>%n 条草稿待审核，尚无决定。</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="271"/>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="271"/>
        <source>Edited</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="271"/>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="272"/>
        <location filename="../ui/dashboard/dashboardpage.cpp" line="275"/>
        <source>Drafts</source>
        <translation>草稿</translation>
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="20"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="22"/>
        <source>Connection health</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="38"/>
        <source>Feishu long connection</source>
        <translation>飞书长连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="41"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="41"/>
        <source>Connection state</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="42"/>
        <source>In this state for</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="42"/>
        <source>Time in this state</source>
        <translation>处于此状态的时间</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="43"/>
        <source>Last event</source>
        <translation>最近事件</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="43"/>
        <source>Time since the last event</source>
        <translation>距最近事件的时间</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="44"/>
        <source>ACK latency (last minute)</source>
        <translation>ACK 延迟（最近一分钟）</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="44"/>
        <source>ACK latency</source>
        <translation>ACK 延迟</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="45"/>
        <source>Reconnects today</source>
        <translation>今日重连次数</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="46"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="47"/>
        <source>What to do</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="47"/>
        <source>What to do about the last error</source>
        <translation>如何处理最近的错误</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="48"/>
        <source>Duplicates dropped</source>
        <translation>已丢弃的重复事件</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="49"/>
        <source>Tenant token expires</source>
        <translation>租户令牌到期</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="49"/>
        <source>Tenant token expiry</source>
        <translation>租户令牌到期时间</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="52"/>
        <source>Replies and LLM</source>
        <translation>回复与 LLM</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="55"/>
        <source>Outbox</source>
        <translation>发件箱</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="55"/>
        <source>Outbox depth</source>
        <translation>发件箱深度</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="56"/>
        <source>Oldest pending delivery</source>
        <translation>最早的待发送回复</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="57"/>
        <source>LLM last latency</source>
        <translation>LLM 最近延迟</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="58"/>
        <source>LLM last error</source>
        <translation>LLM 最近错误</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="62"/>
        <location filename="../ui/health/healthpanel.cpp" line="64"/>
        <source>Reconnect</source>
        <translation>重新连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="65"/>
        <source>Drop the connection and dial a fresh endpoint</source>
        <translation>断开连接并重新获取接入点</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="121"/>
        <source>bot paused</source>
        <translation>机器人已暂停</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="129"/>
        <location filename="../ui/health/healthpanel.cpp" line="139"/>
        <location filename="../ui/health/healthpanel.cpp" line="143"/>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="132"/>
        <source>median %1, p99 %2</source>
        <translation>中位数 %1，P99 %2</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="135"/>
        <source>%1 (since start: %2)</source>
        <translation>%1（自启动以来：%2）</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="136"/>
        <location filename="../ui/health/healthpanel.cpp" line="145"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="137"/>
        <source>%1 (code %2)</source>
        <translation>%1（代码 %2）</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/health/healthpanel.cpp" line="142"/>
        <source>%n repl(ies) waiting</source>
        <translation><numerusform>%n 条回复待发送</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="142"/>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="144"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthpanel.cpp" line="144"/>
        <source>no call yet</source>
        <translation>尚未调用</translation>
    </message>
</context>
<context>
    <name>HealthText</name>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="13"/>
        <source>Not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="15"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="17"/>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="19"/>
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="21"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="30"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="32"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="34"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="35"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="41"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="42"/>
        <source>%1 ago</source>
        <translation>%1前</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="48"/>
        <source>no pushes in the last minute</source>
        <translation>最近一分钟没有推送</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="49"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="55"/>
        <source>no token yet</source>
        <translation>尚无令牌</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="57"/>
        <source>expired %1 ago (renewed at the next call)</source>
        <translation>已于 %1前过期（下次调用时自动续期）</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="58"/>
        <source>in %1</source>
        <translation>%1后</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="68"/>
        <source>Feishu does not accept the app&apos;s credentials, so the bot cannot connect. Fix: in the Feishu developer console open the app, copy the App ID and App Secret from &quot;Credentials &amp; Basic Info&quot; into the settings, then press Reconnect.</source>
        <translation>飞书不接受该应用的凭证，机器人无法连接。解决办法：在飞书开发者后台打开该应用，从“凭证与基础信息”中复制 App ID 和 App Secret 填入设置，然后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="72"/>
        <source>Feishu allows at most 50 long connections per app and this one would exceed it. Fix: stop other bots or consoles that use the same app, then press Reconnect.</source>
        <translation>飞书每个应用最多允许 50 个长连接，本连接将超出限制。解决办法：停止使用同一应用的其他机器人或控制台，然后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="75"/>
        <source>Feishu refused the app (it is disabled or blocked). Fix: ask the tenant administrator to enable the app in the Feishu admin console, then press Reconnect.</source>
        <translation>飞书拒绝了该应用（已停用或被封禁）。解决办法：请租户管理员在飞书管理后台启用该应用，然后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="78"/>
        <source>Feishu does not let this app use the long connection. Fix: in the Feishu developer console open the app, under &quot;Events &amp; Callbacks&quot; choose &quot;Receive events through persistent connection&quot;, subscribe to im.message.receive_v1, publish a new app version, then press Reconnect.</source>
        <translation>飞书不允许该应用使用长连接。解决办法：在飞书开发者后台打开该应用，在“事件与回调”中选择“使用长连接接收事件”，订阅 im.message.receive_v1 事件，发布新版本后点击“重新连接”。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="87"/>
        <source>Feishu connection: %1 for %2</source>
        <translation>飞书连接：%1，已持续 %2</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="89"/>
        <source>The bot is paused: new conversations go to an operator.</source>
        <translation>机器人已暂停：新会话交给人工。</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="90"/>
        <source>Last event: %1</source>
        <translation>最近事件：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="91"/>
        <source>ACK latency (last minute): median %1, p99 %2</source>
        <translation>ACK 延迟（最近一分钟）：中位数 %1，P99 %2</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="93"/>
        <source>Reconnects today: %1</source>
        <translation>今日重连次数：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="95"/>
        <source>Last error: %1 (code %2)</source>
        <translation>最近错误：%1（代码 %2）</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="96"/>
        <source>Last error: %1</source>
        <translation>最近错误：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="98"/>
        <source>What to do: %1</source>
        <translation>处理建议：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="100"/>
        <source>Duplicates dropped: %1</source>
        <translation>已丢弃的重复事件：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="101"/>
        <source>Token expires: %1</source>
        <translation>令牌到期：%1</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="102"/>
        <source>Outbox: %1 waiting, oldest since %2</source>
        <translation>发件箱：%1 条待发送，最早的来自 %2</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="105"/>
        <source>Outbox: empty</source>
        <translation>发件箱：空</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="106"/>
        <source>LLM: last answer in %1 ms</source>
        <translation>LLM：最近一次回答用时 %1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="107"/>
        <source>LLM: no call yet</source>
        <translation>LLM：尚未调用</translation>
    </message>
    <message>
        <location filename="../ui/health/healthtext.cpp" line="109"/>
        <source>LLM last error: %1</source>
        <translation>LLM 最近错误：%1</translation>
    </message>
</context>
<context>
    <name>KnowledgeDesk</name>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="275"/>
        <source>Enter a title: a short description of the problem.</source>
        <translation>请输入标题：问题的简短描述。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="279"/>
        <source>The title is too long (at most %1 characters).</source>
        <translation>标题过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="281"/>
        <source>Choose or type a category.</source>
        <translation>请选择或输入分类。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="285"/>
        <source>The category is too long (at most %1 characters).</source>
        <translation>分类过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="288"/>
        <source>Enter the solution: it is what the bot answers the customer.</source>
        <translation>请输入解决方案：机器人会用它回答客户。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="292"/>
        <source>The solution is too long (at most %1 characters).</source>
        <translation>解决方案过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="296"/>
        <source>The cause is too long (at most %1 characters).</source>
        <translation>原因过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="302"/>
        <source>Too many items (at most %1).</source>
        <translation>项目过多（最多 %1 项）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="307"/>
        <source>An item is too long (at most %1 characters).</source>
        <translation>有一项过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="314"/>
        <source>An entry with the id %1 exists already: edit it instead.</source>
        <translation>ID 为 %1 的条目已存在，请直接编辑它。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="317"/>
        <source>The entry %1 no longer exists (deleted meanwhile?).</source>
        <translation>条目 %1 已不存在（可能已被删除）。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="347"/>
        <location filename="../core/desk/knowledgedesk.cpp" line="352"/>
        <source>The entry was not saved: %1</source>
        <translation>条目未保存：%1</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="438"/>
        <source>Version %1 of %2 cannot be restored.</source>
        <translation>无法恢复 %2 的版本 %1。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="445"/>
        <source>Version %1 is the same as the current entry: nothing to restore.</source>
        <translation>版本 %1 与当前条目相同，无需恢复。</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="449"/>
        <source>Version %1 was not restored: %2</source>
        <translation>版本 %1 未恢复：%2</translation>
    </message>
    <message>
        <location filename="../core/desk/knowledgedesk.cpp" line="696"/>
        <source>%1: unknown file type (use .jsonl, .json or .csv)</source>
        <translation>%1：未知的文件类型（请使用 .jsonl、.json 或 .csv）</translation>
    </message>
</context>
<context>
    <name>KnowledgeEntryForm</name>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="61"/>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="63"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="62"/>
        <source>A short description of the problem</source>
        <translation>问题的简短描述</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="69"/>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="70"/>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="74"/>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="76"/>
        <source>Vehicle models</source>
        <translation>车型</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="75"/>
        <source>Separated by commas; empty = every model</source>
        <translation>用逗号分隔；留空表示所有车型</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="80"/>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="82"/>
        <source>Symptoms</source>
        <translation>症状</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="81"/>
        <source>One per line, in the customers&apos; words</source>
        <translation>每行一条，用客户的原话</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="86"/>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="87"/>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="91"/>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="93"/>
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="92"/>
        <source>What the bot answers the customer</source>
        <translation>机器人回答客户的内容</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="97"/>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="99"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="98"/>
        <source>Separated by commas</source>
        <translation>用逗号分隔</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="134"/>
        <source>New entry</source>
        <translation>新建条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="134"/>
        <source>New entry %1</source>
        <translation>新条目 %1</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgeentryform.cpp" line="135"/>
        <source>Entry %1</source>
        <translation>条目 %1</translation>
    </message>
</context>
<context>
    <name>KnowledgePage</name>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="33"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="35"/>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="228"/>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="37"/>
        <source>Vehicle models</source>
        <translation>车型</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="39"/>
        <source>Symptoms</source>
        <translation>症状</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="41"/>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="43"/>
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="45"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="47"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="54"/>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="56"/>
        <source>Edited</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="58"/>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="95"/>
        <source>Search knowledge</source>
        <translation>搜索知识</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="96"/>
        <source>Search knowledge (as the bot searches)</source>
        <translation>搜索知识（与机器人的检索相同）</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="101"/>
        <source>Category filter</source>
        <translation>分类筛选</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="105"/>
        <source>New entry</source>
        <translation>新建条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="106"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="106"/>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="286"/>
        <source>Import knowledge</source>
        <translation>导入知识</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="107"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="107"/>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="291"/>
        <source>Export knowledge</source>
        <translation>导出知识</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="115"/>
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="139"/>
        <source>Import or export progress</source>
        <translation>导入或导出进度</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="140"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="140"/>
        <source>Cancel import or export</source>
        <translation>取消导入或导出</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="151"/>
        <source>Import errors</source>
        <translation>导入错误</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="162"/>
        <source>Entry, history and gaps</source>
        <translation>条目、历史和知识缺口</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="177"/>
        <source>Revert</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="177"/>
        <source>Revert changes</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="178"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="185"/>
        <source>Similar entries (edit one of these instead of adding a duplicate):</source>
        <translation>相似条目（请编辑已有条目，不要重复新建）：</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="190"/>
        <source>Similar entries</source>
        <translation>相似条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="193"/>
        <source>Entry</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="199"/>
        <source>Versions</source>
        <translation>版本列表</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="201"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="201"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="201"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="201"/>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="206"/>
        <source>Changes of the version</source>
        <translation>该版本的变更</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="209"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="209"/>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="209"/>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="212"/>
        <source>Restore this version</source>
        <translation>恢复此版本</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="215"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="220"/>
        <source>Questions of the last 30 days that the bot handed to a person because no entry fitted, grouped:</source>
        <translation>最近 30 天因没有合适条目而转人工的问题（按相似度分组）：</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="226"/>
        <source>Knowledge gaps</source>
        <translation>知识缺口</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="228"/>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="228"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="228"/>
        <source>Last asked</source>
        <translation>最近提问</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="233"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="233"/>
        <source>Refresh gaps</source>
        <translation>刷新知识缺口</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="234"/>
        <source>New entry from this group</source>
        <translation>用此组新建条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="241"/>
        <source>Gaps</source>
        <translation>知识缺口</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="286"/>
        <source>Knowledge files (*.jsonl *.ndjson *.json *.csv)</source>
        <translation>知识文件 (*.jsonl *.ndjson *.json *.csv)</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="292"/>
        <source>Knowledge files (*.jsonl *.json *.csv)</source>
        <translation>知识文件 (*.jsonl *.json *.csv)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="302"/>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="307"/>
        <source>%n entries</source>
        <translation><numerusform>共 %n 条</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="303"/>
        <source>%n hits</source>
        <translation><numerusform>命中 %n 条</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="327"/>
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="348"/>
        <source>The entry %1 no longer exists.</source>
        <translation>条目 %1 已不存在。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="385"/>
        <source>Not saved: correct the marked fields.</source>
        <translation>未保存：请修改标出的字段。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="392"/>
        <source>Not saved.</source>
        <translation>未保存。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="397"/>
        <source>Saved %1. The bot answers with the new text from now on.</source>
        <translation>已保存 %1。机器人从现在起使用新内容回答。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="398"/>
        <source>Knowledge entry %1 saved</source>
        <translation>知识条目 %1 已保存</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="411"/>
        <source>Score %1; activate to edit this entry instead</source>
        <translation>得分 %1；双击改为编辑此条目</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="414"/>
        <source>No similar entries.</source>
        <translation>没有相似条目。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="453"/>
        <source>(first version)</source>
        <translation>（第一版）</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="477"/>
        <source>Version %1 restored as a new version.</source>
        <translation>已将版本 %1 恢复为新版本。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="493"/>
        <source>No handed-off questions. Nothing is missing.</source>
        <translation>没有转人工的问题，知识库没有缺口。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="508"/>
        <source>A new entry from %n question(s). Write the solution, then save.</source>
        <translation><numerusform>已根据 %n 个问题新建条目。请填写解决方案后保存。</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="518"/>
        <source>Importing %1 …</source>
        <translation>正在导入 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="528"/>
        <source>Exporting to %1 …</source>
        <translation>正在导出到 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="560"/>
        <source>Imported %1 entries from %2: %3 new, %4 changed, %5 unchanged.</source>
        <translation>已从 %2 导入 %1 条：新增 %3，修改 %4，未变 %5。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="567"/>
        <source>Exported %1 entries to %2.</source>
        <translation>已导出 %1 条到 %2。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="569"/>
        <source>Import cancelled: nothing was imported.</source>
        <translation>导入已取消：未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="570"/>
        <source>Export cancelled: no file was written.</source>
        <translation>导出已取消：未写入文件。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/knowledge/knowledgepage.cpp" line="572"/>
        <source>Nothing was imported: %n row(s) rejected.</source>
        <translation><numerusform>未导入任何内容：%n 行被拒绝。</numerusform></translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="573"/>
        <source>The list is in %1.</source>
        <translation>错误清单见 %1。</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="575"/>
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgepage.cpp" line="575"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>KnowledgeTableModel</name>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="75"/>
        <source>Imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="77"/>
        <source>Operator</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="79"/>
        <source>Promoted</source>
        <translation>对话提炼</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="81"/>
        <source>Bitable</source>
        <translation>多维表格</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="126"/>
        <source>Answers that cited this entry in the last 7 days</source>
        <translation>最近 7 天引用此条目的回答数</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="147"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="149"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="151"/>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="153"/>
        <source>Vehicle models</source>
        <translation>车型</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="155"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="157"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../ui/knowledge/knowledgetablemodel.cpp" line="159"/>
        <source>Cited (7 days)</source>
        <translation>引用（7 天）</translation>
    </message>
</context>
</TS>
