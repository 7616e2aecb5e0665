<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Autostart</name>
    <message>
        <location filename="../core/config/autostart.cpp" line="46"/>
        <source>Cannot remove %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/autostart.cpp" line="52"/>
        <source>Cannot create the folder of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/autostart.cpp" line="72"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeishuCheck</name>
    <message>
        <location filename="../core/feishu/feishucheck.cpp" line="117"/>
        <source>no answer within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/feishu/feishucheck.cpp" line="136"/>
        <source>HTTP %1 without the platform&apos;s JSON answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="68"/>
        <source>Set up TSP Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="78"/>
        <source>Finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="79"/>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="80"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="81"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="101"/>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="102"/>
        <source>This wizard connects the console to your Feishu app and, if you want, to an LLM. It takes about five minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="105"/>
        <source>Already running the Python version of the assistant? Import its .env file: the keys are the same. Secrets are shown masked and will be kept in the system keychain, not in a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="111"/>
        <source>.env file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="112"/>
        <source>Path of an existing .env file (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="113"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="115"/>
        <source>Browse for a .env file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="116"/>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="118"/>
        <source>Import .env</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="124"/>
        <source>Nothing imported. You can also skip this and type the values on the next pages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="129"/>
        <source>Imported values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="130"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="130"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="150"/>
        <source>Feishu app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="151"/>
        <source>From the Feishu developer console: your app → Credentials &amp; Basic Info.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="157"/>
        <source>App ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="161"/>
        <source>App Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="165"/>
        <source>Domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="166"/>
        <source>Feishu (open.feishu.cn)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="167"/>
        <source>Lark (open.larksuite.com)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="168"/>
        <source>Custom URL (test server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="171"/>
        <source>Custom domain URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="174"/>
        <source>App ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="175"/>
        <source>App Secret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="176"/>
        <source>Domain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="177"/>
        <source>Custom URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="183"/>
        <location filename="../ui/settings/firstrunwizard.cpp" line="185"/>
        <location filename="../ui/settings/firstrunwizard.cpp" line="283"/>
        <location filename="../ui/settings/firstrunwizard.cpp" line="285"/>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="189"/>
        <source>Not tested yet. The test asks the platform for a tenant token and a long-connection endpoint; it does not disturb a running bot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="209"/>
        <source>On the Feishu side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="210"/>
        <source>Check these in the Feishu developer console before the bot goes live.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="215"/>
        <source>Permissions (Permissions &amp; Scopes): %1, %2 and %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="220"/>
        <source>Optional, for syncing tickets with a Base table: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="224"/>
        <source>Events &amp; Callbacks → subscription mode: “%1” (receive events over the long connection).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="227"/>
        <source>Add the event %1 (receive messages).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="230"/>
        <source>Enable the bot capability, then publish a new version after changing permissions: changes take effect only once the new version is published.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="239"/>
        <source>Tip: the console only receives events while it is connected. The Feishu console accepts the long-connection mode only while a client is connected, so save the setup first, then switch the mode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="249"/>
        <source>Language model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="250"/>
        <source>Optional. Without an LLM the bot answers from the knowledge base only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="256"/>
        <source>LLM provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="257"/>
        <source>No LLM, answer from the knowledge base only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="258"/>
        <source>Qwen (DashScope)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="259"/>
        <source>OpenAI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="260"/>
        <source>DeepSeek</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="261"/>
        <source>Ollama (on this network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="262"/>
        <source>Custom (OpenAI-compatible)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="265"/>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="269"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="272"/>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="274"/>
        <source>Provider:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="275"/>
        <source>Base URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="276"/>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="277"/>
        <source>API key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="289"/>
        <source>Not tested yet. The test sends one short question and reports the time the answer took.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="307"/>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="308"/>
        <source>Finish saves these settings and starts the bot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="316"/>
        <source>No keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="322"/>
        <source>Choose where the secrets go. Nothing is stored until you choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="323"/>
        <source>Keep them in a file only I can read (less secure)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="325"/>
        <source>Keep secrets in a file only I can read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="326"/>
        <source>Do not store them; ask at every start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="328"/>
        <source>Do not store secrets; ask at every start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="352"/>
        <source>Import a .env file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="353"/>
        <source>.env files (*.env .env);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="364"/>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="415"/>
        <source>Found %n value(s) in %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="418"/>
        <source>%n line(s) could not be read and were skipped.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="452"/>
        <source>The custom domain must be an http(s) URL such as https://open.feishu.cn or http://127.0.0.1:8080.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="477"/>
        <source>Testing %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="487"/>
        <source>tested, working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="487"/>
        <source>tested, failed (code %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="497"/>
        <source>Working: the platform issued a tenant token and a long-connection endpoint (%1 ms).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="500"/>
        <source>Enter the App ID and the App Secret first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="502"/>
        <source>The platform does not accept this App ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="503"/>
        <source>Copy the App ID (it starts with cli_) again from Credentials &amp; Basic Info.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="506"/>
        <source>The App Secret is wrong (or the App ID belongs to another app).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="508"/>
        <source>Copy the App Secret again from Credentials &amp; Basic Info; if it was reset, use the new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="511"/>
        <source>The app lacks a permission or its latest version is not published.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="512"/>
        <source>Add the permissions from the checklist, then publish a new version of the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="515"/>
        <source>The credentials are right, but the platform refused the long connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="516"/>
        <source>Use a self-built app, choose “使用长连接接收事件” under Events &amp; Callbacks, and publish a new version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="520"/>
        <source>The platform refused the app (it is disabled or blocked).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="521"/>
        <source>Ask your Feishu administrator to enable the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="524"/>
        <source>The platform is busy or had an internal error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="525"/>
        <source>Try again in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="528"/>
        <source>No answer from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="529"/>
        <source>Check the domain, the network and the proxy setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="532"/>
        <source>The secure connection failed (the certificate is not trusted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="533"/>
        <source>On an intranet that inspects TLS, set the extra CA certificate in the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="536"/>
        <source>The answer was not what the platform sends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="537"/>
        <source>Check that the domain is the Feishu or Lark open platform (or your test server).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="542"/>
        <source>Platform code %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="543"/>
        <source>Detail: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="546"/>
        <source>tenant token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="546"/>
        <source>long-connection endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="547"/>
        <source>Failed at the %1 step. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="549"/>
        <source>What to do: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="570"/>
        <source>not needed for Ollama</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="574"/>
        <source>The bot will answer from the knowledge base only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="576"/>
        <source>Not tested yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="596"/>
        <source>Asking %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="609"/>
        <source>Working: %1 answered in %2 ms (“%3”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="613"/>
        <source>tested, %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="615"/>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="617"/>
        <source>What to do: check the API key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="620"/>
        <source>What to do: check the base URL and the model name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="621"/>
        <source>tested, failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="648"/>
        <source>The base URL must be an http(s) URL ending in /v1, e.g. https://api.openai.com/v1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="650"/>
        <source>Enter the model name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="683"/>
        <source>not tested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="685"/>
        <source>Feishu app: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="686"/>
        <source>App Secret: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="687"/>
        <source>Domain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="688"/>
        <source>Feishu test: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="690"/>
        <source>LLM: none, answers come from the knowledge base only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="692"/>
        <source>LLM: %1, model %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="693"/>
        <source>Base URL: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="695"/>
        <source>API key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="695"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="696"/>
        <source>LLM test: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/firstrunwizard.cpp" line="704"/>
        <source>Other imported settings: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="708"/>
        <source>the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="711"/>
        <source>a file only you can read (less secure)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="714"/>
        <source>nowhere: you will be asked at every start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="717"/>
        <source>Secrets are kept in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="742"/>
        <source>Cannot save the settings to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="760"/>
        <source>Saving the secrets …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="788"/>
        <source>Waiting for your choice: the secrets are not stored yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/firstrunwizard.cpp" line="796"/>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecretPrompt</name>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="17"/>
        <source>Secrets for this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="19"/>
        <source>You chose not to store the secrets. Enter them for this session; they are kept in memory only and asked for again at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="24"/>
        <source>App Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="25"/>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="26"/>
        <source>Embedding API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="37"/>
        <location filename="../ui/settings/secretprompt.cpp" line="38"/>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/secretprompt.cpp" line="39"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <location filename="../core/config/secretstore.cpp" line="176"/>
        <source>The keychain refused to delete %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="246"/>
        <source>Cannot read the secrets file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="260"/>
        <source>Cannot create the folder %1 for the secrets file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="266"/>
        <source>Cannot remove the secrets file %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="278"/>
        <location filename="../core/config/secretstore.cpp" line="291"/>
        <source>Cannot write the secrets file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="304"/>
        <source>No keychain is available on this computer (no Secret Service is running), so the secrets cannot be stored securely.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="308"/>
        <source>The keychain is locked and was not unlocked, so the secrets cannot be stored securely.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/secretstore.cpp" line="310"/>
        <source>The keychain cannot be used (%1), so the secrets cannot be stored securely.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../core/config/settingstable.cpp" line="43"/>
        <source>App ID of the Feishu/Lark app (cli_...).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="47"/>
        <source>App secret of the Feishu/Lark app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="55"/>
        <source>Open platform base URL: https://open.feishu.cn, https://open.larksuite.com (or feishu, lark), or a test server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="63"/>
        <source>Proxy for every outbound connection (Feishu, LLM, embeddings): system, none, http://host:port or socks5://host:port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="72"/>
        <source>Extra CA certificates (PEM file) for intranets that inspect TLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="82"/>
        <source>The LLM service. Empty or none: answers come from the knowledge base alone (qwen when only LLM_API_KEY is set).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="89"/>
        <source>API key of the LLM service (not needed for ollama).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="94"/>
        <source>The .../v1 base of an OpenAI-compatible API; empty takes the provider&apos;s preset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="100"/>
        <source>Model name; empty takes the provider&apos;s preset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="108"/>
        <source>Sampling temperature of the answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="116"/>
        <source>Longest answer, in tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="124"/>
        <source>Time for one LLM attempt, in milliseconds; after it the answer comes from the knowledge base.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="134"/>
        <source>Extra LLM attempts after a network error, 5xx or 429.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="141"/>
        <source>Stream answers from the LLM (drafts grow as they arrive).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="145"/>
        <source>The .../v1 base of an OpenAI-compatible embeddings API; empty: keyword search only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="152"/>
        <source>API key of the embeddings API (default: LLM_API_KEY).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="158"/>
        <source>Embedding model name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="166"/>
        <source>Time for one embeddings request, in milliseconds; after it the search ranks by keywords alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="176"/>
        <source>Vector size asked of the embeddings API; 0 takes the model&apos;s own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="186"/>
        <source>A conversation quiet this long starts afresh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="193"/>
        <source>Mode of new conversations: auto (the bot answers), review (an operator approves drafts), manual (operators answer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="200"/>
        <source>Where conversations and knowledge are stored: sqlite:///relative.db, sqlite:////abs/path.db or postgresql://user:pass@host:port/db.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/settingstable.cpp" line="211"/>
        <source>Least severe message that is logged.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="56"/>
        <source>Feishu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="58"/>
        <source>Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="60"/>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="62"/>
        <source>Interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="64"/>
        <source>Logging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="96"/>
        <source>Settings groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="116"/>
        <location filename="../ui/settings/settingspage.cpp" line="118"/>
        <source>Start at login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="121"/>
        <source>Adds the console to the programs your desktop starts when you log in (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="128"/>
        <source>Login:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="131"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="133"/>
        <location filename="../ui/settings/settingspage.cpp" line="487"/>
        <source>Export settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="134"/>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="136"/>
        <location filename="../ui/settings/settingspage.cpp" line="496"/>
        <source>Import settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="137"/>
        <source>Setup wizard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="139"/>
        <source>Open the setup wizard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="140"/>
        <location filename="../ui/settings/settingspage.cpp" line="142"/>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="184"/>
        <source>(default: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="200"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="201"/>
        <source>Browse for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="259"/>
        <source>command line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="261"/>
        <source>environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="263"/>
        <source>.env</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="265"/>
        <source>saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="267"/>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="308"/>
        <source>Not valid here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="325"/>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="327"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="328"/>
        <source>Default: %1 · From: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="331"/>
        <source>(a value saved here applies only once that is removed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="333"/>
        <source>· A value is stored; type to replace it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="334"/>
        <source>· Nothing stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="336"/>
        <source>· Changed, not applied yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="354"/>
        <source>Less secure: the secrets are kept in a file only you can read (%1), because no keychain was available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="358"/>
        <source>The secrets are not stored: you are asked for them at every start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="411"/>
        <source>Not applied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="438"/>
        <source>Cannot save the settings to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="456"/>
        <source>Nothing to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/settingspage.cpp" line="456"/>
        <source>Applied %n change(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/settings/settingspage.cpp" line="480"/>
        <source>Imported %n value(s); review them and press Apply.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="481"/>
        <source>Secrets in the file were ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings/settingspage.cpp" line="491"/>
        <source>Exported to %1 (without secrets).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SavedSettings</name>
    <message>
        <location filename="../core/config/savedsettings.cpp" line="119"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/config/savedsettings.cpp" line="130"/>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
