<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Autostart</name>
    <message>
        <location filename="../core/config/autostart.cpp" line="46"/>
        <source>Cannot remove %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <location filename="../core/config/autostart.cpp" line="52"/>
        <source>Cannot create the folder of %1.</source>
        <translation>无法创建 %1 所在的文件夹。</translation>
    </message>
    <message>
        <location filename="../core/config/autostart.cpp" line="72"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>FeishuCheck</name>
    <message>
        <location filename="../core/feishu/feishucheck.cpp" line="117"/>
        <source>no answer within %1 s</source>
        <translation>%1 秒内无应答</translation>
    </message>
    <message>
        <location filename="../core/feishu/feishucheck.cpp" line="136"/>
        <source>HTTP %1 without the platform&apos;s JSON answer</source>
        <translation>HTTP %1，且没有开放平台的 JSON 应答</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="68"/>
        <source>Set up TSP Assistant</source>
        <translation>设置 TSP 助手</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="78"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="79"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="80"/>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="81"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="101"/>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="102"/>
        <source>This wizard connects the console to your Feishu app and, if you want, to an LLM. It takes about five minutes.</source>
        <translation>本向导将控制台连接到您的飞书应用，并可选连接大语言模型（LLM），大约需要五分钟。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="105"/>
        <source>Already running the Python version of the assistant? Import its .env file: the keys are the same. Secrets are shown masked and will be kept in the system keychain, not in a file.</source>
        <translation>已在运行 Python 版助手？可直接导入它的 .env 文件，键名相同。密钥会以掩码显示，并保存在系统钥匙串中，而不是文件里。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="111"/>
        <source>.env file</source>
        <translation>.env 文件</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="112"/>
        <source>Path of an existing .env file (optional)</source>
        <translation>现有 .env 文件的路径（可选）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="113"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="115"/>
        <source>Browse for a .env file</source>
        <translation>浏览 .env 文件</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="116"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="118"/>
        <source>Import .env</source>
        <translation>导入 .env</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="124"/>
        <source>Nothing imported. You can also skip this and type the values on the next pages.</source>
        <translation>尚未导入。也可以跳过此步，在后面的页面中手动填写。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="129"/>
        <source>Imported values</source>
        <translation>导入的值</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="130"/>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="130"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="150"/>
        <source>Feishu app</source>
        <translation>飞书应用</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="151"/>
        <source>From the Feishu developer console: your app → Credentials &amp; Basic Info.</source>
        <translation>在飞书开发者后台：您的应用 → 凭证与基础信息。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="157"/>
        <source>App ID</source>
        <translation>App ID</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="161"/>
        <source>App Secret</source>
        <translation>App Secret</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="165"/>
        <source>Domain</source>
        <translation>域名</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="166"/>
        <source>Feishu (open.feishu.cn)</source>
        <translation>飞书（open.feishu.cn）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="167"/>
        <source>Lark (open.larksuite.com)</source>
        <translation>Lark（open.larksuite.com）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="168"/>
        <source>Custom URL (test server)</source>
        <translation>自定义 URL（测试服务器）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="171"/>
        <source>Custom domain URL</source>
        <translation>自定义域名 URL</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="174"/>
        <source>App ID:</source>
        <translation>App ID：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="175"/>
        <source>App Secret:</source>
        <translation>App Secret：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="176"/>
        <source>Domain:</source>
        <translation>域名：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="177"/>
        <source>Custom URL:</source>
        <translation>自定义 URL：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="183"/>
        <location filename="../ui/settings/firstrunwizard.cpp" line="185"/>
        <location filename="../ui/settings/firstrunwizard.cpp" line="283"/>
        <location filename="../ui/settings/firstrunwizard.cpp" line="285"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="189"/>
        <source>Not tested yet. The test asks the platform for a tenant token and a long-connection endpoint; it does not disturb a running bot.</source>
        <translation>尚未测试。测试会向开放平台申请 tenant token 和长连接地址，不会影响正在运行的机器人。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="209"/>
        <source>On the Feishu side</source>
        <translation>飞书侧配置</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="210"/>
        <source>Check these in the Feishu developer console before the bot goes live.</source>
        <translation>机器人上线前，请在飞书开发者后台核对以下各项。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="215"/>
        <source>Permissions (Permissions &amp; Scopes): %1, %2 and %3.</source>
        <translation>权限（权限管理）：%1、%2 和 %3。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="220"/>
        <source>Optional, for syncing tickets with a Base table: %1.</source>
        <translation>可选，用于与多维表格同步工单：%1。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="224"/>
        <source>Events &amp; Callbacks → subscription mode: “%1” (receive events over the long connection).</source>
        <translation>事件与回调 → 订阅方式：“%1”。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="227"/>
        <source>Add the event %1 (receive messages).</source>
        <translation>添加事件 %1（接收消息）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="230"/>
        <source>Enable the bot capability, then publish a new version after changing permissions: changes take effect only once the new version is published.</source>
        <translation>启用机器人能力；修改权限后请发布新版本（publish a new version after changing permissions）：新版本发布后更改才会生效。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="239"/>
        <source>Tip: the console only receives events while it is connected. The Feishu console accepts the long-connection mode only while a client is connected, so save the setup first, then switch the mode.</source>
        <translation>提示：控制台只有在连接时才能收到事件。飞书后台只有在有客户端连接时才允许保存长连接模式，所以请先完成本设置，再切换订阅方式。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="249"/>
        <source>Language model</source>
        <translation>大语言模型</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="250"/>
        <source>Optional. Without an LLM the bot answers from the knowledge base only.</source>
        <translation>可选。不配置 LLM 时，机器人只根据知识库回答。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="256"/>
        <source>LLM provider</source>
        <translation>LLM 服务商</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="257"/>
        <source>No LLM, answer from the knowledge base only</source>
        <translation>不使用 LLM，只根据知识库回答</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="258"/>
        <source>Qwen (DashScope)</source>
        <translation>通义千问（DashScope）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="259"/>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="260"/>
        <source>DeepSeek</source>
        <translation>DeepSeek</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="261"/>
        <source>Ollama (on this network)</source>
        <translation>Ollama（本地网络）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="262"/>
        <source>Custom (OpenAI-compatible)</source>
        <translation>自定义（兼容 OpenAI）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="265"/>
        <source>Base URL</source>
        <translation>Base URL</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="269"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="272"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="274"/>
        <source>Provider:</source>
        <translation>服务商：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="275"/>
        <source>Base URL:</source>
        <translation>Base URL：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="276"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="277"/>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="289"/>
        <source>Not tested yet. The test sends one short question and reports the time the answer took.</source>
        <translation>尚未测试。测试会发送一个简短问题，并报告回答所用的时间。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="307"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="308"/>
        <source>Finish saves these settings and starts the bot.</source>
        <translation>点击“完成”将保存这些设置并启动机器人。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="316"/>
        <source>No keychain</source>
        <translation>没有可用的钥匙串</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="322"/>
        <source>Choose where the secrets go. Nothing is stored until you choose.</source>
        <translation>请选择密钥的保存方式。在您选择之前不会保存任何内容。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="323"/>
        <source>Keep them in a file only I can read (less secure)</source>
        <translation>保存在只有我能读取的文件中（安全性较低）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="325"/>
        <source>Keep secrets in a file only I can read</source>
        <translation>将密钥保存在只有我能读取的文件中</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="326"/>
        <source>Do not store them; ask at every start</source>
        <translation>不保存，每次启动时询问</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="328"/>
        <source>Do not store secrets; ask at every start</source>
        <translation>不保存密钥，每次启动时询问</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="352"/>
        <source>Import a .env file</source>
        <translation>导入 .env 文件</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="353"/>
        <source>.env files (*.env .env);;All files (*)</source>
        <translation>.env 文件 (*.env .env);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="364"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="415"/>
        <source>Found %n value(s) in %1.</source>
        <translation>
            <numerusform>在 %1 中找到 %n 个值。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="418"/>
        <source>%n line(s) could not be read and were skipped.</source>
        <translation>
            <numerusform>有 %n 行无法读取，已跳过。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="452"/>
        <source>The custom domain must be an http(s) URL such as https://open.feishu.cn or http://127.0.0.1:8080.</source>
        <translation>自定义域名必须是 http(s) URL，例如 https://open.feishu.cn 或 http://127.0.0.1:8080。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="477"/>
        <source>Testing %1 …</source>
        <translation>正在测试 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="487"/>
        <source>tested, working</source>
        <translation>已测试，正常</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="487"/>
        <source>tested, failed (code %1)</source>
        <translation>已测试，失败（代码 %1）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="497"/>
        <source>Working: the platform issued a tenant token and a long-connection endpoint (%1 ms).</source>
        <translation>正常：开放平台已签发 tenant token 和长连接地址（%1 毫秒）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="500"/>
        <source>Enter the App ID and the App Secret first.</source>
        <translation>请先填写 App ID 和 App Secret。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="502"/>
        <source>The platform does not accept this App ID.</source>
        <translation>开放平台不接受这个 App ID。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="503"/>
        <source>Copy the App ID (it starts with cli_) again from Credentials &amp; Basic Info.</source>
        <translation>请从“凭证与基础信息”重新复制 App ID（以 cli_ 开头）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="506"/>
        <source>The App Secret is wrong (or the App ID belongs to another app).</source>
        <translation>App Secret 不正确（或 App ID 属于另一个应用）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="508"/>
        <source>Copy the App Secret again from Credentials &amp; Basic Info; if it was reset, use the new one.</source>
        <translation>请从“凭证与基础信息”重新复制 App Secret；如果已重置，请使用新的。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="511"/>
        <source>The app lacks a permission or its latest version is not published.</source>
        <translation>应用缺少权限，或最新版本尚未发布。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="512"/>
        <source>Add the permissions from the checklist, then publish a new version of the app.</source>
        <translation>按清单添加权限，然后发布应用的新版本。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="515"/>
        <source>The credentials are right, but the platform refused the long connection.</source>
        <translation>凭证正确，但开放平台拒绝了长连接。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="516"/>
        <source>Use a self-built app, choose “使用长连接接收事件” under Events &amp; Callbacks, and publish a new version.</source>
        <translation>请使用企业自建应用，在“事件与回调”中选择“使用长连接接收事件”，然后发布新版本。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="520"/>
        <source>The platform refused the app (it is disabled or blocked).</source>
        <translation>开放平台拒绝了该应用（已停用或被封禁）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="521"/>
        <source>Ask your Feishu administrator to enable the app.</source>
        <translation>请联系飞书管理员启用该应用。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="524"/>
        <source>The platform is busy or had an internal error.</source>
        <translation>开放平台繁忙或发生内部错误。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="525"/>
        <source>Try again in a minute.</source>
        <translation>请一分钟后重试。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="528"/>
        <source>No answer from %1.</source>
        <translation>%1 没有应答。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="529"/>
        <source>Check the domain, the network and the proxy setting.</source>
        <translation>请检查域名、网络和代理设置。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="532"/>
        <source>The secure connection failed (the certificate is not trusted).</source>
        <translation>安全连接失败（证书不受信任）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="533"/>
        <source>On an intranet that inspects TLS, set the extra CA certificate in the settings.</source>
        <translation>如果内网会检查 TLS 流量，请在设置中配置额外的 CA 证书。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="536"/>
        <source>The answer was not what the platform sends.</source>
        <translation>应答内容不像是开放平台发出的。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="537"/>
        <source>Check that the domain is the Feishu or Lark open platform (or your test server).</source>
        <translation>请确认域名是飞书或 Lark 开放平台（或您的测试服务器）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="542"/>
        <source>Platform code %1: %2</source>
        <translation>平台错误码 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="543"/>
        <source>Detail: %1</source>
        <translation>详情：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="546"/>
        <source>tenant token</source>
        <translation>tenant token</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="546"/>
        <source>long-connection endpoint</source>
        <translation>长连接地址</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="547"/>
        <source>Failed at the %1 step. %2</source>
        <translation>在“%1”步骤失败。%2</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="549"/>
        <source>What to do: %1</source>
        <translation>处理办法：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="570"/>
        <source>not needed for Ollama</source>
        <translation>Ollama 不需要</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="574"/>
        <source>The bot will answer from the knowledge base only.</source>
        <translation>机器人将只根据知识库回答。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="576"/>
        <source>Not tested yet.</source>
        <translation>尚未测试。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="596"/>
        <source>Asking %1 …</source>
        <translation>正在询问 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="609"/>
        <source>Working: %1 answered in %2 ms (“%3”).</source>
        <translation>正常：%1 在 %2 毫秒内作答（“%3”）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="613"/>
        <source>tested, %1 ms</source>
        <translation>已测试，%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="615"/>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="617"/>
        <source>What to do: check the API key.</source>
        <translation>处理办法：请检查 API 密钥。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="620"/>
        <source>What to do: check the base URL and the model name.</source>
        <translation>处理办法：请检查 Base URL 和模型名称。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="621"/>
        <source>tested, failed</source>
        <translation>已测试，失败</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="648"/>
        <source>The base URL must be an http(s) URL ending in /v1, e.g. https://api.openai.com/v1.</source>
        <translation>Base URL 必须是以 /v1 结尾的 http(s) URL，例如 https://api.openai.com/v1。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="650"/>
        <source>Enter the model name.</source>
        <translation>请填写模型名称。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="683"/>
        <source>not tested</source>
        <translation>未测试</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="685"/>
        <source>Feishu app: %1</source>
        <translation>飞书应用：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="686"/>
        <source>App Secret: %1</source>
        <translation>App Secret：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="687"/>
        <source>Domain: %1</source>
        <translation>域名：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="688"/>
        <source>Feishu test: %1</source>
        <translation>飞书测试：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="690"/>
        <source>LLM: none, answers come from the knowledge base only</source>
        <translation>LLM：无，只根据知识库回答</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="692"/>
        <source>LLM: %1, model %2</source>
        <translation>LLM：%1，模型 %2</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="693"/>
        <source>Base URL: %1</source>
        <translation>Base URL：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="695"/>
        <source>API key: %1</source>
        <translation>API 密钥：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="695"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="696"/>
        <source>LLM test: %1</source>
        <translation>LLM 测试：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="704"/>
        <source>Other imported settings: %n</source>
        <translation>
            <numerusform>其他导入的设置：%n 项</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="708"/>
        <source>the system keychain</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="711"/>
        <source>a file only you can read (less secure)</source>
        <translation>只有您能读取的文件（安全性较低）</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="714"/>
        <source>nowhere: you will be asked at every start</source>
        <translation>不保存：每次启动时询问</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="717"/>
        <source>Secrets are kept in: %1</source>
        <translation>密钥保存位置：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="742"/>
        <source>Cannot save the settings to %1.</source>
        <translation>无法将设置保存到 %1。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="760"/>
        <source>Saving the secrets …</source>
        <translation>正在保存密钥 …</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="788"/>
        <source>Waiting for your choice: the secrets are not stored yet.</source>
        <translation>等待您的选择：密钥尚未保存。</translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="796"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>SecretPrompt</name>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="17"/>
        <source>Secrets for this session</source>
        <translation>本次运行的密钥</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="19"/>
        <source>You chose not to store the secrets. Enter them for this session; they are kept in memory only and asked for again at the next start.</source>
        <translation>您选择了不保存密钥。请输入本次运行所需的密钥；它们只保存在内存中，下次启动时会再次询问。</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="24"/>
        <source>App Secret</source>
        <translation>App Secret</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="25"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="26"/>
        <source>Embedding API key</source>
        <translation>向量（Embedding）API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="37"/>
        <location filename="../ui/settings/secretprompt.cpp" line="38"/>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="39"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <location filename="../core/config/secretstore.cpp" line="176"/>
        <source>The keychain refused to delete %1: %2</source>
        <translation>钥匙串拒绝删除 %1：%2</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="246"/>
        <source>Cannot read the secrets file %1: %2</source>
        <translation>无法读取密钥文件 %1：%2</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="260"/>
        <source>Cannot create the folder %1 for the secrets file.</source>
        <translation>无法为密钥文件创建文件夹 %1。</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="266"/>
        <source>Cannot remove the secrets file %1.</source>
        <translation>无法删除密钥文件 %1。</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="278"/>
        <location filename="../core/config/secretstore.cpp" line="291"/>
        <source>Cannot write the secrets file %1: %2</source>
        <translation>无法写入密钥文件 %1：%2</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="304"/>
        <source>No keychain is available on this computer (no Secret Service is running), so the secrets cannot be stored securely.</source>
        <translation>这台电脑上没有可用的钥匙串（未运行 Secret Service），因此无法安全地保存密钥。</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="308"/>
        <source>The keychain is locked and was not unlocked, so the secrets cannot be stored securely.</source>
        <translation>钥匙串已锁定且未被解锁，因此无法安全地保存密钥。</translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="310"/>
        <source>The keychain cannot be used (%1), so the secrets cannot be stored securely.</source>
        <translation>钥匙串无法使用（%1），因此无法安全地保存密钥。</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../core/config/settingstable.cpp" line="43"/>
        <source>App ID of the Feishu/Lark app (cli_...).</source>
        <translation>飞书/Lark 应用的 App ID（cli_...）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="47"/>
        <source>App secret of the Feishu/Lark app.</source>
        <translation>飞书/Lark 应用的 App Secret。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="55"/>
        <source>Open platform base URL: https://open.feishu.cn, https://open.larksuite.com (or feishu, lark), or a test server.</source>
        <translation>开放平台地址：https://open.feishu.cn、https://open.larksuite.com（或 feishu、lark），也可以是测试服务器。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="63"/>
        <source>Proxy for every outbound connection (Feishu, LLM, embeddings): system, none, http://host:port or socks5://host:port.</source>
        <translation>所有对外连接（飞书、LLM、向量服务）使用的代理：system、none、http://host:port 或 socks5://host:port。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="72"/>
        <source>Extra CA certificates (PEM file) for intranets that inspect TLS.</source>
        <translation>额外的 CA 证书（PEM 文件），用于会检查 TLS 流量的内网。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="82"/>
        <source>The LLM service. Empty or none: answers come from the knowledge base alone (qwen when only LLM_API_KEY is set).</source>
        <translation>LLM 服务。为空或 none：只根据知识库回答（只设置了 LLM_API_KEY 时使用 qwen）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="89"/>
        <source>API key of the LLM service (not needed for ollama).</source>
        <translation>LLM 服务的 API 密钥（ollama 不需要）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="94"/>
        <source>The .../v1 base of an OpenAI-compatible API; empty takes the provider&apos;s preset.</source>
        <translation>兼容 OpenAI 的 API 的 .../v1 地址；为空时使用服务商的预设值。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="100"/>
        <source>Model name; empty takes the provider&apos;s preset.</source>
        <translation>模型名称；为空时使用服务商的预设值。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="108"/>
        <source>Sampling temperature of the answers.</source>
        <translation>回答的采样温度。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="116"/>
        <source>Longest answer, in tokens.</source>
        <translation>回答的最大长度（token 数）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="124"/>
        <source>Time for one LLM attempt, in milliseconds; after it the answer comes from the knowledge base.</source>
        <translation>一次 LLM 请求的时限（毫秒）；超时后改由知识库回答。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="134"/>
        <source>Extra LLM attempts after a network error, 5xx or 429.</source>
        <translation>网络错误、5xx 或 429 之后额外重试 LLM 的次数。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="141"/>
        <source>Stream answers from the LLM (drafts grow as they arrive).</source>
        <translation>以流式方式接收 LLM 回答（草稿随到随显示）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="145"/>
        <source>The .../v1 base of an OpenAI-compatible embeddings API; empty: keyword search only.</source>
        <translation>兼容 OpenAI 的向量（embeddings）API 的 .../v1 地址；为空时只用关键词检索。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="152"/>
        <source>API key of the embeddings API (default: LLM_API_KEY).</source>
        <translation>向量 API 的密钥（默认：LLM_API_KEY）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="158"/>
        <source>Embedding model name.</source>
        <translation>向量模型名称。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="166"/>
        <source>Time for one embeddings request, in milliseconds; after it the search ranks by keywords alone.</source>
        <translation>一次向量请求的时限（毫秒）；超时后只按关键词排序。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="176"/>
        <source>Vector size asked of the embeddings API; 0 takes the model&apos;s own.</source>
        <translation>向向量 API 请求的向量维度；0 表示使用模型自身的维度。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="186"/>
        <source>A conversation quiet this long starts afresh.</source>
        <translation>会话空闲超过此时长后重新开始。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="193"/>
        <source>Mode of new conversations: auto (the bot answers), review (an operator approves drafts), manual (operators answer).</source>
        <translation>新会话的模式：auto（机器人自动回答）、review（由操作员审核草稿）、manual（由操作员回答）。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="200"/>
        <source>Where conversations and knowledge are stored: sqlite:///relative.db, sqlite:////abs/path.db or postgresql://user:pass@host:port/db.</source>
        <translation>会话和知识的存储位置：sqlite:///relative.db、sqlite:////abs/path.db 或 postgresql://user:pass@host:port/db。</translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="211"/>
        <source>Least severe message that is logged.</source>
        <translation>记录日志的最低级别。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="56"/>
        <source>Feishu</source>
        <translation>飞书</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="58"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="60"/>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="62"/>
        <source>Interface</source>
        <translation>界面</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="64"/>
        <source>Logging</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="96"/>
        <source>Settings groups</source>
        <translation>设置分组</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="116"/>
        <location filename="../ui/settings/settingspage.cpp" line="118"/>
        <source>Start at login</source>
        <translation>登录时启动</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="121"/>
        <source>Adds the console to the programs your desktop starts when you log in (%1).</source>
        <translation>将控制台加入桌面登录时自动启动的程序（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="128"/>
        <source>Login:</source>
        <translation>登录：</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="131"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="133"/>
        <location filename="../ui/settings/settingspage.cpp" line="487"/>
        <source>Export settings</source>
        <translation>导出设置</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="134"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="136"/>
        <location filename="../ui/settings/settingspage.cpp" line="496"/>
        <source>Import settings</source>
        <translation>导入设置</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="137"/>
        <source>Setup wizard…</source>
        <translation>设置向导…</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="139"/>
        <source>Open the setup wizard</source>
        <translation>打开设置向导</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="140"/>
        <location filename="../ui/settings/settingspage.cpp" line="142"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="184"/>
        <source>(default: %1)</source>
        <translation>（默认：%1）</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="200"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="201"/>
        <source>Browse for %1</source>
        <translation>为 %1 选择文件</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="259"/>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="261"/>
        <source>environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="263"/>
        <source>.env</source>
        <translation>.env</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="265"/>
        <source>saved</source>
        <translation>已保存的设置</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="267"/>
        <source>default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="308"/>
        <source>Not valid here.</source>
        <translation>此处不接受该值。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="325"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="327"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="328"/>
        <source>Default: %1 · From: %2</source>
        <translation>默认：%1 · 来源：%2</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="331"/>
        <source>(a value saved here applies only once that is removed)</source>
        <translation>（在此保存的值要在其被移除后才生效）</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="333"/>
        <source>· A value is stored; type to replace it.</source>
        <translation>· 已保存一个值；输入新值即可替换。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="334"/>
        <source>· Nothing stored.</source>
        <translation>· 未保存。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="336"/>
        <source>· Changed, not applied yet.</source>
        <translation>· 已修改，尚未应用。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="354"/>
        <source>Less secure: the secrets are kept in a file only you can read (%1), because no keychain was available.</source>
        <translation>安全性较低：由于没有可用的钥匙串，密钥保存在只有您能读取的文件中（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="358"/>
        <source>The secrets are not stored: you are asked for them at every start.</source>
        <translation>密钥未保存：每次启动时都会询问。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="411"/>
        <source>Not applied: %1</source>
        <translation>未应用：%1</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="438"/>
        <source>Cannot save the settings to %1.</source>
        <translation>无法将设置保存到 %1。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="456"/>
        <source>Nothing to apply.</source>
        <translation>没有需要应用的更改。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/settingspage.cpp" line="456"/>
        <source>Applied %n change(s).</source>
        <translation>
            <numerusform>已应用 %n 项更改。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/settingspage.cpp" line="480"/>
        <source>Imported %n value(s); review them and press Apply.</source>
        <translation>
            <numerusform>已导入 %n 个值；请检查后点击“应用”。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="481"/>
        <source>Secrets in the file were ignored.</source>
        <translation>文件中的密钥已被忽略。</translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="491"/>
        <source>Exported to %1 (without secrets).</source>
        <translation>已导出到 %1（不含密钥）。</translation>
    </message>
</context>
<context>
    <name>SavedSettings</name>
    <message>
        <location filename="../core/config/savedsettings.cpp" line="119"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../core/config/savedsettings.cpp" line="130"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
</TS>
